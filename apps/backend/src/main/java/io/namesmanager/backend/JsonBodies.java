package io.namesmanager.backend;

import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.NoSuchElementException;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.BadRequestException;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;

/**
 * Reading JSON request bodies strictly, and writing JSON responses with an explicit UTF-8 content type.
 */
final class JsonBodies {

    /** {@code application/json; charset=utf-8}, the content type of every body this API sends. */
    static final HttpMediaType JSON_UTF8 = HttpMediaType.create(MediaTypes.APPLICATION_JSON)
            .withCharset("utf-8");

    /**
     * The JSON provider, looked up once. Every {@code Json.createXxx()} call looks it up again through the
     * ServiceLoader, scanning the jars on the class path: with one builder per row that lookup was most of the
     * CPU time of {@code GET /api/names} (docs/performance.md).
     */
    static final JsonProvider JSON = JsonProvider.provider();

    private JsonBodies() {
    }

    /**
     * Reads the body as a JSON object.
     *
     * @param req the request
     * @return the object
     * @throws ApiException 415 unless the content type is JSON in UTF-8; 400 for bytes that are not UTF-8,
     *                      malformed JSON or JSON that is not an object
     */
    static JsonObject readObject(ServerRequest req) {
        HttpMediaType type = contentType(req);
        if (!type.test(MediaTypes.APPLICATION_JSON)) {
            throw notJson();
        }
        String charset = type.charset().orElse("utf-8").toLowerCase(Locale.ROOT);
        if (!charset.equals("utf-8") && !charset.equals("utf8")) {
            throw new ApiException(Status.UNSUPPORTED_MEDIA_TYPE_415, "JSON must be encoded as UTF-8.");
        }
        byte[] bytes = req.content().hasEntity() ? req.content().as(byte[].class) : new byte[0];
        JsonValue value = parse(decodeUtf8(bytes));
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw ApiException.badRequest("Invalid JSON body.");
        }
        return value.asJsonObject();
    }

    /**
     * Sends a JSON body with the given status.
     *
     * @param res    the response
     * @param status the status
     * @param body   the body
     */
    static void send(ServerResponse res, Status status, JsonStructure body) {
        res.status(status);
        res.headers().contentType(JSON_UTF8);
        res.send(body.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static HttpMediaType contentType(ServerRequest req) {
        try {
            return req.headers().contentType().orElseThrow(JsonBodies::notJson);
        } catch (IllegalArgumentException | BadRequestException unparsable) {
            // Helidon 4.5 reports an unparsable Content-Type as BadRequestException (4.1: IllegalArgumentException).
            throw notJson();
        }
    }

    private static ApiException notJson() {
        return new ApiException(Status.UNSUPPORTED_MEDIA_TYPE_415, "Content-Type must be application/json.");
    }

    private static String decodeUtf8(byte[] bytes) {
        try {
            // A replacing decoder would store U+FFFD instead of what was sent: refuse instead.
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest("Request body is not valid UTF-8.");
        }
    }

    private static JsonValue parse(String text) {
        try (JsonParser parser = JSON.createParser(new StringReader(text))) {
            if (!parser.hasNext()) {
                throw ApiException.badRequest("Invalid JSON body.");
            }
            parser.next();
            JsonValue value = parser.getValue();
            // Exactly one JSON value: trailing content is as malformed as a missing brace.
            if (parser.hasNext()) {
                throw ApiException.badRequest("Invalid JSON body.");
            }
            return value;
        } catch (JsonException | IllegalStateException | NoSuchElementException e) {
            throw ApiException.badRequest("Invalid JSON body.");
        }
    }
}
