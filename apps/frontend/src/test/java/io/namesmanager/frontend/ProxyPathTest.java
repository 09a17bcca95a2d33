package io.namesmanager.frontend;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.helidon.webserver.WebServer;

import io.namesmanager.backend.EmbeddedBackend;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * Paths that mean one thing to the frontend and another to the backend, sent as raw request lines to the real
 * frontend in front of the real backend, with a relay at the backend's door that records every byte it is sent:
 * each is answered 400 JSON and none reaches the backend. Plain API paths still pass.
 */
class ProxyPathTest {
    private static RecordingRelay relay;
    private static WebServer frontend;

    @BeforeAll
    static void start() throws IOException {
        relay = RecordingRelay.to(EmbeddedBackend.url());
        frontend = TestFrontend.start(relay.url(), Duration.ofSeconds(5));
    }

    @AfterAll
    static void stop() throws IOException {
        frontend.stop();
        relay.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/api/%2e%2e/observe/health",
            "/api/%2E%2E/observe/metrics",
            "/api/.%2e/observe/health",
            "/api/%2e./observe/health",
            "/api/%2e/observe/health",
            "/api/names/%2e%2e/%2e%2e/observe/health",
            "/api/%2e%2e%2fobserve%2fhealth",
            "/api/names%2f..%2f..%2fobserve%2fhealth",
            "/api/names/..%2f..%2fobserve%2fmetrics",
            "/api/names%2F1",
            "/api/%252e%252e/observe/health",
            "/api/%252e%252e%252fobserve%252fhealth",
            "/api/%25252e%25252e/observe/health",
            "/api/%5c..%5cobserve%5chealth",
            "/api/%5C%2e%2e%5Cobserve",
            "/api/..\\observe\\health",
            "/api/names;jsessionid=1",
            "/api/%3b/observe/health",
            "/api/names/%00",
            "/api/names/%0d%0aX-Injected:%20yes",
            "/api/%c0%ae%c0%ae/observe/health",
            "/api/%e0%80%ae%e0%80%ae/observe/health",
            "/api/%u002e%u002e/observe/health",
            "/api//observe/health",
            "/api/names/%2",
            "/%61pi/%2e%2e/observe/health",
            "/api/%41pi/names",
    })
    void answers400JsonAndForwardsNothing(String path) throws IOException {
        int before = relay.received().length();
        String response = send(path);
        assertThat(path, response, startsWith("HTTP/1.1 400 "));
        assertThat(path, headers(response), containsString("content-type: application/json"));
        assertThat(path, body(response), containsString("\"error\""));
        assertThat(path + " reached the backend", relay.received().substring(before), is(""));
    }

    /** Literal dot segments: the server resolves them before routing, so these never come to the proxy at all. */
    @ParameterizedTest
    @ValueSource(strings = {"/api/../observe/health", "/api/..;/observe/health", "/api/names;/../../observe/health",
                            "/api/names%23/../../observe/health", "/api/names/../../observe/metrics"})
    void literalDotSegmentsLeaveTheApiBeforeTheProxySeesThem(String path) throws IOException {
        int before = relay.received().length();
        send(path);
        assertThat(path + " reached the backend", relay.received().substring(before), is(""));
    }

    @Test
    void plainApiPathsAreForwarded() throws IOException {
        for (String path : new String[] {"/api/names", "/api/names?limit=2&after=1", "/api/names/999",
                                         "/api/health"}) {
            int before = relay.received().length();
            String response = send(path);
            assertThat(path, response, not(startsWith("HTTP/1.1 400 ")));
            assertThat(path, relay.received().substring(before), startsWith("GET " + path + " HTTP/1.1"));
        }
    }

    @Test
    void nothingOfTheRefusedPathsEverReachedTheBackend() throws IOException {
        send("/api/%2e%2e/observe/health");
        assertThat(relay.received(), not(containsString("observe")));
    }

    /** One request as its raw bytes, so no client normalises or re-encodes the path; the whole response. */
    private static String send(String path) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), frontend.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: names.test\r\nConnection: close\r\n\r\n")
                              .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            // The request is complete: the server reads to the end before it closes a Connection: close exchange.
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String headers(String response) {
        return response.substring(0, Math.max(0, response.indexOf("\r\n\r\n"))).toLowerCase(java.util.Locale.ROOT);
    }

    private static String body(String response) {
        int start = response.indexOf("\r\n\r\n");
        return start < 0 ? "" : response.substring(start + 4);
    }
}
