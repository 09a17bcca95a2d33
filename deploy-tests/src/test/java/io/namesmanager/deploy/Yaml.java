package io.namesmanager.deploy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads YAML streams into Gson trees without losing what strict validation needs: duplicate keys are errors,
 * integers stay integers (Integer/Long/BigInteger) and floats stay Double, and an unquoted date stays a string
 * (as the API server would read it) instead of becoming a java.util.Date.
 */
final class Yaml {

    private Yaml() {
    }

    /** Every non-empty document of a YAML stream, as JSON objects. */
    static List<JsonObject> documents(String yaml, String source) {
        List<JsonObject> documents = new ArrayList<>();
        int index = 0;
        for (Object document : loader().loadAll(yaml)) {
            index++;
            if (document == null) {
                continue;
            }
            JsonElement json = toJson(document);
            if (!json.isJsonObject()) {
                throw new AssertionError(source + ": document " + index + " is not a mapping");
            }
            documents.add(json.getAsJsonObject());
        }
        return documents;
    }

    /** A JSON tree as YAML, for writing fixtures and messages. */
    static String dump(JsonElement json) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new org.yaml.snakeyaml.Yaml(new Representer(options), options).dump(toJava(json));
    }

    private static org.yaml.snakeyaml.Yaml loader() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        // A rendered overlay is far below this; raise it if one ever grows past it.
        options.setCodePointLimit(16 * 1024 * 1024);
        return new org.yaml.snakeyaml.Yaml(new SafeConstructor(options), new Representer(new DumperOptions()),
                                           new DumperOptions(), options, new NoTimestampResolver());
    }

    private static JsonElement toJson(Object value) {
        if (value == null) {
            return JsonNull.INSTANCE;
        }
        if (value instanceof Map<?, ?> map) {
            JsonObject object = new JsonObject();
            map.forEach((k, v) -> object.add(String.valueOf(k), toJson(v)));
            return object;
        }
        if (value instanceof List<?> list) {
            JsonArray array = new JsonArray();
            list.forEach(v -> array.add(toJson(v)));
            return array;
        }
        if (value instanceof String s) {
            return new JsonPrimitive(s);
        }
        if (value instanceof Boolean b) {
            return new JsonPrimitive(b);
        }
        if (value instanceof Integer || value instanceof Long || value instanceof BigInteger
                || value instanceof Double || value instanceof Float) {
            return new JsonPrimitive((Number) value);
        }
        if (value instanceof byte[] bytes) {
            return new JsonPrimitive(java.util.Base64.getEncoder().encodeToString(bytes));
        }
        return new JsonPrimitive(String.valueOf(value));
    }

    private static Object toJava(JsonElement json) {
        if (json == null || json.isJsonNull()) {
            return null;
        }
        if (json.isJsonObject()) {
            Map<String, Object> map = new java.util.LinkedHashMap<>();
            json.getAsJsonObject().entrySet().forEach(e -> map.put(e.getKey(), toJava(e.getValue())));
            return map;
        }
        if (json.isJsonArray()) {
            List<Object> list = new ArrayList<>();
            json.getAsJsonArray().forEach(e -> list.add(toJava(e)));
            return list;
        }
        JsonPrimitive p = json.getAsJsonPrimitive();
        if (p.isBoolean()) {
            return p.getAsBoolean();
        }
        if (p.isNumber()) {
            return p.getAsNumber();
        }
        return p.getAsString();
    }

    /** YAML 1.1 resolution as SnakeYAML does it, minus the timestamp rule. */
    private static final class NoTimestampResolver extends Resolver {
        @Override
        public void addImplicitResolver(Tag tag, Pattern regexp, String first, int limit) {
            if (!Tag.TIMESTAMP.equals(tag)) {
                super.addImplicitResolver(tag, regexp, first, limit);
            }
        }
    }
}
