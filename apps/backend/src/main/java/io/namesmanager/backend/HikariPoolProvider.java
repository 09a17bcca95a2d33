package io.namesmanager.backend;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;

import io.helidon.config.Config;
import io.helidon.dbclient.DbClientException;
import io.helidon.dbclient.jdbc.CloseableJdbcConnectionPool;
import io.helidon.dbclient.jdbc.JdbcConnectionPool;
import io.helidon.dbclient.jdbc.spi.JdbcConnectionPoolProvider;
import io.helidon.metrics.api.Metrics;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * The DB Client's connection pool: HikariCP, found by dbclient-jdbc through {@code META-INF/services}.
 * <p>
 * {@code db.connection} holds {@code url}, {@code username}, {@code password} and HikariCP's own property names as
 * they are ({@code connectionTimeout}, {@code maximumPoolSize}, …; {@code dataSource.*} goes to the JDBC driver).
 * The pool's metrics are in {@code /observe/metrics} ({@link PoolMetrics}).
 */
public final class HikariPoolProvider implements JdbcConnectionPoolProvider {

    /**
     * Called by the service loader.
     */
    public HikariPoolProvider() {
    }

    @Override
    public String configKey() {
        return "hikari";
    }

    @Override
    public JdbcConnectionPool create(Config config, String name) {
        return new Pool(config);
    }

    /**
     * A running HikariCP pool; closed by the DB Client's {@code close()}.
     */
    static final class Pool implements CloseableJdbcConnectionPool {

        private final HikariDataSource dataSource;
        private final PoolMetrics metrics;

        private Pool(Config config) {
            Properties properties = new Properties();
            Map<String, String> keys = config.detach().asMap().orElseGet(Map::of);
            keys.forEach((key, value) -> {
                // "helidon" is reserved by dbclient-jdbc for its own keys.
                if (!key.equals("url") && !key.equals("username") && !key.equals("password")
                        && !key.startsWith("helidon.")) {
                    properties.setProperty(key, value);
                }
            });
            HikariConfig hikari = new HikariConfig(properties);
            hikari.setJdbcUrl(keys.get("url"));
            hikari.setUsername(keys.get("username"));
            hikari.setPassword(keys.get("password"));
            metrics = new PoolMetrics(Metrics.globalRegistry());
            hikari.setMetricsTrackerFactory(metrics);
            dataSource = new HikariDataSource(hikari);
            metrics.register(dataSource.getPoolName(), dataSource.getHikariPoolMXBean());
        }

        @Override
        public Connection connection() {
            try {
                return dataSource.getConnection();
            } catch (SQLException e) {
                throw new DbClientException("No database connection from pool " + dataSource.getPoolName(), e);
            }
        }

        HikariDataSource dataSource() {
            return dataSource;
        }

        @Override
        public void close() {
            dataSource.close();
            metrics.close();
        }
    }
}
