package io.namesmanager.backend;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import io.helidon.dbclient.DbClient;
import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;

/**
 * Readiness: the database answers {@code SELECT 1} through the connection pool.
 * <p>
 * Bounded by the pool's {@code connectionTimeout} (2 s) to get a connection plus {@link #QUERY_TIMEOUT_SECONDS} for
 * the query, so a probe with a 3 s timeout sees 503 rather than its own timeout while the database is away. The
 * name ({@code jdbc}) and the {@code ErrorClass}/{@code ErrorMessage} details are those of the DB Client check this
 * replaces.
 */
final class DatabaseHealthCheck implements HealthCheck {

    static final int QUERY_TIMEOUT_SECONDS = 1;

    private final DbClient db;

    DatabaseHealthCheck(DbClient db) {
        this.db = db;
    }

    @Override
    public String name() {
        return "jdbc";
    }

    @Override
    public HealthCheckType type() {
        return HealthCheckType.READINESS;
    }

    @Override
    public HealthCheckResponse call() {
        try (Connection connection = db.unwrap(Connection.class);
             Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            statement.executeQuery("SELECT 1").close();
            return HealthCheckResponse.builder().status(true).build();
        } catch (SQLException | RuntimeException e) {
            return HealthCheckResponse.builder()
                    .status(false)
                    .detail("ErrorClass", e.getClass().getName())
                    .detail("ErrorMessage", e.getMessage())
                    .build();
        }
    }
}
