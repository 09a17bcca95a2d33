package io.namesmanager.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Flyway migrations on a real PostgreSQL: fresh databases, concurrent replicas and a table adopted from the original
 * app's dump.
 */
class SchemaMigrationTest {

    @Test
    void createsTheTableOnAnEmptyDatabase() {
        new SchemaMigrator(TestDatabase.createDatabase("migrate_fresh")).migrate();
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
        new SchemaMigrator(settings).migrate();

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

    /** Four replicas starting at once, each migrating with its own connection. */
    private static void migrateAsFourReplicas(DatabaseSettings settings) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> replicas = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            replicas.add(pool.submit(() -> new SchemaMigrator(settings).migrate()));
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
