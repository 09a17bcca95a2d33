package io.namesmanager.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The PostgreSQL the backend container uses in place of the cluster's StatefulSet (podman kube play does not run
 * StatefulSets): PostgreSQL 16 from the embedded binaries, on 127.0.0.1 only, with a role and database of the
 * names the Secret {@code db-credentials} carries and a password generated for this run. Every connection but the
 * harness' own superuser must authenticate with that password (scram-sha-256).
 */
final class TestDatabase implements AutoCloseable {

    static final String USER = "names";
    static final String DATABASE = "namesdb";

    private final EmbeddedPostgres postgres;
    private final String password;

    private TestDatabase(EmbeddedPostgres postgres, String password) {
        this.postgres = postgres;
        this.password = password;
    }

    /** Starts a fresh cluster in DATA_DIR (emptied first). */
    static TestDatabase start(Path dataDir) {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(true)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setPGStartupWait(Duration.ofMinutes(1))
                    .setDataDirectoryCustomizer(dir -> passwordsOnly(dir.toPath()))
                    .start();
            try (Connection connection = postgres.getPostgresDatabase().getConnection();
                 Statement statement = connection.createStatement()) {
                statement.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + password + "'");
                statement.execute("CREATE DATABASE " + DATABASE + " OWNER " + USER);
            }
            return new TestDatabase(postgres, password);
        } catch (IOException | SQLException e) {
            throw new AssertionError("Cannot start the test PostgreSQL in " + dataDir, e);
        }
    }

    /** Only the harness' superuser connects without a password. */
    private static void passwordsOnly(Path dataDir) {
        try {
            Files.writeString(dataDir.resolve("pg_hba.conf"), """
                    host all postgres 127.0.0.1/32 trust
                    host all postgres ::1/128 trust
                    host all all 127.0.0.1/32 scram-sha-256
                    host all all ::1/128 scram-sha-256
                    """);
        } catch (IOException e) {
            throw new AssertionError("Writing pg_hba.conf", e);
        }
    }

    int port() {
        return postgres.getPort();
    }

    String password() {
        return password;
    }

    /** Opens a connection as USER with PASSWORD (to check the authentication the backend goes through). */
    Connection connectAs(String user, String password) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port() + "/" + DATABASE, user, password);
    }

    /** How many sessions USER has open now (the backend's pool shows here). */
    int sessionsOf(String user) {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT count(*) FROM pg_stat_activity WHERE usename = '" + user + "'")) {
            rows.next();
            return rows.getInt(1);
        } catch (SQLException e) {
            throw new AssertionError("Reading pg_stat_activity", e);
        }
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new AssertionError("Stopping the test PostgreSQL", e);
        }
    }
}
