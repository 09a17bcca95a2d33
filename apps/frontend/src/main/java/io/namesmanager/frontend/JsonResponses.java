package io.namesmanager.frontend;

import java.nio.charset.StandardCharsets;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.DirectHandler;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.HttpMediaType;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.ServerResponse;

import jakarta.json.Json;

/**
 * The frontend's own JSON bodies: {@code {"error": "..."}} for every error it answers itself, and small status objects.
 */
final class JsonResponses {
    /** Content type of every JSON body the frontend writes. */
    static final Header CONTENT_TYPE = HeaderValues.create(
            HeaderNames.CONTENT_TYPE,
            HttpMediaType.create(MediaTypes.APPLICATION_JSON).withCharset("utf-8").text());

    private JsonResponses() {
    }

    /**
     * Sends {@code {"error": message}} with the given status.
     *
     * @param res     response to send
     * @param status  status code
     * @param message human-readable message
     */
    static void error(ServerResponse res, Status status, String message) {
        send(res, status, "error", message);
    }

    /**
     * Sends a one-member JSON object.
     *
     * @param res    response to send
     * @param status status code
     * @param key    member name
     * @param value  member value
     */
    static void send(ServerResponse res, Status status, String key, String value) {
        res.status(status).header(CONTENT_TYPE).send(body(key, value));
    }

    /**
     * A one-member JSON object, escaped by JSON-P.
     *
     * @param key   member name
     * @param value member value
     * @return UTF-8 bytes
     */
    static byte[] body(String key, String value) {
        return Json.createObjectBuilder().add(key, value).build().toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Direct handlers answer what the server rejects before routing (an entity over {@code max-payload-size}, a
     * malformed request line or header): here they answer JSON with the security headers, like every routed response.
     *
     * @return direct handlers for all event types
     */
    static DirectHandlers directHandlers() {
        DirectHandler handler = JsonResponses::direct;
        DirectHandlers.Builder builder = DirectHandlers.builder();
        for (DirectHandler.EventType type : DirectHandler.EventType.values()) {
            builder.addHandler(type, handler);
        }
        return builder.build();
    }

    private static DirectHandler.TransportResponse direct(DirectHandler.TransportRequest request,
                                                          DirectHandler.EventType eventType,
                                                          Status status,
                                                          ServerResponseHeaders headers,
                                                          String message) {
        ResponseHeaders.addSecurityHeaders(headers);
        DirectHandler.TransportResponse.Builder response = DirectHandler.TransportResponse.builder()
                .status(status)
                .headers(headers);
        // A 304 (static content revalidation ends here too) must carry no body and no Content-Type: a cache would
        // copy that type onto the stored page.
        if (hasBody(status)) {
            headers.set(CONTENT_TYPE);
            response.entity(body("error", directMessage(status, message)));
        }
        return response.build();
    }

    private static boolean hasBody(Status status) {
        int code = status.code();
        return code >= 200 && code != 204 && code != 205 && code != 304;
    }

    /**
     * The message a direct handler answers: Helidon's own text where it has one (already reduced to a safe message),
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
        // A 5xx message is an exception's text: internals stay in the log.
        if (status.code() >= 500 || message == null || message.isBlank()) {
            return status.reasonPhrase() + ".";
        }
        return message;
    }
}
