package io.namesmanager.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Edits a copy of an object at a path, for negative fixtures: {@code spec.template.spec.containers[0].image};
 * a key that contains dots is written in quotes: {@code metadata.labels."app.kubernetes.io/name"}.
 */
final class JsonEdit {

    private final JsonObject root;

    private JsonEdit(JsonObject root) {
        this.root = root;
    }

    /** Starts editing a deep copy. */
    static JsonEdit copyOf(JsonObject object) {
        return new JsonEdit(object.deepCopy());
    }

    /** Sets a value given as JSON text ("\"text\"", "8000", "true", "{}", ...), creating objects on the way. */
    JsonEdit set(String path, String json) {
        List<String> parts = parse(path);
        JsonElement parent = navigate(parts.subList(0, parts.size() - 1), true);
        String last = parts.get(parts.size() - 1);
        JsonElement value = JsonParser.parseString(json);
        if (last.startsWith("[")) {
            parent.getAsJsonArray().set(index(last), value);
        } else {
            parent.getAsJsonObject().add(last, value);
        }
        return this;
    }

    /** Removes a field or array element; fails if it is not there (a fixture that edits nothing proves nothing). */
    JsonEdit remove(String path) {
        List<String> parts = parse(path);
        JsonElement parent = navigate(parts.subList(0, parts.size() - 1), false);
        String last = parts.get(parts.size() - 1);
        JsonElement removed = last.startsWith("[") ? parent.getAsJsonArray().remove(index(last))
                : parent.getAsJsonObject().remove(last);
        if (removed == null) {
            throw new IllegalArgumentException("fixture edit: nothing at " + path);
        }
        return this;
    }

    /** Applies any other change. */
    JsonEdit with(String path, Consumer<JsonElement> change) {
        change.accept(navigate(parse(path), false));
        return this;
    }

    JsonObject json() {
        return root;
    }

    private JsonElement navigate(List<String> parts, boolean create) {
        JsonElement current = root;
        for (String part : parts) {
            JsonElement next;
            if (part.startsWith("[")) {
                JsonArray array = current.getAsJsonArray();
                next = array.get(index(part));
            } else {
                JsonObject object = current.getAsJsonObject();
                next = object.get(part);
                if (next == null && create) {
                    next = new JsonObject();
                    object.add(part, next);
                }
            }
            if (next == null) {
                throw new IllegalArgumentException("fixture edit: nothing at '" + part + "' of " + parts);
            }
            current = next;
        }
        return current;
    }

    private static int index(String part) {
        return Integer.parseInt(part.substring(1, part.length() - 1));
    }

    private static List<String> parse(String path) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (char c : path.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && (c == '.' || c == '[')) {
                if (current.length() > 0) {
                    parts.add(current.toString());
                }
                current.setLength(0);
                if (c == '[') {
                    current.append('[');
                }
            } else {
                current.append(c);
            }
        }
        if (current.length() > 0) {
            parts.add(current.toString());
        }
        return parts;
    }
}
