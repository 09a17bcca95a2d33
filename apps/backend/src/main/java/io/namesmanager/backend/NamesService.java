package io.namesmanager.backend;

import java.util.Optional;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import io.namesmanager.common.JsonErrors;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * The names resource, registered on {@code /api/names}.
 */
final class NamesService implements HttpService {

    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;

    private final NamesRepository repository;
    private final NameRules rules;

    NamesService(NamesRepository repository, NameRules rules) {
        this.repository = repository;
        this.rules = rules;
    }

    @Override
    public void routing(HttpRules rules) {
        rules
                // a page of names: ?limit=1..1000&after=<last id seen>
                .get("/", this::list)
                // add a name: {"name": "..."}
                .post("/", this::create)
                .get("/{id}", this::get)
                .delete("/{id}", this::delete)
                // Any other method on these paths: 405 with what they allow, not a 404 for a path that exists.
                .any("/", methodNotAllowed("GET, HEAD, POST"))
                .any("/{id}", methodNotAllowed("GET, HEAD, DELETE"));
    }

    private static io.helidon.webserver.http.Handler methodNotAllowed(String allow) {
        return (req, res) -> {
            res.header(HeaderNames.ALLOW, allow);
            JsonErrors.send(res, Status.METHOD_NOT_ALLOWED_405,
                            "Method " + req.prologue().method().text() + " is not allowed here.");
        };
    }

    private void list(ServerRequest req, ServerResponse res) {
        var query = req.query();
        int limit = (int) parseNumber(query.first("limit").asOptional(), DEFAULT_LIMIT, 1, MAX_LIMIT,
                                      "limit must be an integer between 1 and " + MAX_LIMIT + ".");
        long after = parseNumber(query.first("after").asOptional(), 0, 0, Long.MAX_VALUE,
                                 "after must be a non-negative integer (the last id seen).");
        JsonBodies.send(res, Status.OK_200, repository.list(after, limit).toJson());
    }

    private void create(ServerRequest req, ServerResponse res) {
        JsonObject body = JsonBodies.readObject(req);
        JsonValue name = body.get("name");
        if (name == null || name.getValueType() == JsonValue.ValueType.NULL) {
            throw ApiException.badRequest("Name cannot be empty.");
        }
        if (!(name instanceof JsonString text)) {
            throw ApiException.badRequest("Name must be a string.");
        }
        NameRecord created = repository.insert(rules.normalise(text.getString()));
        res.header(HeaderNames.LOCATION, "/api/names/" + created.id());
        JsonBodies.send(res, Status.CREATED_201, created.toJson());
    }

    private void get(ServerRequest req, ServerResponse res) {
        NameRecord name = repository.find(id(req)).orElseThrow(() -> ApiException.notFound("Name not found"));
        JsonBodies.send(res, Status.OK_200, name.toJson());
    }

    private void delete(ServerRequest req, ServerResponse res) {
        if (!repository.delete(id(req))) {
            throw ApiException.notFound("Name not found");
        }
        res.status(Status.NO_CONTENT_204).send();
    }

    private static long id(ServerRequest req) {
        return parseNumber(Optional.of(req.path().pathParameters().get("id")), 0, 1, Long.MAX_VALUE,
                           "Invalid id: it must be a positive integer.");
    }

    private static long parseNumber(Optional<String> value, long defaultValue, long min, long max, String message) {
        if (value.isEmpty()) {
            return defaultValue;
        }
        String text = value.get();
        // Digits only: no sign, spaces, decimals or exponents.
        if (text.isEmpty() || text.length() > 19 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw ApiException.badRequest(message);
        }
        try {
            long number = Long.parseLong(text);
            if (number < min || number > max) {
                throw ApiException.badRequest(message);
            }
            return number;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(message);
        }
    }
}
