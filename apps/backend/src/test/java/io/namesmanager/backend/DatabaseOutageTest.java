package io.namesmanager.backend;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

/**
 * The backend without its database: it starts anyway, fails fast while the database is away and recovers by itself.
 * Uses its own PostgreSQL, stopped and started on the same port and data directory.
 */
class DatabaseOutageTest {

    @TempDir
    static Path dataDirectory;

    private static EmbeddedPostgres postgres;
    private static NamesBackend backend;

    @AfterAll
    static void stop() throws IOException {
        if (backend != null) {
            backend.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void startsWithoutDatabaseFailsFastDuringOutagesAndRecovers() throws IOException {
        int port = freePort();
        DatabaseSettings settings = new DatabaseSettings("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", null);
        backend = NamesBackend.start(TestDatabase.config(settings, Map.of()));
        ApiClient api = new ApiClient(backend.port());
        ApiClient management = new ApiClient(backend.managementPort());

        // 1. no database yet: alive, not ready, API answers 503 quickly
        assertDatabaseDown(api, management);

        // 2. the database appears: ready by itself, schema migrated
        postgres = startPostgres(port);
        Await.until("ready after the database started", () -> management.get("/observe/health/ready").statusCode() == 200);
        long id = api.create("survivor").getJsonNumber("id").longValue();

        // 3. outage
        postgres.close();
        assertDatabaseDown(api, management);

        // 4. the database returns: recovered without a restart, data still there
        postgres = startPostgres(port);
        Await.until("ready after the database returned", () -> management.get("/observe/health/ready").statusCode() == 200);
        assertThat(api.get("/api/names/" + id).statusCode(), is(200));
        assertThat(api.get("/api/health/db").statusCode(), is(200));
        assertThat(api.postJson("/api/names", "{\"name\":\"after\"}").statusCode(), is(201));
    }

    @Test
    void databaseRestartUnderLoadLosesNoAcknowledgedWrite() throws Exception {
        Path data = dataDirectory.resolve("restart");
        Files.createDirectories(data);
        int port = freePort();
        EmbeddedPostgres database = startPostgres(port, data);
        DatabaseSettings settings = new DatabaseSettings("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", null);
        try (NamesBackend restartBackend = NamesBackend.start(TestDatabase.config(settings, Map.of()))) {
            Await.until("schema migrated", restartBackend::migrated);
            WriteLoad load = new WriteLoad(restartBackend.port(), 6, "restart");
            Await.until("load running", () -> load.acknowledgedCount() > 100);

            database.close();
            Thread.sleep(3000);
            long acknowledgedBeforeRecovery = load.acknowledgedCount();
            database = startPostgres(port, data);
            Await.until("writes succeed again", () -> load.acknowledgedCount() > acknowledgedBeforeRecovery + 100);
            load.close();

            try (var connection = database.getPostgresDatabase().getConnection();
                 var rows = connection.createStatement().executeQuery("SELECT name FROM names")) {
                Set<String> stored = new HashSet<>();
                while (rows.next()) {
                    stored.add(rows.getString(1));
                }
                assertThat("every acknowledged write survived", stored.containsAll(load.acknowledged), is(true));
            }
            assertThat("errors during the outage are 503s", load.otherStatuses.keySet(), is(Set.of(503)));
            assertThat("and fast", load.slowestErrorMillis.get(), lessThan(5000L));
        } finally {
            database.close();
        }
    }

    private static void assertDatabaseDown(ApiClient api, ApiClient management) {
        assertThat(api.get("/healthz").statusCode(), is(200));
        assertThat(management.get("/observe/health/live").statusCode(), is(200));
        assertThat(management.get("/observe/health/ready").statusCode(), is(503));
        HttpResponse<String> db = api.get("/api/health/db");
        assertThat(db.statusCode(), is(503));
        assertThat(db.body(), is("{\"status\":\"unhealthy\",\"database\":\"disconnected\","
                + "\"error\":\"Database connection failed\"}"));
        for (String path : new String[] {"/api/names", "/api/names/1"}) {
            long start = System.nanoTime();
            HttpResponse<String> response = api.get(path);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(path + " answered " + response.body(), response.statusCode(), is(503));
            assertThat(ApiClient.json(response).containsKey("error"), is(true));
            assertThat(path + " took " + took, took.toMillis(), lessThan(5000L));
        }
        long start = System.nanoTime();
        assertThat(api.postJson("/api/names", "{\"name\":\"lost?\"}").statusCode(), is(503));
        assertThat(Duration.ofNanos(System.nanoTime() - start).toMillis(), lessThan(5000L));
    }

    private static EmbeddedPostgres startPostgres(int port) throws IOException {
        return startPostgres(port, dataDirectory.resolve("outage"));
    }

    private static EmbeddedPostgres startPostgres(int port, Path data) throws IOException {
        Files.createDirectories(data);
        return EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
