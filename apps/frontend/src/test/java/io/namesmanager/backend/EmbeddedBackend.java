package io.namesmanager.backend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The real backend for the frontend's tests: one embedded PostgreSQL 16 (random port) and one backend server (port 0)
 * per test JVM, started on first use and stopped when the JVM exits. It lives in the backend's package to reach
 * {@link NamesBackend#start}, the entry point the backend's own tests use.
 */
public final class EmbeddedBackend {
    private static final String DATABASE = "postgres";

    private static EmbeddedPostgres postgres;
    private static NamesBackend backend;

    private EmbeddedBackend() {
    }

    /**
     * The backend's base URL, starting PostgreSQL and the backend first if needed; waits for the schema migration.
     *
     * @return e.g. {@code http://127.0.0.1:41234}
     */
    public static synchronized String url() {
        if (backend == null) {
            try {
                postgres = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("Embedded PostgreSQL did not start", e);
            }
            DatabaseSettings settings = new DatabaseSettings(postgres.getJdbcUrl("postgres", DATABASE), "postgres", null);
            Map<String, String> keys = new HashMap<>(settings.toConfig());
            keys.put("server.host", "127.0.0.1");
            keys.put("server.port", "0");
            keys.put("server.sockets.0.host", "127.0.0.1");
            keys.put("server.sockets.0.port", "0");
            backend = NamesBackend.start(Config.builder()
                                                 .addSource(ConfigSources.create(keys))
                                                 .addSource(ConfigSources.url(backendResource("application.yaml")))
                                                 .disableEnvironmentVariablesSource()
                                                 .disableSystemPropertiesSource()
                                                 .build());
            Runtime.getRuntime().addShutdownHook(new Thread(EmbeddedBackend::stop, "embedded-backend-stop"));
            awaitMigration();
        }
        return "http://127.0.0.1:" + backend.port();
    }

    /**
     * Empties the names table and restarts its ids, so each test starts from a known state.
     */
    public static synchronized void clear() {
        url();
        try (Connection connection = postgres.getDatabase("postgres", DATABASE).getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE names RESTART IDENTITY");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Both modules ship an {@code application.yaml} and the frontend's comes first on the test class path: take the
     * one from the jar (or classes directory) that holds the backend.
     */
    private static URL backendResource(String name) {
        try {
            Path location = Path.of(NamesBackend.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(location)) {
                return location.resolve(name).toUri().toURL();
            }
            return URI.create("jar:" + location.toUri() + "!/" + name).toURL();
        } catch (URISyntaxException | MalformedURLException e) {
            throw new IllegalStateException("Cannot locate the backend's " + name, e);
        }
    }

    private static void awaitMigration() {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!backend.migrated()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The backend did not migrate its schema within 60 s");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static synchronized void stop() {
        backend.close();
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
