package io.namesmanager.backend;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;

import io.helidon.dbclient.DbClient;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

/**
 * The readiness check of the database, on a real PostgreSQL and on none.
 */
class DatabaseHealthCheckTest {

    @Test
    void upWhenTheDatabaseAnswers() {
        try (DbClient db = DbClient.create(TestDatabase.config(TestDatabase.settings("postgres"),
                                                               Map.of("db.connection.poolName", "check-up")).get("db"))) {
            DatabaseHealthCheck check = new DatabaseHealthCheck(db);
            assertThat(check.name(), is("jdbc"));
            assertThat(check.type(), is(HealthCheckType.READINESS));
            assertThat(check.call().status(), is(HealthCheckResponse.Status.UP));
        }
    }

    @Test
    void downQuicklyWithoutDatabase() throws IOException {
        DatabaseSettings nowhere = new DatabaseSettings("jdbc:postgresql://127.0.0.1:" + freePort() + "/postgres",
                                                        "postgres", null);
        try (DbClient db = DbClient.create(TestDatabase.config(nowhere, Map.of("db.connection.poolName", "check-down"))
                                                   .get("db"))) {
            long start = System.nanoTime();
            HealthCheckResponse response = new DatabaseHealthCheck(db).call();
            // within the readiness probe's 3 s timeout
            assertThat(Duration.ofNanos(System.nanoTime() - start).toMillis(), lessThan(3000L));
            assertThat(response.status(), is(HealthCheckResponse.Status.DOWN));
            assertThat(response.details().get("ErrorClass"), is("io.helidon.dbclient.DbClientException"));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
