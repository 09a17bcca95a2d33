package io.namesmanager.backend;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/**
 * Health and metrics endpoints with the database up.
 */
class HealthEndpointsTest {

    private static NamesBackend backend;
    private static ApiClient api;
    private static ApiClient management;

    @BeforeAll
    static void start() {
        backend = NamesBackend.start(TestDatabase.config(TestDatabase.createDatabase("health_test"), Map.of()));
        api = new ApiClient(backend.port());
        management = new ApiClient(backend.managementPort());
        Await.until("schema migrated", backend::migrated);
    }

    @AfterAll
    static void stop() {
        backend.close();
    }

    @Test
    void healthz() {
        HttpResponse<String> response = api.get("/healthz");
        assertThat(response.statusCode(), is(200));
        assertThat(response.body(), is("{\"status\":\"ok\"}"));
    }

    @Test
    void apiHealthNamesServiceAndVersion() {
        HttpResponse<String> response = api.get("/api/health");
        assertThat(response.statusCode(), is(200));
        assertThat(response.body(), is("{\"status\":\"healthy\",\"service\":\"names-backend\",\"version\":\""
                + NamesBackend.version() + "\"}"));
        assertThat(NamesBackend.version().matches("\\d+\\.\\d+\\.\\d+.*"), is(true));
    }

    @Test
    void apiHealthDb() {
        HttpResponse<String> response = api.get("/api/health/db");
        assertThat(response.statusCode(), is(200));
        assertThat(response.body(), is("{\"status\":\"healthy\",\"database\":\"connected\"}"));
    }

    @Test
    void observeHealthLiveReadyStarted() {
        assertThat(management.get("/observe/health/live").statusCode(), is(200));
        assertThat(management.get("/observe/health/started").statusCode(), is(200));
        HttpResponse<String> ready = management.get("/observe/health/ready");
        assertThat(ready.statusCode(), is(200));
        // the readiness checks: the database answers and the schema is migrated
        assertThat(ready.body(), containsString("\"schema\""));
        assertThat(ready.body(), containsString("jdbc"));
    }

    @Test
    void databaseCheckIsNotALivenessCheck() {
        assertThat(management.get("/observe/health/live").body().contains("\"schema\""), is(false));
        assertThat(management.get("/observe/health/live").body().contains("jdbc"), is(false));
    }

    @Test
    void metricsInPrometheusTextFormat() {
        api.get("/api/names");
        HttpResponse<String> response = management.send(HttpRequest.newBuilder(management.uri("/observe/metrics"))
                                                          .header("Accept", "text/plain").GET());
        assertThat(response.statusCode(), is(200));
        assertThat(response.headers().firstValue("Content-Type").orElseThrow(), startsWith("text/plain"));
        assertThat(response.body(), containsString("# TYPE"));
        assertThat(response.body(), containsString("jvm_uptime"));
    }
}
