package io.namesmanager.backend;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.helidon.health.HealthCheckResponse;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Brings the schema up to date with Flyway, retrying in the background until the database is reachable.
 * <p>
 * The service starts without a database and becomes ready once this has succeeded, so a database that starts late
 * (or a pod scheduled before it) needs no restart. Replicas starting at once take turns on a PostgreSQL advisory
 * lock: Flyway locks only the migrations themselves, and two first starts on an adopted database would otherwise
 * race to create and baseline the history table.
 */
final class SchemaMigrator implements AutoCloseable {

    private static final Logger LOGGER = Logger.getLogger(SchemaMigrator.class.getName());
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration MAX_RETRY = Duration.ofSeconds(30);

    /** Advisory lock key shared by every replica ("names" in ASCII). */
    private static final long LOCK_KEY = 0x6e616d6573L;

    private final Flyway flyway;
    private final DatabaseSettings settings;
    private final String url;
    private volatile boolean migrated;
    private volatile Thread worker;

    /**
     * A migrator whose connections (Flyway's and the lock's) give up on a database that does not answer.
     *
     * @param settings       where the database is
     * @param connectTimeout for connecting and logging in
     * @param socketTimeout  for any one read: long, since a migration may rewrite a large table
     */
    SchemaMigrator(DatabaseSettings settings, Duration connectTimeout, Duration socketTimeout) {
        this.settings = settings;
        this.url = withTimeouts(settings.jdbcUrl(), connectTimeout, socketTimeout);
        this.flyway = Flyway.configure()
                .dataSource(url, settings.username(), settings.password())
                .locations("classpath:db/migration")
                // Adopts a non-empty schema: a names table restored from the original app's pg_dump (V1 is then a
                // no-op and V2 aligns it) or unrelated tables (V1 creates names). Baselining at 0, not Flyway's
                // default 1, is what still runs V1 there.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load();
    }

    /** The JDBC URL with pgjdbc's connect, login and socket timeouts (whole seconds, at least 1). */
    static String withTimeouts(String jdbcUrl, Duration connect, Duration socket) {
        long connectSeconds = Math.max(1, connect.toSeconds());
        return jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "connectTimeout=" + connectSeconds
               + "&loginTimeout=" + connectSeconds + "&socketTimeout=" + Math.max(1, socket.toSeconds());
    }

    /**
     * Migrates now, in the calling thread.
     *
     * @throws org.flywaydb.core.api.FlywayException if the database is unreachable or a migration fails
     */
    void migrate() {
        MigrateResult result;
        try (Connection connection = connect()) {
            lock(connection, "SELECT pg_advisory_lock(?)");
            try {
                result = flyway.migrate();
            } finally {
                lock(connection, "SELECT pg_advisory_unlock(?)");
            }
        } catch (SQLException e) {
            throw new FlywayException("Cannot take the migration lock: " + e.getMessage(), e);
        }
        migrated = true;
        // targetSchemaVersion is null when there was nothing to apply
        String version = result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion;
        LOGGER.info(() -> "Database schema is at version " + version + " (" + result.migrationsExecuted
                + " migration(s) applied now)");
    }

    /**
     * Starts migrating in a background thread, retrying with exponential backoff until it succeeds or
     * {@link #close()} is called.
     *
     * @return this
     */
    SchemaMigrator startInBackground() {
        worker = Thread.ofVirtual().name("schema-migration").start(this::migrateWithRetries);
        return this;
    }

    private Connection connect() throws SQLException {
        Properties login = new Properties();
        if (settings.username() != null) {
            login.setProperty("user", settings.username());
        }
        if (settings.password() != null) {
            login.setProperty("password", settings.password());
        }
        return DriverManager.getConnection(url, login);
    }

    private static void lock(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, LOCK_KEY);
            statement.execute();
        }
    }

    boolean migrated() {
        return migrated;
    }

    /**
     * Readiness of the schema: up once it is migrated.
     *
     * @return the health check response
     */
    HealthCheckResponse readiness() {
        return HealthCheckResponse.builder().status(migrated).detail("migrated", migrated).build();
    }

    @Override
    public void close() {
        Thread running = worker;
        if (running != null) {
            running.interrupt();
        }
    }

    private void migrateWithRetries() {
        Duration delay = FIRST_RETRY;
        while (!migrated && !Thread.currentThread().isInterrupted()) {
            try {
                migrate();
            } catch (RuntimeException e) {
                Duration wait = delay;
                // Flyway masks the URL and never shows the password. One line per attempt; the stack only at FINE.
                LOGGER.warning(() -> "Database not migrated yet (" + rootCause(e) + "), retrying in "
                        + wait.toSeconds() + " s");
                LOGGER.log(Level.FINE, "Migration failure", e);
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException interrupted) {
                    return;
                }
                delay = delay.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : delay.multipliedBy(2);
            }
        }
    }

    static String rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}
