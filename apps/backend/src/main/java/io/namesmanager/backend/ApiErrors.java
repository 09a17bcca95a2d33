package io.namesmanager.backend;

import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.helidon.dbclient.DbClientException;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.NotFoundException;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.HttpRouting;

/**
 * Every error the API answers is {@code {"error": "…"}}: errors raised in handlers are mapped once here, and the
 * direct handlers cover what the server refuses before routing (bodies over the size limit, malformed requests).
 */
final class ApiErrors {

    private static final Logger LOGGER = Logger.getLogger(ApiErrors.class.getName());

    private ApiErrors() {
    }

    /**
     * Registers the error handlers on a routing.
     *
     * @param routing the routing
     */
    static void register(HttpRouting.Builder routing) {
        routing.error(ApiException.class, (req, res, e) -> JsonBodies.send(res, e.status(), JsonBodies.error(e.getMessage())))
                .error(NotFoundException.class, (req, res, e) ->
                        JsonBodies.send(res, Status.NOT_FOUND_404, JsonBodies.error("Not found")))
                .error(DbClientException.class, (req, res, e) -> {
                    LOGGER.warning(() -> "Database call failed: " + SchemaMigrator.rootCause(e));
                    LOGGER.log(Level.FINE, "Database call failure", e);
                    JsonBodies.send(res, Status.SERVICE_UNAVAILABLE_503,
                                    JsonBodies.error(ApiException.databaseUnavailable().getMessage()));
                })
                .error(RuntimeException.class, (req, res, e) -> {
                    LOGGER.log(Level.SEVERE, "Unexpected error on " + req.prologue().method() + " " + req.path().path(), e);
                    JsonBodies.send(res, Status.INTERNAL_SERVER_ERROR_500, JsonBodies.error("Internal server error"));
                });
    }

    /**
     * JSON bodies for the responses the server sends without routing (413, malformed requests).
     *
     * @return the direct handlers
     */
    static DirectHandlers directHandlers() {
        DirectHandler json = (request, eventType, status, headers, message) -> {
            String text = switch (status.code()) {
                case 413 -> "Request body is too large.";
                case 400 -> "Bad request: " + (message == null || message.isBlank() ? "malformed HTTP request" : message);
                default -> status.code() >= 500 ? "Internal server error" : status.reasonPhrase();
            };
            headers.set(HeaderNames.CONTENT_TYPE, JsonBodies.JSON_UTF8.text());
            return DirectHandler.TransportResponse.builder()
                    .status(status)
                    .headers(headers)
                    .entity(JsonBodies.error(text).toString().getBytes(StandardCharsets.UTF_8))
                    .build();
        };
        DirectHandlers.Builder builder = DirectHandlers.builder();
        for (DirectHandler.EventType type : DirectHandler.EventType.values()) {
            builder.addHandler(type, json);
        }
        return builder.build();
    }
}
