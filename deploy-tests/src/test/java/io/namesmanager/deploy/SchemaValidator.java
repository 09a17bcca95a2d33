package io.namesmanager.deploy;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.annotations.SerializedName;
import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1CronJob;
import io.kubernetes.client.openapi.models.V1DaemonSet;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Ingress;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1LimitRange;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1ResourceQuota;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1RoleBinding;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import io.namesmanager.deploy.crd.AppProject;
import io.namesmanager.deploy.crd.Application;
import io.namesmanager.deploy.crd.Required;
import io.namesmanager.deploy.crd.SealedSecret;

/**
 * Strict structural validation of Kubernetes objects, offline, in the manner of {@code kubeconform -strict}.
 *
 * <p>Every object is walked against a model class: the Kubernetes 1.36 API models of client-java-api 27.0.0
 * (their static {@code openapiFields}/{@code openapiRequiredFields} and the generic types of their fields), or the
 * project's records for custom resources ({@link io.namesmanager.deploy.crd}). Reported: an unknown field at any
 * depth, a missing or null required field, a value of the wrong JSON type (integer, int32 range, number, boolean,
 * string, object, array, map values), an invalid resource quantity or base64 value, and an apiVersion/kind with
 * no model ("no schema"). Enum values and cross-field rules are not schema matters here; {@link Policies} and
 * {@link Contract} check the ones that matter.
 */
final class SchemaValidator {

    /** apiVersion/kind → model. Extend here (and only here) when the project uses a new kind. */
    static final Map<String, Class<?>> KINDS;

    static {
        Map<String, Class<?>> kinds = new LinkedHashMap<>();
        kinds.put("v1/Namespace", V1Namespace.class);
        kinds.put("v1/ServiceAccount", V1ServiceAccount.class);
        kinds.put("v1/ConfigMap", V1ConfigMap.class);
        kinds.put("v1/Secret", V1Secret.class);
        kinds.put("v1/Service", V1Service.class);
        kinds.put("v1/PersistentVolumeClaim", V1PersistentVolumeClaim.class);
        kinds.put("v1/ResourceQuota", V1ResourceQuota.class);
        kinds.put("v1/LimitRange", V1LimitRange.class);
        kinds.put("apps/v1/Deployment", V1Deployment.class);
        kinds.put("apps/v1/StatefulSet", V1StatefulSet.class);
        kinds.put("apps/v1/DaemonSet", V1DaemonSet.class);
        kinds.put("batch/v1/Job", V1Job.class);
        kinds.put("batch/v1/CronJob", V1CronJob.class);
        kinds.put("autoscaling/v2/HorizontalPodAutoscaler", V2HorizontalPodAutoscaler.class);
        kinds.put("networking.k8s.io/v1/NetworkPolicy", V1NetworkPolicy.class);
        kinds.put("networking.k8s.io/v1/Ingress", V1Ingress.class);
        kinds.put("policy/v1/PodDisruptionBudget", V1PodDisruptionBudget.class);
        kinds.put("rbac.authorization.k8s.io/v1/Role", V1Role.class);
        kinds.put("rbac.authorization.k8s.io/v1/RoleBinding", V1RoleBinding.class);
        kinds.put("bitnami.com/v1alpha1/SealedSecret", SealedSecret.class);
        kinds.put("argoproj.io/v1alpha1/Application", Application.class);
        kinds.put("argoproj.io/v1alpha1/AppProject", AppProject.class);
        KINDS = Collections.unmodifiableMap(kinds);
    }

    /** Kubernetes' quantity syntax: a decimal number with an optional binary, decimal or exponent suffix. */
    private static final Pattern QUANTITY =
            Pattern.compile("[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[KMGTPE]i|[numkMGTPE]|[eE][+-]?[0-9]+)?");
    private static final BigInteger INT64_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger INT64_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    private static final Map<Class<?>, Schema> SCHEMAS = new ConcurrentHashMap<>();

    private SchemaValidator() {
    }

