package io.namesmanager.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The whole app on a developer machine in one command: an embedded PostgreSQL (unless {@code DATABASE_URL} names
 * another) and each service jar as its own process, as in the cluster. Ctrl-C stops the services gracefully, then
 * the database.
 */
public final class LocalStack {

    private static final Logger LOGGER = Logger.getLogger(LocalStack.class.getName());
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    private final List<Process> services = new ArrayList<>();
    private EmbeddedPostgres postgres;

    private LocalStack() {
    }

    /**
     * Starts the stack from the project's root directory and runs until interrupted.
     *
     * @param args ignored
     * @throws Exception if something cannot start
     */
    public static void main(String[] args) throws Exception {
        LocalStack stack = new LocalStack();
        Runtime.getRuntime().addShutdownHook(new Thread(stack::stop, "local-stack-stop"));
        stack.start(Path.of("").toAbsolutePath());
        for (Process service : stack.services) {
            service.onExit().thenAccept(p -> LOGGER.warning(() -> "A service exited with status " + p.exitValue()));
        }
        Thread.currentThread().join();
    }

    private void start(Path root) throws IOException {
        String databaseUrl = System.getenv("DATABASE_URL");
        if (databaseUrl == null || databaseUrl.isBlank()) {
            Path data = root.resolve(".local-data/postgres");
            Files.createDirectories(data);
            int port = Integer.parseInt(System.getenv().getOrDefault("LOCAL_DB_PORT", "54320"));
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(data)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .start();
            databaseUrl = "postgresql://postgres@localhost:" + port + "/postgres";
            LOGGER.info("Embedded PostgreSQL on localhost:" + port + ", data in " + data);
        }
        services.add(startService(root.resolve("apps/backend/target/names-backend.jar"),
                                  Map.of("DATABASE_URL", databaseUrl, "SERVER_PORT", "8000")));
        services.add(startService(root.resolve("apps/frontend/target/names-frontend.jar"),
                                  Map.of("SERVER_PORT", "8080", "BACKEND_URL", "http://localhost:8000")));
        LOGGER.info("Names Manager on http://localhost:8080 (the API alone: curl localhost:8000/api/names)");
    }

    private static Process startService(Path jar, Map<String, String> env) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build the jars first (scripts/run-local.sh does)");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", jar.toString()).inheritIO();
        builder.environment().putAll(env);
        return builder.start();
    }

    private void stop() {
        // SIGTERM to each service: they drain and exit 0 on their own.
        services.forEach(Process::destroy);
        for (Process service : services) {
            try {
                if (!service.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    service.destroyForcibly();
                }
            } catch (InterruptedException e) {
                service.destroyForcibly();
            }
        }
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                LOGGER.warning("PostgreSQL did not stop cleanly: " + e.getMessage());
            }
        }
    }
}
