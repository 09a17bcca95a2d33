package io.namesmanager.frontend;

import java.io.StringReader;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webclient.api.HttpClientRequest;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import io.helidon.webserver.WebServer;
import io.namesmanager.backend.EmbeddedBackend;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/**
 * The proxy in front of the real backend on a real (embedded) PostgreSQL: the whole API contract through port 8080's
 * stand-in, and for bad requests the very answer the backend gives when asked directly.
 */
class BackendProxyTest {
    private static WebServer frontend;
    private static WebClient proxied;
    private static WebClient direct;

    @BeforeAll
    static void start() {
        String backendUrl = EmbeddedBackend.url();
        frontend = TestFrontend.start(backendUrl, Duration.ofSeconds(10));
        proxied = TestFrontend.client(frontend);
        direct = WebClient.builder().baseUri(backendUrl).followRedirects(false).build();
    }

    @AfterAll
    static void stop() {
        frontend.stop();
    }

    @BeforeEach
    void emptyTable() {
        EmbeddedBackend.clear();
    }

    @Test
    void createsListsGetsAndDeletesThroughTheProxy() {
        JsonObject created;
        String location;
        try (HttpClientResponse res = postJson("{\"name\":\"  Ada \\t Lovelace \"}")) {
            assertThat(res.status(), is(Status.CREATED_201));
            assertThat(res.headers().first(HeaderNames.CONTENT_TYPE).orElseThrow(), is("application/json; charset=utf-8"));
            created = json(res);
            location = res.headers().first(HeaderNames.LOCATION).orElseThrow();
        }
        assertThat(created.getString("name"), is("Ada Lovelace"));
        assertThat(location, is("/api/names/" + created.getJsonNumber("id")));
        assertThat(Instant.parse(created.getString("created_at")).isAfter(Instant.now().minusSeconds(60)), is(true));

        try (HttpClientResponse res = proxied.get(location).request()) {
            assertThat(res.status(), is(Status.OK_200));
            assertThat(json(res), is(created));
        }
        try (HttpClientResponse res = proxied.get("/api/names").request()) {
            assertThat(json(res).getJsonArray("names").getJsonObject(0), is(created));
        }
        try (HttpClientResponse res = proxied.delete(location).request()) {
            assertThat(res.status(), is(Status.NO_CONTENT_204));
            assertThat(res.entity().hasEntity(), is(false));
        }
        try (HttpClientResponse res = proxied.get(location).request()) {
            assertThat(res.status(), is(Status.NOT_FOUND_404));
            assertThat(json(res).getString("error"), is("Name not found"));
        }
    }

    @Test
    void pagesWithLimitAndAfter() {
        for (String name : new String[] {"Ada", "Grace", "Edsger"}) {
            postJson("{\"name\":\"" + name + "\"}").close();
        }
        JsonObject first;
        try (HttpClientResponse res = proxied.get("/api/names").queryParam("limit", "2").request()) {
            first = json(res);
        }
        assertThat(first.getJsonArray("names").size(), is(2));
        long next = first.getJsonNumber("next").longValue();
        try (HttpClientResponse res = proxied.get("/api/names")
                .queryParam("limit", "2")
                .queryParam("after", String.valueOf(next))
                .request()) {
            JsonObject second = json(res);
            assertThat(second.getJsonArray("names").getJsonObject(0).getString("name"), is("Edsger"));
            assertThat(second.get("next"), is(JsonValue.NULL));
        }
    }

    @Test
    void showsTheBackendsValidationMessageForA51CharacterName() {
        try (HttpClientResponse res = postJson("{\"name\":\"" + "x".repeat(51) + "\"}")) {
            assertThat(res.status(), is(Status.BAD_REQUEST_400));
            assertThat(json(res).getString("error"), is("Max length is 50 characters."));
        }
    }

    @Test
    void refusesBodiesOverSixteenKibibytes() {
        String body = "{\"name\":\"" + "x".repeat(16_384) + "\"}";
        try (HttpClientResponse res = proxied.post("/api/names")
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .submit(body)) {
            assertThat(res.status(), is(Status.REQUEST_ENTITY_TOO_LARGE_413));
            assertThat(json(res).getString("error"), is("Request body is too large."));
        }
    }