    /** The problems of one object, each as "Kind/name path: message"; empty when it is valid. */
    static List<String> validate(K8sObject object) {
        List<String> problems = new ArrayList<>();
        Class<?> model = KINDS.get(object.apiVersion() + "/" + object.kind());
        if (model == null) {
            problems.add(object.id() + ": no schema for apiVersion '" + object.apiVersion() + "' kind '"
                         + object.kind() + "' (a typo, a removed API version, or a new kind: add it to "
                         + "SchemaValidator.KINDS)");
            return problems;
        }
        // Secret-like objects: no value of theirs ever appears in a message.
        Problems found = new Problems(object.kind().contains("Secret"));
        walk(object.json(), model, "", found);
        problems.addAll(found);
        List<String> named = new ArrayList<>();
        problems.forEach(p -> named.add(object.id() + " " + p));
        return named;
    }

    /** The problems of several objects. */
    static List<String> validateAll(List<K8sObject> objects) {
        List<String> problems = new ArrayList<>();
        objects.forEach(o -> problems.addAll(validate(o)));
        return problems;
    }

    private static void walk(JsonElement value, Type type, String path, Problems problems) {
        if (value == null || value.isJsonNull()) {
            return; // null counts as absent, as for the API server
        }
        Class<?> raw = rawClass(type);
        if (raw == Object.class) {
            return;
        }
        if (List.class.isAssignableFrom(raw)) {
            if (!value.isJsonArray()) {
                problems.add(at(path) + "expected array, got " + describe(value, problems.redact));
                return;
            }
            Type element = typeArgument(type, 0);
            for (int i = 0; i < value.getAsJsonArray().size(); i++) {
                walk(value.getAsJsonArray().get(i), element, path + "[" + i + "]", problems);
            }
            return;
        }
        if (Map.class.isAssignableFrom(raw)) {
            if (!value.isJsonObject()) {
                problems.add(at(path) + "expected object (map), got " + describe(value, problems.redact));
                return;
            }
            Type valueType = typeArgument(type, 1);
            value.getAsJsonObject().entrySet()
                    .forEach(e -> walk(e.getValue(), valueType, path + "." + e.getKey(), problems));
            return;
        }
        if (raw == String.class || raw == OffsetDateTime.class) {
            expect(isString(value), value, path, "string", problems);
        } else if (raw == byte[].class) {
            if (expect(isString(value), value, path, "base64 string", problems)) {
                try {
                    Base64.getDecoder().decode(value.getAsString());
                } catch (IllegalArgumentException e) {
                    problems.add(at(path) + "invalid base64 value");
                }
            }
        } else if (raw == Integer.class || raw == int.class) {
            integer(value, path, BigInteger.valueOf(Integer.MIN_VALUE), BigInteger.valueOf(Integer.MAX_VALUE),
                    "integer (int32)", problems);
        } else if (raw == Long.class || raw == long.class) {
            integer(value, path, INT64_MIN, INT64_MAX, "integer (int64)", problems);
        } else if (raw == Double.class || raw == Float.class || raw == double.class) {
            expect(value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber(), value, path, "number",
                   problems);
        } else if (raw == Boolean.class || raw == boolean.class) {
            expect(value.isJsonPrimitive() && value.getAsJsonPrimitive().isBoolean(), value, path, "boolean",
                   problems);
        } else if (raw == IntOrString.class) {
            expect(isString(value) || isIntegral(value), value, path, "integer or string", problems);
        } else if (raw == Quantity.class) {
            if (expect(isString(value) || isNumber(value), value, path, "quantity (string or number)", problems)
                    && !QUANTITY.matcher(value.getAsString()).matches()) {
                problems.add(at(path) + "invalid quantity '" + (problems.redact ? "…" : value.getAsString())
                             + "' (e.g. 250m, 0.5, 128Mi, 1Gi)");
            }
        } else {
            model(value, raw, path, problems);
        }
    }

    private static void model(JsonElement value, Class<?> model, String path, Problems problems) {
        if (!value.isJsonObject()) {
            problems.add(at(path) + "expected object (" + model.getSimpleName() + "), got " + describe(value, problems.redact));
            return;
        }
        Schema schema = SCHEMAS.computeIfAbsent(model, Schema::of);
        JsonObject object = value.getAsJsonObject();
        for (Map.Entry<String, JsonElement> entry : object.entrySet()) {
            String childPath = path.isEmpty() ? entry.getKey() : path + "." + entry.getKey();
            Type fieldType = schema.fields().get(entry.getKey());
            if (fieldType == null) {
                problems.add(at(childPath) + "unknown field (not in " + model.getSimpleName() + ")");
            } else {
                walk(entry.getValue(), fieldType, childPath, problems);
            }
        }
        for (String required : schema.required()) {
            JsonElement field = object.get(required);
            if (field == null || field.isJsonNull()) {
                problems.add(at(path.isEmpty() ? required : path + "." + required) + "missing required field");
            }
        }
    }

