package io.namesmanager.backend;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * The packaged jar as a process, the way the container runs it: environment variables in, signals to stop.
 */
class BackendProcessIT {

    private static final Path JAR = Path.of("target/names-backend.jar");

    @TempDir
    Path temp;

    @Test
    void servesFromTheJarLogsStatementsAndExitsZeroOnSigterm() throws Exception {
        int port = freePort();
        String url = freshDatabaseUrl("process_it", "postgres:hunter2-secret");
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
        int port = freePort();
        String url = freshDatabaseUrl("process_json", "postgres");
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
                assertThat(line, reader.readObject().keySet()
                        .containsAll(Set.of("timestamp", "level", "logger", "message", "thread")), is(true));
            }
        }
    }

    /** A bad value for every variable the backend reads, and the start of the one line it must print. */
    private static final List<List<String>> BAD_VALUES = List.of(
            List.of("SERVER_HOST", "bad host", "SERVER_HOST must be a host name or IP address such as 0.0.0.0, not 'bad host'"),
            List.of("SERVER_PORT", "80a", "SERVER_PORT must be a port number from 0 to 65535, not '80a'"),
            List.of("SERVER_PORT", "70000", "SERVER_PORT must be a port number from 0 to 65535, not '70000'"),
            List.of("MANAGEMENT_PORT", "-1", "MANAGEMENT_PORT must be a port number from 0 to 65535, not '-1'"),
            List.of("MAX_NAME_LENGTH", "0", "MAX_NAME_LENGTH must be a whole number from 1 to 999999999, not '0'"),
            List.of("DB_ECHO", "yes", "DB_ECHO must be true or false, not 'yes'"),
            List.of("DB_HOST", "db;drop", "DB_HOST must be a host name or IP address such as 0.0.0.0, not 'db;drop'"),
            List.of("DB_PORT", "5432x", "DB_PORT must be a port number from 0 to 65535, not '5432x'"),
            List.of("DATABASE_URL", "mysql://db/names", "DATABASE_URL must start with postgresql://"),
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
        Process backend = start(env, log);
        assertThat(backend.waitFor(30, TimeUnit.SECONDS), is(true));
        assertThat(backend.exitValue(), is(2));
        var lines = Files.readAllLines(log).stream().filter(line -> !line.startsWith("WARNING: ")).toList();
        assertThat(lines.toString(), lines.size(), is(1));
        assertThat(lines.get(0), startsWith("names-backend: configuration error: " + message));
    }

    @Test
    void theTableHasABadValueForEveryVariableOfTheContract() {
        Set<String> covered = BAD_VALUES.stream().map(row -> row.get(0)).collect(Collectors.toSet());
        assertThat(covered.containsAll(EnvironmentConfig.CONTRACT.names()), is(true));
    }

    @Test
    void aPortWithSpacesAroundItIsTrimmedNotACrash() throws Exception {
        int management = freePort();
        String url = freshDatabaseUrl("process_padded", "postgres");
        Process backend = start(Map.of("DATABASE_URL", url, "SERVER_PORT", " " + freePort(),
                                       "MANAGEMENT_PORT", management + " "), temp.resolve("padded.log"));
        try {
            Await.until("backend ready", Duration.ofSeconds(60), () -> ready(new ApiClient(management)));
        } finally {
            backend.destroy();
            backend.waitFor(15, TimeUnit.SECONDS);
        }
    }

    /** A new, empty database and its DATABASE_URL with USER_INFO ({@code user} or {@code user:password}). */
    private static String freshDatabaseUrl(String database, String userInfo) {
        TestDatabase.createDatabase(database);
        return TestDatabase.postgres().getJdbcUrl("postgres", database)
                .replace("jdbc:postgresql://", "postgresql://" + userInfo + "@");
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
