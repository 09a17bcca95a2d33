package io.namesmanager.backend;

import java.net.ConnectException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Stopping the backend lets in-flight requests finish and refuses new connections.
 */
class GracefulShutdownTest {

    @Test
    void inFlightRequestFinishesAndIsStored() throws Exception {
        NamesBackend backend = NamesBackend.start(TestDatabase.config(TestDatabase.createDatabase("shutdown_test"), Map.of()));
        Await.until("schema migrated", backend::migrated);
        int port = backend.port();
        ApiClient api = new ApiClient(port);

        CompletableFuture<HttpResponse<String>> inFlight;
        CompletableFuture<Long> stopped;
        try (Connection connection = TestDatabase.postgres().getDatabase("postgres", "shutdown_test").getConnection();
             Statement statement = connection.createStatement()) {
            // Hold a lock so the insert is still running when the stop begins.
            connection.setAutoCommit(false);
            statement.execute("LOCK TABLE names IN ACCESS EXCLUSIVE MODE");
            inFlight = CompletableFuture.supplyAsync(() -> api.postJson("/api/names", "{\"name\":\"in flight\"}"));
            Await.until("insert waiting for the lock", () -> "1".equals(TestDatabase.query("postgres",
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = 'shutdown_test' AND wait_event_type = 'Lock'")));
            stopped = CompletableFuture.supplyAsync(() -> {
                long start = System.nanoTime();
                backend.close();
                return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            });
            Thread.sleep(500);
            assertThat("stop waits for the in-flight request", stopped.isDone(), is(false));
            connection.commit();
        }

        HttpResponse<String> response = inFlight.get(10, TimeUnit.SECONDS);
        assertThat(response.statusCode(), is(201));
        // within the grace period (server.shutdown-grace-period, 10 s) plus closing the pool
        assertThat(stopped.get(15, TimeUnit.SECONDS), lessThan(12_000L));
        assertThat(TestDatabase.query("shutdown_test", "SELECT name FROM names"), is("in flight"));
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
    }

    @Test
    void stopUnderConcurrentLoadLosesNothing() throws Exception {
        NamesBackend backend = NamesBackend.start(TestDatabase.config(TestDatabase.createDatabase("drain_test"), Map.of()));
        Await.until("schema migrated", backend::migrated);
        WriteLoad load = new WriteLoad(backend.port(), 8, "drain");
        Await.until("load running", () -> load.acknowledgedCount() > 200);

        long start = System.nanoTime();
        backend.close();
        long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        load.close();

        Set<String> stored = new HashSet<>(TestDatabase.queryColumn("drain_test", "SELECT name FROM names"));
        // every 201 is stored, and nothing is stored whose client did not get its 201 (no answer cut off)
        assertThat(stored.size(), is(load.acknowledged.size()));
        assertThat(stored, is(load.acknowledged));
        assertThat("only refused or closed connections, no error statuses", load.otherStatuses.keySet(), is(Set.of()));
        // each connection ends after its current request: no waiting out the grace period
        assertThat(stopMillis, lessThan(5_000L));
    }
}
