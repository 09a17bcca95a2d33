package io.namesmanager.frontend;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.helidon.common.uri.UriQuery;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import io.helidon.webserver.WebServer;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

/**
 * The proxy against a stub backend that reports what it received: what crosses, what does not, and the 502/504 paths.
 */
class ProxyTest {
    private static final Duration READ_TIMEOUT = Duration.ofMillis(500);

    private static StubBackend backend;
    private static WebServer frontend;
    private static WebClient client;

    @BeforeAll
    static void start() {
        backend = StubBackend.start();
        frontend = TestFrontend.start(backend.url(), READ_TIMEOUT);
        client = TestFrontend.client(frontend);
    }

    @AfterAll
    static void stop() {
        frontend.stop();
        backend.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
    void passesMethodPathQueryAndBody(String method) {
        try (HttpClientResponse res = client.method(Method.create(method))
                .path("/api/echo/names/7")
                .queryParam("limit", "5")
                .queryParam("q", "a b&c")
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .submit("{\"name\":\"Ada\"}")) {
            JsonObject echo = json(res);
            assertThat(res.status(), is(Status.OK_200));
            assertThat(echo.getString("method"), is(method));
            assertThat(echo.getString("path"), is("/api/echo/names/7"));
            // WebClient keeps every parameter and value, not their order: compare decoded parameters.
            UriQuery query = UriQuery.create(echo.getString("query"));
            assertThat(query.all("limit"), is(List.of("5")));
            assertThat(query.all("q"), is(List.of("a b&c")));
            assertThat(echo.getString("body"), is("{\"name\":\"Ada\"}"));
            assertThat(echo.getJsonObject("headers").getString("content-type"), is("application/json"));
        }
    }

    @Test
    void reusesItsConnectionToTheBackend() {
        // The browser closes its connections (Connection: close): that is its hop, not the proxy's. The proxy
        // releases a backend connection only once it has streamed the answer, so a request may occasionally race
        // ahead of that and open a second one; without reuse every request would have its own.
        Set<Integer> backendPorts = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            try (HttpClientResponse res = client.get("/api/echo/" + i).request()) {
                backendPorts.add(json(res).getInt("peerPort"));
            }
        }
        assertThat(backendPorts.toString(), backendPorts.size() <= 3, is(true));
    }

    @Test
    void givesTheBackendTheRequestIdItAnswers() {
        try (HttpClientResponse res = client.get("/api/echo/id").request()) {
            String id = res.headers().first(HeaderNames.create("X-Request-Id")).orElseThrow();
            assertThat(json(res).getJsonObject("headers").getString("x-request-id"), is(id));
        }
        try (HttpClientResponse res = client.get("/api/echo/id").header(HeaderNames.create("X-Request-Id"), "trace-42")
                .request()) {
            assertThat(res.headers().first(HeaderNames.create("X-Request-Id")).orElseThrow(), is("trace-42"));
            assertThat(json(res).getJsonObject("headers").getString("x-request-id"), is("trace-42"));
        }
    }

    @Test
    void headAnswersHeadersWithoutBody() {
        try (HttpClientResponse res = client.head().path("/api/status/200").request()) {
            assertThat(res.status(), is(Status.OK_200));
            assertThat(res.headers().first(HeaderNames.create("X-Backend")).orElse(""), is("stub"));
            assertThat(res.entity().hasEntity(), is(false));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 201, 400, 404, 409, 413, 415, 500, 503})
    void passesStatusAndBody(int code) {
        try (HttpClientResponse res = client.post("/api/status/" + code).request()) {
            assertThat(res.status().code(), is(code));
            assertThat(res.headers().first(HeaderNames.LOCATION).orElse(""), is("/api/names/7"));
            assertThat(res.as(String.class), is("{\"error\":\"status " + code + "\"}"));
        }
    }

    @Test
    void passesNoContent() {
        try (HttpClientResponse res = client.delete("/api/status/204").request()) {
            assertThat(res.status(), is(Status.NO_CONTENT_204));
            assertThat(res.entity().hasEntity(), is(false));
        }
    }

    @Test
    void dropsHopByHopRequestHeadersAndKeepsTheRest() {
        JsonObject headers;
        try (HttpClientResponse res = client.get("/api/echo/headers")
                .header(HeaderNames.CONNECTION, "close, X-Trace")
                .header(HeaderNames.create("X-Trace"), "named-in-connection")
                .header(HeaderNames.create("Keep-Alive"), "timeout=5")
                .header(HeaderNames.PROXY_AUTHORIZATION, "Basic c2VjcmV0")
                .header(HeaderNames.TE, "trailers")
                .header(HeaderNames.AUTHORIZATION, "Bearer end-to-end")
                .header(HeaderNames.ACCEPT_LANGUAGE, "de-CH")
                .header(HeaderNames.create("X-Request-Id"), "r-1")
                .request()) {
            headers = json(res).getJsonObject("headers");
        }
        assertThat(headers.containsKey("x-trace"), is(false));
        assertThat(headers.containsKey("keep-alive"), is(false));
        assertThat(headers.containsKey("proxy-authorization"), is(false));
        assertThat(headers.containsKey("te"), is(false));
        assertThat(headers.getString("authorization"), is("Bearer end-to-end"));
        assertThat(headers.getString("accept-language"), is("de-CH"));
        assertThat(headers.getString("x-request-id"), is("r-1"));
    }

