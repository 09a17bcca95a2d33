package io.namesmanager.backend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * One real PostgreSQL (embedded binaries, version 16) for the whole test run, started on first use.
 */
final class TestDatabase {

    private static EmbeddedPostgres postgres;

    private TestDatabase() {
    }

    static synchronized EmbeddedPostgres postgres() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("Embedded PostgreSQL did not start", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(TestDatabase::stop));
        }
        return postgres;
    }

    /**
     * Creates a fresh, empty database and returns its settings.
     *
     * @param name database name
     * @return settings for it
     */
    static DatabaseSettings createDatabase(String name) {
        execute("postgres", "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)", "CREATE DATABASE " + name);
        return settings(name);
    }

    static DatabaseSettings settings(String database) {
        return new DatabaseSettings(postgres().getJdbcUrl("postgres", database), "postgres", null);
    }

    static void execute(String database, String... statements) {
        try (Connection connection = postgres().getDatabase("postgres", database).getConnection();
             Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs a query and returns the first column of the first row as text.
     */
    static String query(String database, String sql) {
        try (Connection connection = postgres().getDatabase("postgres", database).getConnection();
             Statement statement = connection.createStatement();
             var rows = statement.executeQuery(sql)) {
            return rows.next() ? rows.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs a query and returns the first column of every row as text.
     */
    static List<String> queryColumn(String database, String sql) {
        try (Connection connection = postgres().getDatabase("postgres", database).getConnection();
             Statement statement = connection.createStatement();
             var rows = statement.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The application's configuration pointing at a database, the server on a free port.
     *
     * @param settings database settings
     * @param extra    further keys (override everything else)
     * @return the configuration
     */
    static Config config(DatabaseSettings settings, Map<String, String> extra) {
        Map<String, String> keys = new HashMap<>(settings.toConfig());
        keys.put("server.port", "0");
        keys.put("server.host", "127.0.0.1");
        keys.put("server.sockets.0.port", "0");
        keys.put("server.sockets.0.host", "127.0.0.1");
        keys.putAll(extra);
        return Config.builder()
                .addSource(ConfigSources.create(keys))
                .addSource(ConfigSources.classpath("application.yaml"))
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .build();
    }

    private static synchronized void stop() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
