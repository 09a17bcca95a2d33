package io.namesmanager.frontend;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.helidon.http.Status;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
                                            "LOG_LEVEL", "info"), log);
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
    void unknownLogLevelStopsStartUpWithAClearMessage() throws Exception {
        Path log = temp.resolve("bad-level.log");
        Process frontend = start(Map.of("LOG_LEVEL", "chatty", "SERVER_PORT", String.valueOf(freePort())), log);
        assertThat(frontend.waitFor(30, TimeUnit.SECONDS), is(true));
        assertThat(frontend.exitValue(), is(2));
        assertThat(Files.readString(log), containsString("LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL"));
    }

    @Test
    void unusableBackendUrlStopsStartUpWithAClearMessage() throws Exception {
        Path log = temp.resolve("bad-url.log");
        Process frontend = start(Map.of("BACKEND_URL", "api:8000", "SERVER_PORT", String.valueOf(freePort())), log);
        assertThat(frontend.waitFor(30, TimeUnit.SECONDS), is(true));
        assertThat(frontend.exitValue(), is(2));
        assertThat(Files.readString(log), containsString("BACKEND_URL must look like http://host:port"));
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
                || key.equals("LOG_LEVEL"));
        builder.environment().putAll(env);
        return builder.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
