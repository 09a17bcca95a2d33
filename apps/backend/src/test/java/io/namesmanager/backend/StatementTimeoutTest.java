package io.namesmanager.backend;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * A statement that outlasts its bound fails on the server as well as on the client: a 503 never leaves a row that
 * is stored later.
 */
class StatementTimeoutTest {

    @Test
    void anInsertStuckBehindALockIs503AndNeverStored() throws Exception {
        String database = "statement_timeout_test";
        try (NamesBackend backend = NamesBackend.start(TestDatabase.config(TestDatabase.createDatabase(database), Map.of()))) {
            Await.until("schema migrated", backend::migrated);
            ApiClient api = new ApiClient(backend.port());
            try (Connection connection = TestDatabase.postgres().getDatabase("postgres", database).getConnection();
                 Statement statement = connection.createStatement()) {
                connection.setAutoCommit(false);
                statement.execute("LOCK TABLE names IN ACCESS EXCLUSIVE MODE");
                // Held until the answer: longer than any bound of the request.
                HttpResponse<String> response = api.postJson("/api/names", "{\"name\":\"told it failed\"}");
                assertThat(response.statusCode(), is(503));
                // Still holding the lock: the insert must be gone, not waiting to go ahead once it is released.
                Await.until("the insert cancelled", java.time.Duration.ofSeconds(5), () -> "0".equals(TestDatabase.query("postgres",
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = '" + database
                        + "' AND wait_event_type = 'Lock'")));
                connection.commit();
            }
            assertThat(TestDatabase.query(database, "SELECT count(*) FROM names"), is("0"));
        }
    }
}
