package io.namesmanager.common;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.DirectHandler;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.HttpException;
import io.helidon.http.HttpMediaType;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import jakarta.json.Json;

/**
 * Every error either service answers itself is {@code {"error": "…"}} in UTF-8 JSON: what the server refuses before
 * routing (direct handlers: a body over {@code max-payload-size}, a malformed request), Helidon's
 * {@link HttpException}s with their own status (404, 405, 415, …), and a bug (500, logged SEVERE with the request
 * id). A 5xx never carries an exception's text: internals stay in the log.
 */
public final class JsonErrors {

    /** Content type of every JSON body: {@code application/json; charset=utf-8}. */
    public static final Header CONTENT_TYPE = HeaderValues.create(
            HeaderNames.CONTENT_TYPE,
            HttpMediaType.create(MediaTypes.APPLICATION_JSON).withCharset("utf-8").text());

    private static final Logger LOGGER = Logger.getLogger(JsonErrors.class.getName());
    private static final String INTERNAL = "Internal server error.";

    private JsonErrors() {
    }

    /**
     * Sends {@code {"error": message}}.
     *
     * @param res     response to send
     * @param status  status code
     * @param message human-readable message
     */
    public static void send(ServerResponse res, Status status, String message) {
        res.status(status).header(CONTENT_TYPE).send(body(message));
    }

    /**
     * {@code {"error": message}}, escaped by JSON-P.
     *
     * @param message human-readable message
     * @return UTF-8 bytes
     */
    public static byte[] body(String message) {
        return Json.createObjectBuilder().add("error", message).build().toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Registers the handlers for Helidon's own exceptions and for bugs. A service registers its own exceptions too;
     * Helidon picks the handler of the closest class.
     *
     * @param routing routing to add them to
     */
    public static void register(HttpRouting.Builder routing) {
        routing.error(HttpException.class, (req, res, e) -> {
                    if (e.status().code() >= 500) {
                        internalError(req, res, e);
                    } else if (hasBody(e.status())) {
                        send(res, e.status(), e.status().reasonPhrase() + ".");
                    } else {
                        res.status(e.status()).send();
                    }
                })
                .error(RuntimeException.class, JsonErrors::internalError);
    }

    /**
     * Answers a bug: 500, and a SEVERE line with the method, path, request id and stack trace.
     *
     * @param req   the request
     * @param res   its response
     * @param error what went wrong
     */
    public static void internalError(ServerRequest req, ServerResponse res, Throwable error) {
        LOGGER.log(Level.SEVERE, "Unexpected error on " + req.prologue().method().text() + " "
                + req.prologue().uriPath().path() + " (request " + requestId(res) + ")", error);
        send(res, Status.INTERNAL_SERVER_ERROR_500, INTERNAL);
    }

    /**
     * The request's id for a log line: {@link RequestIds} set it on the response before any handler ran.
     *
     * @param res the response
     * @return the id, or {@code -} outside a request
     */
    public static String requestId(ServerResponse res) {
        return RequestIds.current().or(() -> res.headers().first(RequestIds.HEADER)).orElse("-");
    }

    /**
     * Direct handlers for every event type: JSON errors for what the server answers without routing.
     *
     * @param decorate adds a service's own headers (the frontend's security headers) to every such response
     * @return the direct handlers
     */
    public static DirectHandlers directHandlers(Consumer<ServerResponseHeaders> decorate) {
        DirectHandler handler = (request, eventType, status, headers, message) -> {
            decorate.accept(headers);
            DirectHandler.TransportResponse.Builder response = DirectHandler.TransportResponse.builder()
                    .status(status)
                    .headers(headers);
            // A 304 (static content revalidation) must carry no body and no Content-Type: a cache would copy that
            // type onto the stored page.
            if (hasBody(status)) {
                headers.set(CONTENT_TYPE);
                response.entity(body(directMessage(status, message)));
            }
            return response.build();
        };
        DirectHandlers.Builder builder = DirectHandlers.builder();
        for (DirectHandler.EventType type : DirectHandler.EventType.values()) {
            builder.addHandler(type, handler);
        }
        return builder.build();
    }

    /**
     * The message of a direct handler: Helidon's own text where it has one (already reduced to a safe message),
     * otherwise one derived from the status.
     *
     * @param status  status about to be sent
     * @param message Helidon's message, may be {@code null} or empty
     * @return message for the {@code error} member
     */
    static String directMessage(Status status, String message) {
        if (status.code() == Status.REQUEST_ENTITY_TOO_LARGE_413.code()) {
            return "Request body is too large.";
        }
        if (status.code() == Status.INTERNAL_SERVER_ERROR_500.code()) {
            return INTERNAL;
        }
        if (status.code() >= 500 || message == null || message.isBlank()) {
            return status.reasonPhrase() + ".";
        }
        return message;
    }

    private static boolean hasBody(Status status) {
        int code = status.code();
        return code >= 200 && code != 204 && code != 205 && code != 304;
    }
}
