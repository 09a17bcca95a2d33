package io.namesmanager.backend;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/**
 * The HTTP contract of the names API, against the real server and a real PostgreSQL.
 */
class NamesApiTest {

    private static NamesBackend backend;
    private static ApiClient api;

    @BeforeAll
    static void start() {
        backend = NamesBackend.start(TestDatabase.config(TestDatabase.createDatabase("api_test"), Map.of()));
        api = new ApiClient(backend.port());
        Await.until("schema migrated", backend::migrated);
    }

    @AfterAll
    static void stop() {
        backend.close();
    }

    @BeforeEach
    void emptyTable() {
        TestDatabase.execute("api_test", "TRUNCATE names RESTART IDENTITY");
    }

    @Test
    void listIsEmptyAtFirst() {
        HttpResponse<String> response = api.get("/api/names");
        assertThat(response.statusCode(), is(200));
        assertThat(response.headers().firstValue("Content-Type").orElseThrow(), is("application/json; charset=utf-8"));
        assertThat(response.body(), is("{\"names\":[],\"next\":null}"));
    }

    @Test
    void createAnswersTheObjectWithLocation() {
        Instant before = Instant.now().minusSeconds(1);
        HttpResponse<String> response = api.postJson("/api/names", "{\"name\":\"Ada\"}");
        assertThat(response.statusCode(), is(201));
        JsonObject created = ApiClient.json(response);
        assertThat(created.getString("name"), is("Ada"));
        assertThat(response.headers().firstValue("Location").orElseThrow(), is("/api/names/" + created.getJsonNumber("id")));
        String createdAt = created.getString("created_at");
        assertThat(createdAt.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), is(true));
        assertThat(Instant.parse(createdAt).isAfter(before), is(true));
    }

    @Test
    void getReturnsWhatWasCreated() {
        JsonObject created = api.create("Grace Hopper");
        HttpResponse<String> response = api.get("/api/names/" + created.getJsonNumber("id"));
        assertThat(response.statusCode(), is(200));
        assertThat(ApiClient.json(response), is(created));
    }

    @Test
    void deleteRemovesTheName() {
        JsonObject created = api.create("Linus");
        String path = "/api/names/" + created.getJsonNumber("id");
        HttpResponse<String> deleted = api.delete(path);
        assertThat(deleted.statusCode(), is(204));
        assertThat(deleted.body(), is(""));
        assertThat(api.get(path).statusCode(), is(404));
        assertThat(api.delete(path).statusCode(), is(404));
        assertThat(api.get(path).body(), is("{\"error\":\"Name not found\"}"));
    }

    @Test
    void listPagesThroughEverythingInIdOrder() {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            ids.add(api.create("name " + i).getJsonNumber("id").longValue());
        }
        List<Long> seen = new ArrayList<>();
        String after = "0";
        int pages = 0;
        while (after != null) {
            JsonObject page = ApiClient.json(api.get("/api/names?limit=3&after=" + after));
            page.getJsonArray("names").forEach(n -> seen.add(n.asJsonObject().getJsonNumber("id").longValue()));
            after = page.isNull("next") ? null : page.getJsonNumber("next").toString();
            pages++;
        }
        assertThat(seen, is(ids));
        assertThat(pages, is(3));
    }

    @Test
    void pagesFollowIdsNotPositions() {
        for (int i = 1; i <= 8; i++) {
            api.create("name " + i);
        }
        TestDatabase.execute("api_test", "DELETE FROM names WHERE id IN (2, 3)"); // gaps in the ids
        JsonObject first = ApiClient.json(api.get("/api/names?limit=2"));
        assertThat(ids(first), is(List.of(1L, 4L)));
        assertThat(first.getJsonNumber("next").longValue(), is(4L));

        // Between two pages a row before the cursor goes and a new one arrives: OFFSET 2 would now skip id 5.
        api.delete("/api/names/1");
        long added = api.create("arrived between pages").getJsonNumber("id").longValue();
        JsonObject second = ApiClient.json(api.get("/api/names?limit=2&after=4"));
        assertThat(ids(second), is(List.of(5L, 6L)));
        JsonObject rest = ApiClient.json(api.get("/api/names?limit=10&after=" + second.getJsonNumber("next")));
        assertThat(ids(rest), is(List.of(7L, 8L, added)));
        assertThat(rest.get("next"), is(JsonValue.NULL));
    }

    @Test
    void aConfiguredMaxNameLengthIsWhatTheApiEnforces() {
        Map<String, String> env = EnvironmentConfig.toConfig(Map.of("MAX_NAME_LENGTH", "5"));
        env.keySet().removeIf(key -> key.startsWith("db."));
        try (NamesBackend shortNames = NamesBackend.start(TestDatabase.config(TestDatabase.settings("api_test"), env))) {
            ApiClient client = new ApiClient(shortNames.port());
            Await.until("schema migrated", shortNames::migrated);
            assertThat(client.postJson("/api/names", "{\"name\":\"abcde\"}").statusCode(), is(201));
            assertError(client.postJson("/api/names", "{\"name\":\"abcdef\"}"), 400, "Max length is 5 characters.");
            // the default still applies where nothing is configured
            assertThat(api.postJson("/api/names", "{\"name\":\"abcdef\"}").statusCode(), is(201));
        }
    }

    @Test
    void nextIsNullWhenTheLastPageIsExactlyFull() {
        api.create("a");
        api.create("b");
        JsonObject page = ApiClient.json(api.get("/api/names?limit=2"));
        assertThat(page.getJsonArray("names"), hasSize(2));
        assertThat(page.get("next"), is(JsonValue.NULL));
    }

    @Test
    void defaultLimitIs100() {
        for (int i = 0; i < 101; i++) {
            api.create("n" + i);
        }
        JsonObject page = ApiClient.json(api.get("/api/names"));
        assertThat(page.getJsonArray("names"), hasSize(100));
        assertThat(page.getJsonNumber("next").longValue(), is(100L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"limit=0", "limit=1001", "limit=abc", "limit=-1", "limit=1.5", "limit=", "limit=%2B5",
            "limit=99999999999999999999", "after=-1", "after=abc", "after=1e3", "after=99999999999999999999"})
    void badQueryParametersAre400(String query) {
        HttpResponse<String> response = api.get("/api/names?" + query);
        assertThat(response.statusCode(), is(400));
        assertThat(ApiClient.json(response).getString("error"), containsString(query.substring(0, query.indexOf('='))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "0", "-1", "1.0", "99999999999999999999", "%20"})
    void badIdsAre400(String id) {
        assertThat(api.get("/api/names/" + id).statusCode(), is(400));
        HttpResponse<String> deleted = api.delete("/api/names/" + id);
        assertThat(deleted.statusCode(), is(400));
        assertThat(ApiClient.json(deleted).getString("error"), startsWith("Invalid id"));
    }

    @Test
    void nameIsTrimmedAndInnerWhitespaceCollapsed() {
        JsonObject created = api.create("  Ada \t\n  Lovelace\u00a0 ");
        assertThat(created.getString("name"), is("Ada Lovelace"));
    }

    @Test
    void htmlIsStoredAsIs() {
        assertThat(api.create("<img src=x onerror=alert(1)>").getString("name"), is("<img src=x onerror=alert(1)>"));
    }

    @Test
    void lengthIsCountedInCodePoints() {
        String fifty = "\uD83D\uDE00".repeat(50);
        assertThat(api.create(fifty).getString("name"), is(fifty));
        assertError(api.postJson("/api/names", "{\"name\":\"" + fifty + "a\"}"), 400, "Max length is 50 characters.");
        assertError(api.postJson("/api/names", "{\"name\":\"" + "a".repeat(51) + "\"}"), 400, "Max length is 50 characters.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"name\":\"\"}", "{\"name\":\"   \"}", "{\"name\":\"\\t\\n\"}", "{}", "{\"name\":null}",
            "{\"other\":\"Ada\"}"})
    void blankOrMissingNamesAre400(String body) {
        assertError(api.postJson("/api/names", body), 400, "Name cannot be empty.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"name\":5}", "{\"name\":true}", "{\"name\":[\"Ada\"]}", "{\"name\":{\"first\":\"Ada\"}}"})
    void nonStringNamesAre400(String body) {
        assertError(api.postJson("/api/names", body), 400, "Name must be a string.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "{\"name\":", "not json", "{\"name\":\"Ada\"} trailing", "[\"Ada\"]", "\"Ada\"",
            "null", "42", "{'name':'Ada'}", "{\"name\":\"Ada\",}"})
    void malformedOrNonObjectJsonIs400(String body) {
        assertError(api.postJson("/api/names", body), 400, "Invalid JSON body.");
    }

    @Test
    void charactersPostgresCannotStoreAre400() {
        assertThat(api.postJson("/api/names", "{\"name\":\"a\\u0000b\"}").statusCode(), is(400));
        assertThat(api.postJson("/api/names", "{\"name\":\"a\\ud800b\"}").statusCode(), is(400));
        assertThat(api.post("/api/names", "application/json", new byte[] {'{', '"', 'n', 'a', 'm', 'e', '"', ':', '"',
                (byte) 0xC3, (byte) 0x28, '"', '}'}).statusCode(), is(400));
        assertThat(rowCount(), is(0L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "application/xml", "application/json; charset=latin1"})
    void nonJsonContentTypesAre415(String contentType) {
        HttpResponse<String> response = api.post("/api/names", contentType, "{\"name\":\"Ada\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(response.statusCode(), is(415));
        assertThat(ApiClient.json(response).getString("error").toLowerCase(), containsString("json"));
    }

    @Test
    void missingContentTypeIs415() {
        assertError(api.post("/api/names", null, "{\"name\":\"Ada\"}".getBytes(StandardCharsets.UTF_8)), 415,
                    "Content-Type must be application/json.");
    }

    @Test
    void jsonWithCharsetParameterIsAccepted() {
        HttpResponse<String> response = api.post("/api/names", "application/json; charset=UTF-8",
                                                  "{\"name\":\"Zoë\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(response.statusCode(), is(201));
        assertThat(ApiClient.json(response).getString("name"), is("Zoë"));
    }

    @Test
    void bodiesOver16KiBAre413() {
        String big = "{\"name\":\"" + "a".repeat(17 * 1024) + "\"}";
        // With "Expect: 100-continue" the client waits for the verdict before sending the body, as curl does for
        // large bodies; without it the server's close after 413 may reset the connection before the client reads.
        HttpResponse<String> response = api.send(HttpRequest.newBuilder(api.uri("/api/names"))
                                                         .expectContinue(true)
                                                         .header("Content-Type", "application/json")
                                                         .POST(HttpRequest.BodyPublishers.ofString(big)));
        assertError(response, 413, "Request body is too large.");
        assertThat(rowCount(), is(0L));
    }

    @Test
    void chunkedBodiesOver16KiBAre413() throws IOException {
        String chunk = "a".repeat(8000);
        String request = "POST /api/names HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                + chunkOf("{\"name\":\"") + chunkOf(chunk) + chunkOf(chunk) + chunkOf(chunk) + chunkOf("\"}") + "0\r\n\r\n";
        String response = rawExchange(request);
        assertThat(response, startsWith("HTTP/1.1 413"));
        assertThat(response, containsString("{\"error\":"));
        assertThat(rowCount(), is(0L));
    }

    @Test
    void malformedHttpGetsAJsonError() throws IOException {
        String response = rawExchange("GET /api/names HTTP/1.1\r\nHost: localhost\r\nContent-Length: abc\r\n\r\n");
        assertThat(response, startsWith("HTTP/1.1 400"));
        assertThat(response, containsString("{\"error\":"));
    }

    @Test
    void unknownPathsAre404WithJson() {
        HttpResponse<String> response = api.get("/api/nope");
        assertThat(response.statusCode(), is(404));
        assertThat(ApiClient.json(response).containsKey("error"), is(true));
    }

    @Test
    void concurrentCreatesGetDistinctIdsAndNothingIsLost() throws Exception {
        int clients = 16;
        int perClient = 25;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<List<Long>>> results = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            results.add(pool.submit(() -> {
                List<Long> ids = new ArrayList<>();
                for (int i = 0; i < perClient; i++) {
                    ids.add(api.create("client " + client + " #" + i).getJsonNumber("id").longValue());
                }
                return ids;
            }));
        }
        Set<Long> ids = new HashSet<>();
        for (Future<List<Long>> result : results) {
            ids.addAll(result.get());
        }
        pool.shutdown();
        assertThat(ids.size(), is(clients * perClient));
        assertThat(rowCount(), is((long) clients * perClient));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"PUT|/api/names|GET, HEAD, POST", "PATCH|/api/names|GET, HEAD, POST",
            "DELETE|/api/names|GET, HEAD, POST", "PUT|/api/names/1|GET, HEAD, DELETE", "POST|/api/names/1|GET, HEAD, DELETE"})
    void anUnsupportedMethodOnAnExistingPathIs405WithAllow(String method, String path, String allow) {
        HttpResponse<String> response = api.send(HttpRequest.newBuilder(api.uri(path))
                                                          .header("Content-Type", "application/json")
                                                          .method(method, HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(response.statusCode(), is(405));
        assertThat(response.headers().firstValue("Allow").orElse(""), is(allow));
        assertThat(response.body(), is("{\"error\":\"Method " + method + " is not allowed here.\"}"));
    }

    @Test
    void aMistypedStatementIs500AndLoggedWithTheRequestIdNotAnOutage() {
        Logger logger = Logger.getLogger(io.namesmanager.common.JsonErrors.class.getName());
        List<LogRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(capture);
        Map<String, String> broken = Map.of("db.statements.list-names-after",
                                            "SELEC id, name, created_at FROM names WHERE id > :after LIMIT :limit");
        try (NamesBackend typo = NamesBackend.start(TestDatabase.config(TestDatabase.settings("api_test"), broken))) {
            ApiClient client = new ApiClient(typo.port());
            Await.until("schema migrated", typo::migrated);
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(client.uri("/api/names"))
                                                                .header("X-Request-Id", "trace-typo-1").GET());
            assertThat(response.statusCode(), is(500));
            assertThat(response.body(), is("{\"error\":\"Internal server error.\"}"));
            assertThat(records.stream().map(r -> r.getLevel() + " " + r.getMessage()).toList().toString(),
                       records.stream().anyMatch(r -> r.getLevel() == Level.SEVERE
                    && r.getMessage().contains("trace-typo-1") && r.getMessage().contains("GET /api/names")),
                       is(true));
        } finally {
            logger.removeHandler(capture);
        }
    }

    @Test
    void transientDatabaseFailuresAreTheOnlyOnesThatAre503() {
        assertThat(ApiErrors.transientFailure(new RuntimeException(new java.sql.SQLException("down", "08006"))), is(true));
        assertThat(ApiErrors.transientFailure(new java.sql.SQLTransientConnectionException("pool timeout")), is(true));
        assertThat(ApiErrors.transientFailure(new java.sql.SQLException("shutting down", "57P01")), is(true));
        assertThat(ApiErrors.transientFailure(new java.sql.SQLException("too many", "53300")), is(true));
        assertThat(ApiErrors.transientFailure(new java.sql.SQLException("syntax", "42601")), is(false));
        assertThat(ApiErrors.transientFailure(new java.sql.SQLException("no table", "42P01")), is(false));
        assertThat(ApiErrors.transientFailure(new IllegalStateException("bug")), is(false));
    }

    @Test
    void requestIdsAreEchoedOrCreated() {
        HttpResponse<String> given = api.send(HttpRequest.newBuilder(api.uri("/api/names")).header("X-Request-Id", "abc-123"));
        assertThat(given.headers().firstValue("X-Request-Id").orElseThrow(), is("abc-123"));
        String created = api.get("/api/names").headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(created.matches("[0-9a-f-]{36}"), is(true));
        HttpResponse<String> insane = api.send(HttpRequest.newBuilder(api.uri("/api/names"))
                                                       .header("X-Request-Id", "<script>" + "x".repeat(100)));
        assertThat(insane.headers().firstValue("X-Request-Id").orElseThrow().matches("[0-9a-f-]{36}"), is(true));
    }

    private static List<Long> ids(JsonObject page) {
        return page.getJsonArray("names").stream().map(n -> n.asJsonObject().getJsonNumber("id").longValue()).toList();
    }

    private static void assertError(HttpResponse<String> response, int status, String message) {
        assertThat(response.body(), response.statusCode(), is(status));
        assertThat(response.headers().firstValue("Content-Type").orElseThrow(), startsWith("application/json"));
        assertThat(ApiClient.json(response).getString("error"), equalTo(message));
    }

    private static long rowCount() {
        return Long.parseLong(TestDatabase.query("api_test", "SELECT count(*) FROM names"));
    }

    private static String chunkOf(String data) {
        return Integer.toHexString(data.length()) + "\r\n" + data + "\r\n";
    }

    private static String rawExchange(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", backend.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request.getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException e) {
                // The server may answer and close before it read everything: the answer is what counts.
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            in.transferTo(response);
            return response.toString(StandardCharsets.UTF_8);
        }
    }
}
