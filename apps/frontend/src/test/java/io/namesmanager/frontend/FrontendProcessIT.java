package io.namesmanager.frontend;

import java.io.IOException;
import java.io.StringReader;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.startsWith;

/**
 * The packaged {@code target/names-frontend.jar} (with {@code target/libs/}) as a process, configured by environment
 * variables as in the cluster.
 */
class FrontendProcessIT {
    private static final Path JAR = Path.of("target/names-frontend.jar");

    @TempDir
    Path temp;

    @Test
    void servesAndProxiesFromTheJarAndExitsZeroOnSigterm() throws Exception {
        Path log = temp.resolve("frontend.log");
        try (StubBackend backend = StubBackend.start()) {
            int port = freePort();
            Process frontend = start(Map.of("SERVER_PORT", String.valueOf(port), "BACKEND_URL", backend.url(),
                                            "MANAGEMENT_PORT", String.valueOf(freePort()), "LOG_LEVEL", "info"), log);
            try {
                WebClient client = WebClient.builder().baseUri("http://127.0.0.1:" + port).build();
                awaitUp(client);
                try (HttpClientResponse res = client.get("/").request()) {
                    assertThat(res.status(), is(Status.OK_200));
                }
                try (HttpClientResponse res = client.get("/api/echo/from-the-jar").request()) {
                    assertThat(res.as(String.class), containsString("\"path\":\"/api/echo/from-the-jar\""));
                }
                // An open browser tab: an idle kept-alive connection must not hold the stop for long.
                try (Socket idle = new Socket("127.0.0.1", port)) {
                    idle.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    long start = System.nanoTime();
                    frontend.destroy(); // SIGTERM
                    assertThat("exited", frontend.waitFor(15, TimeUnit.SECONDS), is(true));
                    assertThat(Duration.ofNanos(System.nanoTime() - start), lessThan(Duration.ofSeconds(5)));
                    assertThat(frontend.exitValue(), is(0));
                }
            } finally {
                frontend.destroyForcibly();
            }
        }
        assertThat(Files.readString(log), containsString("SIGTERM received"));
    }

    @Test
    void jsonLogLinesCarryTheRequestId() throws Exception {
        int closedPort = freePort();
        int port = freePort();
        Path log = temp.resolve("json.log");
        Process frontend = start(Map.of("SERVER_PORT", String.valueOf(port), "LOG_FORMAT", "json",
                                        "MANAGEMENT_PORT", String.valueOf(freePort()),
                                        "BACKEND_URL", "http://127.0.0.1:" + closedPort), log);
        try {
            WebClient client = WebClient.builder().baseUri("http://127.0.0.1:" + port).build();
            awaitUp(client);
            try (HttpClientResponse res = client.get("/api/names").header(HeaderNames.create("X-Request-Id"), "trace-7")
                    .request()) {
                assertThat(res.status(), is(Status.BAD_GATEWAY_502));
            }
            frontend.destroy();
            assertThat(frontend.waitFor(15, TimeUnit.SECONDS), is(true));
        } finally {
            frontend.destroyForcibly();
        }
        List<JsonObject> lines = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            if (!line.startsWith("WARNING: ")) { // the JVM's own notices on stderr are not log records
                lines.add(Json.createReader(new StringReader(line)).readObject());
            }
        }
        assertThat(lines.stream().anyMatch(line -> line.getString("message").startsWith("Backend unreachable")
                && "trace-7".equals(line.getString("request_id", null))), is(true));
    }

    /** A bad value for every variable the frontend reads, and the start of the one line it must print. */
    private static final List<List<String>> BAD_VALUES = List.of(
            List.of("SERVER_HOST", "bad host", "SERVER_HOST must be a host name or IP address such as 0.0.0.0, not 'bad host'"),
            List.of("SERVER_PORT", "8o8o", "SERVER_PORT must be a port number from 0 to 65535, not '8o8o'"),
            List.of("MANAGEMENT_PORT", "99999", "MANAGEMENT_PORT must be a port number from 0 to 65535, not '99999'"),
            List.of("BACKEND_URL", "api:8000", "BACKEND_URL must be an http:// or https:// URL such as http://api:8000, not 'api:8000'"),
            List.of("BACKEND_TIMEOUT_CONNECT", "2s", "BACKEND_TIMEOUT_CONNECT must be an ISO-8601 duration such as PT10S, not '2s'"),
            List.of("BACKEND_TIMEOUT_READ", "-PT1S", "BACKEND_TIMEOUT_READ must be an ISO-8601 duration such as PT10S, not '-PT1S'"),
            List.of("LOG_LEVEL", "chatty", "LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL"),
            List.of("LOG_FORMAT", "xml", "LOG_FORMAT must be text or json, not 'xml'"));

    static Stream<Arguments> badValues() {
        return BAD_VALUES.stream().map(row -> Arguments.of(row.get(0), row.get(1), row.get(2)));
    }

    @ParameterizedTest
    @MethodSource("badValues")
    void aBadValueStopsStartUpWithOneLineNamingTheVariable(String variable, String value, String message)
            throws Exception {
        Path log = temp.resolve("bad-" + variable + ".log");
        Map<String, String> env = new java.util.HashMap<>(Map.of("SERVER_PORT", String.valueOf(freePort()),
                                                                 "MANAGEMENT_PORT", String.valueOf(freePort())));
        env.put(variable, value);
        Process frontend = start(env, log);
        assertThat(frontend.waitFor(30, TimeUnit.SECONDS), is(true));
        assertThat(frontend.exitValue(), is(2));
        List<String> lines = Files.readAllLines(log).stream().filter(line -> !line.startsWith("WARNING: ")).toList();
        assertThat(lines.toString(), lines.size(), is(1));
        assertThat(lines.get(0), startsWith("names-frontend: configuration error: " + message));
    }

    @Test
    void theTableHasABadValueForEveryVariableOfTheContract() {
        Set<String> covered = BAD_VALUES.stream().map(row -> row.get(0)).collect(Collectors.toSet());
        assertThat(covered.containsAll(EnvironmentConfig.CONTRACT.names()), is(true));
    }

    private static void awaitUp(WebClient client) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try (HttpClientResponse res = client.get("/healthz").request()) {
                if (res.status() == Status.OK_200) {
                    return;
                }
            } catch (RuntimeException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("The frontend did not answer /healthz within 60 s");
    }

    private static Process start(Map<String, String> env, Path log) throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", JAR.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("BACKEND_") || key.startsWith("SERVER_")
                || key.startsWith("LOG_"));
        builder.environment().putAll(env);
        return builder.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