    @Test
    void addsSecurityHeadersToApiResponses() {
        try (HttpClientResponse res = proxied.get("/api/names").request()) {
            assertThat(res.headers().first(HeaderNames.create("Content-Security-Policy")).orElse(""),
                       containsString("frame-ancestors 'none'"));
            assertThat(res.headers().first(HeaderNames.create("X-Frame-Options")).orElse(null), is("DENY"));
        }
        try (HttpClientResponse res = direct.get("/api/names").request()) {
            assertThat(res.headers().first(HeaderNames.create("X-Frame-Options")).orElse(null), nullValue());
        }
    }

    /**
     * Requests the backend refuses (and a few it accepts without changing anything), each with its expected status.
     *
     * @return method, path, content type or {@code null}, body or {@code null}, expected status
     */
    static Stream<Arguments> requestsAnsweredAlike() {
        return Stream.of(
                Arguments.of("GET", "/api/names", null, null, 200),
                Arguments.of("GET", "/api/names?limit=0", null, null, 400),
                Arguments.of("GET", "/api/names?limit=abc", null, null, 400),
                Arguments.of("GET", "/api/names?after=-1", null, null, 400),
                Arguments.of("GET", "/api/names/abc", null, null, 400),
                Arguments.of("GET", "/api/names/999999", null, null, 404),
                Arguments.of("DELETE", "/api/names/999999", null, null, 404),
                Arguments.of("DELETE", "/api/names/abc", null, null, 400),
                Arguments.of("POST", "/api/names", "application/json", "{\"name\":", 400),
                Arguments.of("POST", "/api/names", "application/json", "[1,2]", 400),
                Arguments.of("POST", "/api/names", "application/json", "{}", 400),
                Arguments.of("POST", "/api/names", "application/json", "{\"name\":\"   \"}", 400),
                Arguments.of("POST", "/api/names", "application/json", "{\"name\":42}", 400),
                Arguments.of("POST", "/api/names", "application/json", "{\"name\":\"a\\u0000b\"}", 400),
                Arguments.of("POST", "/api/names", "text/plain", "Ada", 415),
                Arguments.of("POST", "/api/names", null, null, 415),
                Arguments.of("PUT", "/api/names/1", "application/json", "{\"name\":\"Ada\"}", 405),
                Arguments.of("PATCH", "/api/names/1", "application/json", "{\"name\":\"Ada\"}", 405),
                Arguments.of("GET", "/api/health", null, null, 200),
                Arguments.of("GET", "/api/health/db", null, null, 200),
                Arguments.of("GET", "/api/nowhere", null, null, 404));
    }

    @ParameterizedTest(name = "{0} {1} {3}")
    @MethodSource("requestsAnsweredAlike")
    void answersLikeTheBackend(String method, String path, String contentType, String body, int status) {
        Answer viaProxy = exchange(proxied, method, path, contentType, body);
        Answer fromBackend = exchange(direct, method, path, contentType, body);
        assertThat(viaProxy.status(), is(status));
        assertThat(viaProxy, is(fromBackend));
    }

    private static Answer exchange(WebClient client, String method, String path, String contentType, String body) {
        HttpClientRequest request = client.method(Method.create(method)).uri(URI.create(path));
        if (contentType != null) {
            request.header(HeaderNames.CONTENT_TYPE, contentType);
        }
        try (HttpClientResponse res = body == null ? request.request() : request.submit(body)) {
            return new Answer(res.status().code(),
                              res.headers().first(HeaderNames.CONTENT_TYPE).orElse(""),
                              res.entity().hasEntity() ? res.as(String.class) : "");
        }
    }

    private static HttpClientResponse postJson(String body) {
        return proxied.post("/api/names").header(HeaderNames.CONTENT_TYPE, "application/json").submit(body);
    }

    private static JsonObject json(HttpClientResponse res) {
        return Json.createReader(new StringReader(res.as(String.class))).readObject();
    }

    private record Answer(int status, String contentType, String body) {
    }
}
