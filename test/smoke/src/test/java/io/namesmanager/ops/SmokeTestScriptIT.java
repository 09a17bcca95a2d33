package io.namesmanager.ops;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * scripts/smoke-test.sh against the local stack, for real: an embedded PostgreSQL, the packaged backend and frontend
 * jars as processes on free ports (the frontend proxying /api to the backend, as in the cluster), and the script run
 * by bash exactly as an operator runs it. Nothing is skipped: a missing jar, bash or curl fails the test.
 */
class SmokeTestScriptIT {

    private static final Path ROOT = Path.of(System.getProperty("project.root", "../..")).toAbsolutePath().normalize();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final List<Process> services = new ArrayList<>();
    private EmbeddedPostgres postgres;

    @TempDir
    Path temp;

    @AfterEach
    void stop() throws Exception {
        for (Process service : services) {
            service.destroy();
            if (!service.waitFor(20, TimeUnit.SECONDS)) {
                service.destroyForcibly();
            }
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void passesAgainstTheLocalStackLeavesNothingBehindAndFailsWhenTheDatabaseIsGone() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        int backendPort = freePort();
        int frontendPort = freePort();
        String databaseUrl = "postgresql://postgres@localhost:" + postgres.getPort() + "/postgres";
        start("backend", ROOT.resolve("apps/backend/target/names-backend.jar"),
              Map.of("DATABASE_URL", databaseUrl, "SERVER_PORT", String.valueOf(backendPort)));
        start("frontend", ROOT.resolve("apps/frontend/target/names-frontend.jar"),
              Map.of("BACKEND_URL", "http://localhost:" + backendPort, "SERVER_PORT", String.valueOf(frontendPort)));
        String url = "http://localhost:" + frontendPort;
        awaitOk(url + "/api/health/db");

        Result passing = smokeTest(url);
        assertThat(passing.output(), passing.exitCode(), is(0));
        assertThat(passing.output(), containsString("smoke test: 8 passed, 0 failed (" + url + ")"));
        assertThat(passing.output(), containsString("PASS  gone"));
        assertThat("the smoke test leaves no rows behind", countNames(), is(0L));

        postgres.close();
        postgres = null;
        Result failing = smokeTest(url);
        assertThat(failing.output(), failing.exitCode(), is(1));
        assertThat(failing.output(), containsString("PASS  healthz"));
        assertThat(failing.output(), containsString("FAIL  database   GET /api/health/db: expected 200, got 503"));
        assertThat(failing.output(), containsString("FAIL  add        POST /api/names: expected 201, got 503"));
        assertThat(failing.output(), containsString("smoke test: 2 passed, 6 failed"));
    }

    private record Result(int exitCode, String output) {
    }

    private Result smokeTest(String url) throws Exception {
        Path script = ROOT.resolve("scripts/smoke-test.sh");
        Process process = new ProcessBuilder("bash", script.toString(), "--timeout", "10", url)
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat("smoke-test.sh finished in time", process.waitFor(150, TimeUnit.SECONDS), is(true));
        return new Result(process.exitValue(), output);
    }

    private long countNames() throws Exception {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM names")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private void start(String name, Path jar, Map<String, String> env) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run ./mvnw verify (or package) from the root");
        }
        String java = ProcessHandle.current().info().command().orElseThrow();
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", jar.toString())
                .redirectErrorStream(true)
                .redirectOutput(temp.resolve(name + ".log").toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("DB_") || key.startsWith("POSTGRES_")
                || key.equals("DATABASE_URL") || key.equals("BACKEND_URL") || key.startsWith("LOG_"));
        builder.environment().putAll(env);
        services.add(builder.start());
    }

    private void awaitOk(String url) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build();
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            for (Process service : services) {
                if (!service.isAlive()) {
                    throw new AssertionError("a service exited (" + service.exitValue() + "):\n" + logs());
                }
            }
            try {
                if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError(url + " did not answer 200 within " + START_TIMEOUT + ":\n" + logs());
    }

    private String logs() throws IOException {
        StringBuilder all = new StringBuilder();
        for (String name : List.of("backend", "frontend")) {
            Path log = temp.resolve(name + ".log");
            if (Files.exists(log)) {
                all.append("--- ").append(name).append('\n').append(Files.readString(log));
            }
        }
        return all.toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
