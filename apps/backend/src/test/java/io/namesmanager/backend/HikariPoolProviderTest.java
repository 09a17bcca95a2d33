package io.namesmanager.backend;

import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.dbclient.DbClientException;
import io.helidon.dbclient.jdbc.JdbcConnectionPool;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The connection pool dbclient-jdbc finds through its SPI, configured from {@code db.connection}.
 */
class HikariPoolProviderTest {

    @Test
    void serviceLoaderFindsHikariWithTheSettingsOfApplicationYaml() throws SQLException {
        Config config = TestDatabase.config(TestDatabase.settings("postgres"), Map.of());
        try (var pool = (HikariPoolProvider.Pool) JdbcConnectionPool.create(config.get("db.connection"))) {
            HikariDataSource hikari = pool.dataSource();
            assertThat(hikari.getPoolName(), is("names-db"));
            assertThat(hikari.getMaximumPoolSize(), is(10));
            assertThat(hikari.getMinimumIdle(), is(2));
            assertThat(hikari.getConnectionTimeout(), is(2000L));
            assertThat(hikari.getValidationTimeout(), is(1000L));
            assertThat(hikari.getKeepaliveTime(), is(60000L));
            assertThat(hikari.getInitializationFailTimeout(), is(-1L));
            assertThat(hikari.getUsername(), is("postgres"));
            assertThat(hikari.getDataSourceProperties().getProperty("connectTimeout"), is("2"));
            assertThat(hikari.getDataSourceProperties().getProperty("socketTimeout"), is("4"));
            // the driver got the data source properties
            try (Connection connection = pool.connection()) {
                assertThat(show(connection, "application_name"), is("names-backend"));
            }
        }
    }

    @Test
    void environmentOverridesReachThePool() {
        Config config = TestDatabase.config(TestDatabase.settings("postgres"),
                                            Map.of("db.connection.maximumPoolSize", "3",
                                                   "db.connection.poolName", "override-test"));
        try (var pool = (HikariPoolProvider.Pool) JdbcConnectionPool.create(config.get("db.connection"))) {
            assertThat(pool.dataSource().getMaximumPoolSize(), is(3));
            assertThat(pool.dataSource().getPoolName(), is("override-test"));
        }
    }

    @Test
    void startsWithoutDatabaseAndFailsWithinTheConnectionTimeout() throws IOException {
        DatabaseSettings nowhere = new DatabaseSettings("jdbc:postgresql://127.0.0.1:" + freePort() + "/postgres",
                                                        "postgres", null);
        Config config = TestDatabase.config(nowhere, Map.of("db.connection.poolName", "nowhere-test"));
        JdbcConnectionPool created = JdbcConnectionPool.create(config.get("db.connection"));
        assertThat(created, instanceOf(HikariPoolProvider.Pool.class));
        try (var pool = (HikariPoolProvider.Pool) created) {
            long start = System.nanoTime();
            assertThrows(DbClientException.class, pool::connection);
            assertThat(Duration.ofNanos(System.nanoTime() - start).toMillis(), lessThan(4000L));
        }
    }

    @Test
    void closeClosesThePool() {
        Config config = TestDatabase.config(TestDatabase.settings("postgres"), Map.of("db.connection.poolName", "close-test"));
        var pool = (HikariPoolProvider.Pool) JdbcConnectionPool.create(config.get("db.connection"));
        pool.close();
        assertThat(pool.dataSource().isClosed(), is(true));
    }

    private static String show(Connection connection, String setting) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SHOW " + setting)) {
            rows.next();
            return rows.getString(1);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