    private static void integer(JsonElement value, String path, BigInteger min, BigInteger max, String what,
                                Problems problems) {
        if (!expect(isIntegral(value), value, path, what, problems)) {
            return;
        }
        BigInteger number = new BigInteger(value.getAsJsonPrimitive().getAsNumber().toString());
        if (number.compareTo(min) < 0 || number.compareTo(max) > 0) {
            problems.add(at(path) + what + " out of range: " + number);
        }
    }

    private static boolean expect(boolean ok, JsonElement value, String path, String expected,
                                  Problems problems) {
        if (!ok) {
            problems.add(at(path) + "expected " + expected + ", got " + describe(value, problems.redact));
        }
        return ok;
    }

    private static boolean isString(JsonElement value) {
        return value.isJsonPrimitive() && value.getAsJsonPrimitive().isString();
    }

    private static boolean isNumber(JsonElement value) {
        return value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber();
    }

    /** An integer literal: the number's text, not its Java class, decides (Gson may hold a lazy number). */
    private static boolean isIntegral(JsonElement value) {
        return isNumber(value) && value.getAsJsonPrimitive().getAsNumber().toString().matches("-?[0-9]+");
    }

    /** The JSON type and, for scalars, the value: never a whole object (it may hold secret data). */
    private static String describe(JsonElement value, boolean redact) {
        if (value.isJsonObject()) {
            return "object";
        }
        if (value.isJsonArray()) {
            return "array";
        }
        JsonPrimitive p = value.getAsJsonPrimitive();
        if (redact) {
            return p.isString() ? "string" : p.isBoolean() ? "boolean" : "number";
        }
        if (p.isString()) {
            return "string \"" + abbreviate(p.getAsString()) + "\"";
        }
        return (p.isBoolean() ? "boolean " : "number ") + p.getAsString();
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    private static String at(String path) {
        return (path.isEmpty() ? "(object)" : path) + ": ";
    }

    private static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        return Object.class;
    }

    private static Type typeArgument(Type type, int index) {
        return type instanceof ParameterizedType p ? p.getActualTypeArguments()[index] : Object.class;
    }

    /** Problems found in one object; {@code redact} keeps values out of the messages. */
    private static final class Problems extends ArrayList<String> {
        private static final long serialVersionUID = 1L;
        private final transient boolean redact;

        Problems(boolean redact) {
            this.redact = redact;
        }
    }

    /** A model's JSON field names with their Java types, and its required names. */
    private record Schema(Map<String, Type> fields, Set<String> required) {

        static Schema of(Class<?> model) {
            Map<String, Type> fields = new LinkedHashMap<>();
            Set<String> required = new LinkedHashSet<>();
            if (model.isRecord()) {
                for (RecordComponent component : model.getRecordComponents()) {
                    fields.put(component.getName(), component.getGenericType());
                    if (component.isAnnotationPresent(Required.class)) {
                        required.add(component.getName());
                    }
                }
                return new Schema(fields, required);
            }
            for (Field field : model.getDeclaredFields()) {
                SerializedName name = field.getAnnotation(SerializedName.class);
                if (name != null && !Modifier.isStatic(field.getModifiers())) {
                    fields.put(name.value(), field.getGenericType());
                }
            }
            Set<String> declared = staticSet(model, "openapiFields");
            if (!declared.equals(fields.keySet())) {
                throw new IllegalStateException(model.getName() + ": openapiFields " + declared
                                                + " differ from its @SerializedName fields " + fields.keySet());
            }
            required.addAll(staticSet(model, "openapiRequiredFields"));
            return new Schema(fields, required);
        }

        @SuppressWarnings("unchecked")
        private static Set<String> staticSet(Class<?> model, String name) {
            try {
                Field field = model.getDeclaredField(name);
                field.setAccessible(true);
                // Read only: these are public mutable sets shared by the whole library.
                return Set.copyOf((Set<String>) field.get(null));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(model.getName() + " has no static " + name
                                                + ": not a client-java model?", e);
            }
        }
    }
}