    @Test
    void setsForwardingHeadersAsNginxDid() {
        JsonObject headers;
        try (HttpClientResponse res = client.get("/api/echo/forwarded")
                .header(HeaderNames.X_FORWARDED_FOR, "203.0.113.9")
                .header(HeaderNames.create("X-Real-IP"), "198.51.100.1")
                .header(HeaderNames.HOST, "names.example:8080")
                .request()) {
            headers = json(res).getJsonObject("headers");
        }
        assertThat(headers.getString("x-forwarded-for"), is("203.0.113.9, 127.0.0.1"));
        assertThat(headers.getString("x-real-ip"), is("127.0.0.1"));
        assertThat(headers.getString("x-forwarded-proto"), is("http"));
        assertThat(headers.getString("x-forwarded-host"), is("names.example:8080"));
        assertThat(headers.getString("host"), is("127.0.0.1:" + backend.port()));
    }

    @Test
    void dropsHopByHopResponseHeadersAndAddsSecurityHeaders() {
        try (HttpClientResponse res = client.get("/api/status/200").request()) {
            assertThat(res.headers().first(HeaderNames.create("X-Backend")).orElse(""), is("stub"));
            assertThat(res.headers().contains(StubBackend.HOP_HEADER.headerName()), is(false));
            assertThat(res.headers().contains(HeaderNames.create("Keep-Alive")), is(false));
            assertThat(res.headers().first(HeaderNames.create("Content-Security-Policy")).orElse(""),
                       containsString("default-src 'none'"));
            assertThat(res.headers().first(HeaderNames.create("X-Content-Type-Options")).orElse(""), is("nosniff"));
        }
    }

    @Test
    void streamsLargeResponsesIntact() throws Exception {
        try (HttpClientResponse res = client.get("/api/large").request(); InputStream in = res.inputStream()) {
            byte[] body = in.readAllBytes();
            assertThat(res.status(), is(Status.OK_200));
            assertThat(body.length, is(StubBackend.LARGE_SIZE));
            assertThat(body[StubBackend.LARGE_SIZE - 1], is((byte) ('a' + (StubBackend.LARGE_SIZE - 1) % 26)));
        }
    }

    @Test
    void passesBodyAtTheLimit() {
        String body = "x".repeat(16_384);
        try (HttpClientResponse res = client.post("/api/echo/limit").submit(body)) {
            assertThat(res.status(), is(Status.OK_200));
            assertThat(json(res).getString("body").length(), is(16_384));
        }
    }

    @Test
    void refusesLargerBodyWithoutCallingBackend() {
        int before = backend.requests();
        try (HttpClientResponse res = client.post("/api/echo/limit").submit("x".repeat(16_385))) {
            assertThat(res.status(), is(Status.REQUEST_ENTITY_TOO_LARGE_413));
            assertThat(json(res).getString("error"), is("Request body is too large."));
        }
        assertThat(backend.requests(), is(before));
    }

    @Test
    void refusesLargerChunkedBodyWithoutCallingBackend() throws Exception {
        int before = backend.requests();
        String response;
        try (Socket socket = new Socket("127.0.0.1", frontend.port())) {
            OutputStream out = socket.getOutputStream();
            String chunk = "x".repeat(8_000);
            String request = "POST /api/echo/chunked HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n"
                    + ("1f40\r\n" + chunk + "\r\n").repeat(3) + "0\r\n\r\n";
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(response, containsString("HTTP/1.1 413"));
        assertThat(response, containsString("{\"error\":\"Request body is too large.\"}"));
        assertThat(backend.requests(), is(before));
    }

    @Test
    void answers502WhenBackendIsUnreachable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        WebServer orphan = TestFrontend.start("http://127.0.0.1:" + closedPort, READ_TIMEOUT);
        try (HttpClientResponse res = TestFrontend.client(orphan).get("/api/names").request()) {
            assertThat(res.status(), is(Status.BAD_GATEWAY_502));
            assertThat(res.headers().first(HeaderNames.CONTENT_TYPE).orElse(""), containsString("application/json"));
            assertThat(json(res).getString("error"), is("The names service is unreachable."));
        } finally {
            orphan.stop();
        }
    }

    @Test
    void answers504WhenBackendIsSlow() {
        long start = System.nanoTime();
        try (HttpClientResponse res = client.get("/api/slow").request()) {
            assertThat(res.status(), is(Status.GATEWAY_TIMEOUT_504));
            assertThat(json(res).getString("error"), is("The names service did not answer in time."));
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start), lessThan(Duration.ofMillis(2_500)));
    }

    @Test
    void reconnectsAfterBackendRestart() {
        StubBackend own = StubBackend.start();
        WebServer proxy = TestFrontend.start(own.url(), READ_TIMEOUT);
        WebClient proxyClient = TestFrontend.client(proxy);
        try (HttpClientResponse res = proxyClient.get("/api/status/200").request()) {
            assertThat(res.status(), is(Status.OK_200));
        }
        int port = own.port();
        own.close();
        // The proxy pooled a connection to the old process: it must not be reused, the new process answers.
        own = StubBackend.startOn(port);
        try (HttpClientResponse res = proxyClient.get("/api/status/200").request()) {
            assertThat(res.status(), is(Status.OK_200));
        } finally {
            proxy.stop();
            own.close();
        }
    }

    @Test
    void forwardsMalformedBodyUntouched() {
        byte[] garbage = {'{', '"', 'n', (byte) 0xff, 0, '\n'};
        try (HttpClientResponse res = client.post("/api/echo/garbage")
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .submit(garbage)) {
            assertThat(res.status(), is(Status.OK_200));
            assertThat(Base64.getDecoder().decode(json(res).getString("base64")), is(garbage));
        }
    }

    private static JsonObject json(HttpClientResponse res) {
        return Json.createReader(new StringReader(res.as(String.class))).readObject();
    }
}
