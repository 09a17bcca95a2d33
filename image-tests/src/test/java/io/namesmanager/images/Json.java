package io.namesmanager.images;

import java.util.List;
import java.util.Map;

/** Typed access to parsed JSON/YAML trees (snakeyaml's maps and lists), failing with the path on a wrong shape. */
final class Json {

    private Json() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node, String key) {
        Object value = ((Map<String, Object>) node).get(key);
        if (!(value instanceof Map)) {
            throw new AssertionError("'" + key + "' is not an object in " + node);
        }
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Object node, String key) {
        Object value = ((Map<String, Object>) node).get(key);
        if (!(value instanceof List)) {
            throw new AssertionError("'" + key + "' is not a list in " + node);
        }
        return (List<Map<String, Object>>) value;
    }

    @SuppressWarnings("unchecked")
    static String string(Object node, String key) {
        Object value = ((Map<String, Object>) node).get(key);
        return value == null ? null : String.valueOf(value);
    }

    @SuppressWarnings("unchecked")
    static long number(Object node, String key) {
        Object value = ((Map<String, Object>) node).get(key);
        if (!(value instanceof Number number)) {
            throw new AssertionError("'" + key + "' is not a number in " + node);
        }
        return number.longValue();
    }
}
