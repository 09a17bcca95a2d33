package io.namesmanager.backend;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * The packaged jar as a process, the way the container runs it: environment variables in, signals to stop.
 */
class BackendProcessIT {

    private static final Path JAR = Path.of("target/names-backend.jar");

    @TempDir
    Path temp;

    @Test
    void servesFromTheJarLogsStatementsAndExitsZeroOnSigterm() throws Exception {
        TestDatabase.createDatabase("process_it");
        int port = freePort();
        String url = TestDatabase.postgres().getJdbcUrl("postgres", "process_it")
                .replace("jdbc:postgresql://", "postgresql://postgres:hunter2-secret@");
        Path log = temp.resolve("backend.log");
        int management = freePort();
        Process backend = start(Map.of("DATABASE_URL", url, "SERVER_PORT", String.valueOf(port),
                                       "MANAGEMENT_PORT", String.valueOf(management),
                                       "LOG_LEVEL", "info", "DB_ECHO", "true"), log);
        try {
            ApiClient api = new ApiClient(port);
            Await.until("backend ready", Duration.ofSeconds(60), () -> ready(new ApiClient(management)));
            assertThat(api.create("from the jar").getString("name"), is("from the jar"));

            backend.destroy(); // SIGTERM
            assertThat("exited within the grace period", backend.waitFor(15, TimeUnit.SECONDS), is(true));
            assertThat(backend.exitValue(), is(0));
        } finally {
            backend.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(output, containsString("insert-name: INSERT INTO names"));
        assertThat(output, containsString("SIGTERM received"));
        assertThat(output, not(containsString("hunter2-secret")));
    }

    @Test
    void jsonLogFormatWritesOneObjectPerLine() throws Exception {
        TestDatabase.createDatabase("process_json");
        int port = freePort();
        String url = TestDatabase.postgres().getJdbcUrl("postgres", "process_json").replace("jdbc:postgresql://", "postgresql://postgres@");
        Path log = temp.resolve("json.log");
        int management = freePort();
        Process backend = start(Map.of("DATABASE_URL", url, "SERVER_PORT", String.valueOf(port),
                                       "MANAGEMENT_PORT", String.valueOf(management), "LOG_FORMAT", "json"), log);
        try {
            Await.until("backend ready", Duration.ofSeconds(60), () -> ready(new ApiClient(management)));
            backend.destroy();
            assertThat(backend.waitFor(15, TimeUnit.SECONDS), is(true));
        } finally {
            backend.destroyForcibly();
        }
        var lines = Files.readAllLines(log).stream().filter(line -> !line.startsWith("WARNING: ")).toList();
        assertThat(lines.size() > 3, is(true));
        for (String line : lines) {
            try (var reader = jakarta.json.Json.createReader(new java.io.StringReader(line))) {
                assertThat(line, reader.readObject().containsKey("level"), is(true));
            }
        }
    }

    @Test
    void unknownLogLevelStopsStartUpWithAClearMessage() throws Exception {
        Path log = temp.resolve("bad.log");
        Process backend = start(Map.of("LOG_LEVEL", "chatty", "SERVER_PORT", String.valueOf(freePort()),
                                       "MANAGEMENT_PORT", String.valueOf(freePort())), log);
        assertThat(backend.waitFor(30, TimeUnit.SECONDS), is(true));
        assertThat(backend.exitValue(), is(2));
        assertThat(Files.readString(log), containsString("LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL"));
    }

    /** Readiness, on the management port. */
    private static boolean ready(ApiClient management) {
        try {
            return management.get("/observe/health/ready").statusCode() == 200;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static Process start(Map<String, String> env, Path log) throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", JAR.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("DB_") || key.startsWith("POSTGRES_")
                || key.equals("DATABASE_URL") || key.equals("LOG_LEVEL"));
        builder.environment().putAll(env);
        return builder.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
