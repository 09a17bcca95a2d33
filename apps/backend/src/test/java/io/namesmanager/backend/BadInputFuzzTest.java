package io.namesmanager.backend;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

/**
 * Thousands of generated requests — bodies, content types, methods, paths, query strings — against the real server:
 * never a 5xx, and the table afterwards holds exactly the names the API acknowledged.
 */
class BadInputFuzzTest {

    private static final String DATABASE = "fuzz_test";
    /** What the API acknowledged: id → stored name. */
    private static final SortedMap<Long, String> ACCEPTED = Collections.synchronizedSortedMap(new TreeMap<>());

    private static NamesBackend backend;
    private static ApiClient api;

    @BeforeContainer
    static void start() {
        backend = NamesBackend.start(TestDatabase.config(TestDatabase.createDatabase(DATABASE), Map.of()));
        api = new ApiClient(backend.port());
        Await.until("schema migrated", backend::migrated);
    }

    @AfterContainer
    static void stop() {
        try {
            List<String> stored = TestDatabase.queryColumn(DATABASE, "SELECT name FROM names ORDER BY id");
            List<String> expected = new ArrayList<>(ACCEPTED.values());
            assertThat("rows stored", stored.size(), is(expected.size()));
            for (int i = 0; i < stored.size(); i++) {
                assertThat("row " + i, stored.get(i), is(expected.get(i)));
            }
        } finally {
            backend.close();
        }
    }

    @Property(tries = 1500)
    void createWithArbitraryBodiesNeverFails(@ForAll("bodies") String body, @ForAll("contentTypes") String contentType) {
        HttpResponse<String> response = api.post("/api/names", contentType, body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertNo5xx(response, "POST " + contentType + " " + body);
        if (response.statusCode() == 201) {
            JsonObject created = ApiClient.json(response);
            ACCEPTED.put(created.getJsonNumber("id").longValue(), created.getString("name"));
        } else {
            assertThat(response.body(), ApiClient.json(response).containsKey("error"), is(true));
        }
        assertThat(Long.parseLong(TestDatabase.query(DATABASE, "SELECT count(*) FROM names")), is((long) ACCEPTED.size()));
    }

    @Property(tries = 1500)
    void arbitraryMethodsPathsAndQueriesNeverFail(@ForAll("methods") String method, @ForAll("paths") String path,
                                                  @ForAll("queries") String query) {
        URI uri = api.uri(path + query);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody());
        HttpResponse<String> response = api.send(request);
        assertNo5xx(response, method + " " + uri);
        if (method.equals("DELETE") && response.statusCode() == 204) {
            // a generated path deleted an existing name: keep the expectation in step (checked at the end)
            ACCEPTED.remove(Long.parseLong(path.substring(path.lastIndexOf('/') + 1)));
        }
    }

    private static void assertNo5xx(HttpResponse<String> response, String request) {
        assertThat(request + " -> " + response.body(), response.statusCode(), lessThan(500));
    }

    @Provide
    Arbitrary<String> bodies() {
        Arbitrary<String> names = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(80),
                Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(60),
                Arbitraries.strings().all().ofMaxLength(60),
                Arbitraries.of("", " ", "\t\n", "<script>alert(1)</script>", "Robert'); DROP TABLE names;--", "\u0000"));
        Arbitrary<String> nameJson = names.map(name -> Json.createObjectBuilder().add("name", name).build().toString());
        Arbitrary<String> oddValues = Arbitraries.of("1", "-1.5e300", "true", "null", "[]", "{}", "[\"a\"]", "\"\\ud800\"",
                                                     "\"\\u0000\"", "\"a\\u0000b\"", "99999999999999999999999");
        Arbitrary<String> oddJson = Combinators.combine(Arbitraries.of("name", "Name", "", "nam\u0000e"), oddValues)
                .as((key, value) -> "{\"" + key + "\":" + value + "}");
        Arbitrary<String> garbage = Arbitraries.strings().all().ofMaxLength(200);
        Arbitrary<String> truncated = nameJson.map(json -> json.substring(0, json.length() / 2));
        Arbitrary<String> nested = Arbitraries.integers().between(1, 300)
                .map(depth -> "{\"name\":" + "[".repeat(depth) + "]".repeat(depth) + "}");
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, nameJson), net.jqwik.api.Tuple.of(2, oddJson), net.jqwik.api.Tuple.of(2, garbage),
                net.jqwik.api.Tuple.of(1, truncated), net.jqwik.api.Tuple.of(1, nested));
    }

    @Provide
    Arbitrary<String> contentTypes() {
        return Arbitraries.oneOf(
                Arbitraries.of("application/json", "application/json; charset=utf-8", "application/json;charset=UTF-8",
                               "text/plain", "application/xml", "multipart/form-data; boundary=x", "application/json; charset=",
                               "application/json; charset=iso-8859-1", "*/*", "application/*", ";;;", "application/json;;",
                               "application/problem+json", "APPLICATION/JSON"),
                Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(40));
    }

    @Provide
    Arbitrary<String> methods() {
        return Arbitraries.of("GET", "POST", "DELETE", "PUT", "PATCH", "OPTIONS", "HEAD", "TRACE");
    }

    @Provide
    Arbitrary<String> paths() {
        Arbitrary<String> segment = Arbitraries.oneOf(
                Arbitraries.strings().withChars("abcXYZ019-._~!$&'()*+,;=:@").ofMaxLength(25),
                Arbitraries.strings().numeric().ofMaxLength(25),
                percentEncoded());
        return Combinators.combine(Arbitraries.of("/api/names", "/api/names/", "/api", "/", "/healthz", "/api/health/db",
                                                  "/observe/health", "/api/names/1/x"), segment)
                .as((base, tail) -> base + (base.endsWith("/") ? "" : "/") + tail);
    }

    @Provide
    Arbitrary<String> queries() {
        Arbitrary<String> key = Arbitraries.of("limit", "after", "x", "", "limit[]");
        Arbitrary<String> value = Arbitraries.oneOf(Arbitraries.strings().withChars("0123456789-+.eE").ofMaxLength(25),
                                                    percentEncoded());
        Arbitrary<String> pair = Combinators.combine(key, value).as((k, v) -> k + "=" + v);
        return pair.list().ofMaxSize(3).map(pairs -> pairs.isEmpty() ? "" : "?" + String.join("&", pairs));
    }

    private static Arbitrary<String> percentEncoded() {
        return Arbitraries.bytes().list().ofMaxSize(8)
                .map(bytes -> {
                    StringBuilder text = new StringBuilder();
                    bytes.forEach(b -> text.append(String.format("%%%02X", b & 0xff)));
                    return text.toString();
                });
    }
}
