package io.namesmanager.backend;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;

/**
 * The connection pool's meters in {@code /observe/metrics} of a running backend.
 */
class PoolMetricsTest {

    @Test
    void gaugesShowThePoolOfARunningBackend() {
        var config = TestDatabase.config(TestDatabase.createDatabase("pool_metrics_test"),
                                         Map.of("db.connection.poolName", "metrics-up"));
        try (NamesBackend backend = NamesBackend.start(config)) {
            ApiClient api = new ApiClient(backend.port());
            ApiClient management = new ApiClient(backend.managementPort());
            Await.until("schema migrated", backend::migrated);
            assertThat(api.get("/api/names").statusCode(), is(200));
            // minimumIdle is 2: the pool fills up in the background
            Await.until("pool filled", () -> value(management, "hikaricp_connections", "metrics-up").orElse(0) >= 2);

            String metrics = prometheus(management);
            assertThat(value(metrics, "hikaricp_connections_active", "metrics-up").orElseThrow(), is(0.0));
            assertThat(value(metrics, "hikaricp_connections_idle", "metrics-up").orElseThrow(), greaterThanOrEqualTo(2.0));
            assertThat(value(metrics, "hikaricp_connections_pending", "metrics-up").orElseThrow(), is(0.0));
            assertThat(value(metrics, "hikaricp_connections_timeout_total", "metrics-up").orElseThrow(), is(0.0));
        }
    }

    @Test
    void acquireTimeoutsAreCounted() throws IOException {
        DatabaseSettings nowhere = new DatabaseSettings("jdbc:postgresql://127.0.0.1:" + freePort() + "/postgres",
                                                        "postgres", null);
        try (NamesBackend backend = NamesBackend.start(TestDatabase.config(nowhere,
                                                                           Map.of("db.connection.poolName", "metrics-down")))) {
            ApiClient api = new ApiClient(backend.port());
            ApiClient management = new ApiClient(backend.managementPort());
            // /api/health/db goes straight to the pool, which gives up after connectionTimeout
            assertThat(api.get("/api/health/db").statusCode(), is(503));
            assertThat(value(management, "hikaricp_connections_timeout_total", "metrics-down").orElseThrow(),
                       greaterThanOrEqualTo(1.0));
            assertThat(value(management, "hikaricp_connections_active", "metrics-down").orElseThrow(), is(0.0));
        }
    }

    @Test
    void closingTheBackendRemovesItsMeters() {
        var config = TestDatabase.config(TestDatabase.createDatabase("pool_metrics_close_test"),
                                         Map.of("db.connection.poolName", "metrics-closed"));
        NamesBackend first = NamesBackend.start(config);
        first.close();
        try (NamesBackend second = NamesBackend.start(TestDatabase.config(TestDatabase.settings("postgres"), Map.of()))) {
            assertThat(value(new ApiClient(second.managementPort()), "hikaricp_connections", "metrics-closed").isPresent(),
                       is(false));
        }
    }

    private static OptionalDouble value(ApiClient api, String name, String pool) {
        return value(prometheus(api), name, pool);
    }

    /** The value of one sample in the Prometheus text format, e.g. {@code name{pool="x",...} 2.0}. */
    private static OptionalDouble value(String metrics, String name, String pool) {
        Matcher sample = Pattern.compile("(?m)^" + name + "\\{[^}]*pool=\"" + pool + "\"[^}]*} (\\S+)").matcher(metrics);
        return sample.find() ? OptionalDouble.of(Double.parseDouble(sample.group(1))) : OptionalDouble.empty();
    }

    private static String prometheus(ApiClient api) {
        var response = api.send(HttpRequest.newBuilder(api.uri("/observe/metrics")).header("Accept", "text/plain").GET());
        assertThat(response.statusCode(), is(200));
        return response.body();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
