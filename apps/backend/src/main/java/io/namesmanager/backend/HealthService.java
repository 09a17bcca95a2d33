package io.namesmanager.backend;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import jakarta.json.Json;
import jakarta.json.JsonObject;

/**
 * The original app's health endpoints, kept for its users and scripts; probes use {@code /observe/health/*}.
 */
final class HealthService implements HttpService {

    private static final JsonObject OK = Json.createObjectBuilder().add("status", "ok").build();
    private static final JsonObject DB_UP = Json.createObjectBuilder()
            .add("status", "healthy")
            .add("database", "connected")
            .build();
    // No exception text or URL: this endpoint is public.
    private static final JsonObject DB_DOWN = Json.createObjectBuilder()
            .add("status", "unhealthy")
            .add("database", "disconnected")
            .add("error", "Database connection failed")
            .build();

    private final NamesRepository repository;
    private final JsonObject service;

    HealthService(NamesRepository repository, String serviceName, String version) {
        this.repository = repository;
        this.service = Json.createObjectBuilder()
                .add("status", "healthy")
                .add("service", serviceName)
                .add("version", version)
                .build();
    }

    @Override
    public void routing(HttpRules rules) {
        rules
                // liveness: the process answers, no database call
                .get("/healthz", (req, res) -> JsonBodies.send(res, Status.OK_200, OK))
                .get("/api/health", (req, res) -> JsonBodies.send(res, Status.OK_200, service))
                .get("/api/health/db", this::database);
    }

    private void database(ServerRequest req, ServerResponse res) {
        if (repository.ping()) {
            JsonBodies.send(res, Status.OK_200, DB_UP);
        } else {
            JsonBodies.send(res, Status.SERVICE_UNAVAILABLE_503, DB_DOWN);
        }
    }
}
