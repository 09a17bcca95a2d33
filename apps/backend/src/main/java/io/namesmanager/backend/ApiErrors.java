package io.namesmanager.backend;

import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.helidon.dbclient.DbClientException;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.NotFoundException;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.HttpRouting;

import io.namesmanager.common.RequestIds;

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
                .error(HttpException.class, (req, res, e) ->
                        JsonBodies.send(res, e.status(), JsonBodies.error(e.status().code() >= 500
                                ? "Internal server error" : e.status().reasonPhrase())))
                .error(DbClientException.class, (req, res, e) -> {
                    if (transientFailure(e)) {
                        LOGGER.warning(() -> "Database call failed: " + SchemaMigrator.rootCause(e));
                        LOGGER.log(Level.FINE, "Database call failure", e);
                        JsonBodies.send(res, Status.SERVICE_UNAVAILABLE_503,
                                        JsonBodies.error(ApiException.databaseUnavailable().getMessage()));
                    } else {
                        // A mistyped statement or a schema that does not match is a bug, not an outage.
                        LOGGER.log(Level.SEVERE, "Database error on " + req.prologue().method().text() + " "
                                + req.prologue().uriPath().path() + " (request " + requestId(res) + "): "
                                + SchemaMigrator.rootCause(e), e);
                        JsonBodies.send(res, Status.INTERNAL_SERVER_ERROR_500, JsonBodies.error("Internal server error"));
                    }
                })
                .error(RuntimeException.class, (req, res, e) -> {
                    LOGGER.log(Level.SEVERE, "Unexpected error on " + req.prologue().method().text() + " " + req.prologue().uriPath().path()
                            + " (request " + requestId(res) + ")", e);
                    JsonBodies.send(res, Status.INTERNAL_SERVER_ERROR_500, JsonBodies.error("Internal server error"));
                });
    }

    /** The request's id: RequestIds set it on the response before the handler ran. */
    private static String requestId(io.helidon.webserver.http.ServerResponse res) {
        return RequestIds.current().or(() -> res.headers().first(RequestIds.HEADER)).orElse("-");
    }

    /**
     * Whether a failed database call is worth retrying later: no connection (or none free in the pool), a timeout,
     * or a server that is shutting down or overloaded — SQL states 08 (connection), 53 (insufficient resources),
     * 57 (operator intervention: admin shutdown, cannot connect now, statement cancelled) and 40001/40P01
     * (serialisation failure, deadlock).
     */
    static boolean transientFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.sql.SQLTransientException || t instanceof java.sql.SQLRecoverableException
                || t instanceof java.net.SocketTimeoutException || t instanceof java.net.ConnectException) {
                return true;
            }
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                return state.startsWith("08") || state.startsWith("53") || state.startsWith("57")
                       || state.equals("40001") || state.equals("40P01");
            }
        }
        return false;
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
