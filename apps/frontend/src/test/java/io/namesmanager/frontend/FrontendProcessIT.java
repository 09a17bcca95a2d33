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
import java.util.concurrent.TimeUnit;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

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

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "LOG_LEVEL|chatty|LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL",
            "BACKEND_URL|api:8000|BACKEND_URL must look like http://host:port"})
    void badConfigurationStopsStartUpWithAClearMessage(String variable, String value, String message) throws Exception {
        Path log = temp.resolve("bad-" + variable + ".log");
        Process frontend = start(Map.of(variable, value, "SERVER_PORT", String.valueOf(freePort()),
                                        "MANAGEMENT_PORT", String.valueOf(freePort())), log);
        assertThat(frontend.waitFor(30, TimeUnit.SECONDS), is(true));
        assertThat(frontend.exitValue(), is(2));
        assertThat(Files.readString(log), containsString(message));
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
