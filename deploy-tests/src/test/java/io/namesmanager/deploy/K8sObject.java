package io.namesmanager.deploy;

import java.util.Optional;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * One Kubernetes object and where it came from (an overlay's render, or a file).
 *
 * @param json   the object
 * @param source where it came from, for messages
 */
record K8sObject(JsonObject json, String source) {

    String apiVersion() {
        return string(json, "apiVersion").orElse("");
    }

    String kind() {
        return string(json, "kind").orElse("");
    }

    String name() {
        return metadata().flatMap(m -> string(m, "name")).orElse("");
    }

    String namespace() {
        return metadata().flatMap(m -> string(m, "namespace")).orElse("");
    }

    /** "Kind/name", the way messages name an object. */
    String id() {
        return kind() + "/" + name();
    }

    Optional<JsonObject> metadata() {
        return object(json, "metadata");
    }

    Optional<String> label(String key) {
        return metadata().flatMap(m -> object(m, "labels")).flatMap(l -> string(l, key));
    }

    Optional<String> annotation(String key) {
        return metadata().flatMap(m -> object(m, "annotations")).flatMap(a -> string(a, key));
    }

    boolean is(String kind, String name) {
        return kind().equals(kind) && name().equals(name);
    }

    /** A field's string value, if it is a string. */
    static Optional<String> string(JsonObject object, String field) {
        JsonElement value = object == null ? null : object.get(field);
        return value != null && value.isJsonPrimitive() && value.getAsJsonPrimitive().isString()
                ? Optional.of(value.getAsString()) : Optional.empty();
    }

    /** A field's object value, if it is an object. */
    static Optional<JsonObject> object(JsonObject object, String field) {
        JsonElement value = object == null ? null : object.get(field);
        return value != null && value.isJsonObject() ? Optional.of(value.getAsJsonObject()) : Optional.empty();
    }

    /** Follows a dotted path of object fields. */
    static Optional<JsonElement> path(JsonObject object, String dottedPath) {
        JsonElement current = object;
        for (String part : dottedPath.split("\\.")) {
            if (current == null || !current.isJsonObject()) {
                return Optional.empty();
            }
            current = current.getAsJsonObject().get(part);
        }
        return Optional.ofNullable(current).filter(e -> !e.isJsonNull());
    }
}
