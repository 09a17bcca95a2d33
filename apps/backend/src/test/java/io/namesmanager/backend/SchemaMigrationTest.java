package io.namesmanager.backend;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Flyway migrations on a real PostgreSQL: fresh databases, concurrent replicas and a table adopted from the original
 * app's dump.
 */
class SchemaMigrationTest {

    @Test
    void createsTheTableOnAnEmptyDatabase() {
        migrator(TestDatabase.createDatabase("migrate_fresh")).migrate();
        assertThat(columnType("migrate_fresh", "id"), is("bigint"));
        assertThat(columnType("migrate_fresh", "name"), is("text"));
        assertThat(columnType("migrate_fresh", "created_at"), is("timestamp with time zone"));
        assertThat(TestDatabase.query("migrate_fresh", "SELECT max(version) FROM flyway_schema_history"), is("2"));
    }

    @Test
    void replicasMigratingAtOnceAllSucceed() throws Exception {
        migrateAsFourReplicas(TestDatabase.createDatabase("migrate_concurrent"));
        assertThat(TestDatabase.query("migrate_concurrent",
                                      "SELECT count(*) FROM flyway_schema_history WHERE success"), is("2"));
    }

    @Test
    void replicasAdoptingTheOriginalTableAtOnceAllSucceed() throws Exception {
        DatabaseSettings settings = TestDatabase.createDatabase("migrate_concurrent_legacy");
        TestDatabase.execute("migrate_concurrent_legacy",
                             "CREATE TABLE names (id SERIAL PRIMARY KEY, name VARCHAR(50) NOT NULL, created_at TIMESTAMP)");
        migrateAsFourReplicas(settings);
        assertThat(columnType("migrate_concurrent_legacy", "created_at"), is("timestamp with time zone"));
    }

    @Test
    void adoptsTheOriginalAppsTableWithItsRows() {
        DatabaseSettings settings = TestDatabase.createDatabase("migrate_legacy");
        TestDatabase.execute("migrate_legacy",
                             "CREATE TABLE names (id SERIAL PRIMARY KEY, name VARCHAR(50) NOT NULL, "
                                     + "created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP)",
                             "INSERT INTO names (name, created_at) VALUES ('Ada', '2024-01-02 03:04:05'), ('Linus', NULL)");
        migrator(settings).migrate();

        assertThat(columnType("migrate_legacy", "id"), is("bigint"));
        assertThat(columnType("migrate_legacy", "name"), is("text"));
        assertThat(columnType("migrate_legacy", "created_at"), is("timestamp with time zone"));
        assertThat(TestDatabase.query("migrate_legacy",
                                      "SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') "
                                              + "FROM names WHERE name = 'Ada'"), is("2024-01-02 03:04:05"));
        assertThat(TestDatabase.query("migrate_legacy", "SELECT count(*) FROM names WHERE created_at IS NOT NULL"), is("2"));
        // new rows continue the old sequence
        TestDatabase.execute("migrate_legacy", "INSERT INTO names (name) VALUES ('Grace')");
        assertThat(TestDatabase.query("migrate_legacy", "SELECT id FROM names WHERE name = 'Grace'"), is("3"));
    }

    @Test
    void migratesADatabaseThatHoldsOnlyUnrelatedTables() {
        DatabaseSettings settings = TestDatabase.createDatabase("migrate_unrelated");
        TestDatabase.execute("migrate_unrelated", "CREATE TABLE audit_log (entry text)");
        migrator(settings).migrate();
        assertThat(columnType("migrate_unrelated", "id"), is("bigint"));
        assertThat(TestDatabase.query("migrate_unrelated",
                                      "SELECT string_agg(version, ',' ORDER BY installed_rank) FROM flyway_schema_history "
                                      + "WHERE success"), is("0,1,2"));
    }

    @Test
    void aDatabaseThatAcceptsAndNeverAnswersFailsWithinTheConnectTimeout() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
) {
            Thread.ofVirtual().start(() -> {
                List<java.net.Socket> held = new ArrayList<>();
                while (!silent.isClosed()) {
                    try {
                        held.add(silent.accept()); // accepted, never answered
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            DatabaseSettings nowhere = new DatabaseSettings(
                    "jdbc:postgresql://127.0.0.1:" + silent.getLocalPort() + "/postgres", "postgres", null);
            long started = System.nanoTime();
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThrows(
                    FlywayException.class,
                    () -> new SchemaMigrator(nowhere, Duration.ofSeconds(2), Duration.ofMinutes(10)).migrate()));
            assertThat(Duration.ofNanos(System.nanoTime() - started).toSeconds(), lessThan(10L));
        }
    }

    @Test
    void aMigrationThatWaitsLongerThanTheSocketTimeoutGivesUp() throws Exception {
        DatabaseSettings settings = TestDatabase.createDatabase("migrate_stuck");
        try (Connection holder = DriverManager.getConnection(settings.jdbcUrl(), settings.username(), "");
             PreparedStatement lock = holder.prepareStatement("SELECT pg_advisory_lock(?)")) {
            // Another replica holds the migration lock and never lets go: the wait is a read that never returns.
            lock.setLong(1, 0x6e616d6573L);
            lock.execute();
            long started = System.nanoTime();
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThrows(
                    FlywayException.class,
                    () -> new SchemaMigrator(settings, Duration.ofSeconds(2), Duration.ofSeconds(2)).migrate()));
            assertThat(Duration.ofNanos(System.nanoTime() - started).toSeconds(), lessThan(10L));
        }
    }

    private static SchemaMigrator migrator(DatabaseSettings settings) {
        return new SchemaMigrator(settings, Duration.ofSeconds(2), Duration.ofMinutes(10));
    }

    /** Four replicas starting at once, each migrating with its own connection. */
    private static void migrateAsFourReplicas(DatabaseSettings settings) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> replicas = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            replicas.add(pool.submit(() -> migrator(settings).migrate()));
        }
        for (Future<?> replica : replicas) {
            replica.get();
        }
        pool.shutdown();
    }

    private static String columnType(String database, String column) {
        return TestDatabase.query(database, "SELECT data_type FROM information_schema.columns "
                + "WHERE table_name = 'names' AND column_name = '" + column + "'");
    }
}
