package io.namesmanager.deploy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/** Helpers to reach the pod templates, containers and label selectors of rendered objects. */
final class Workloads {

    private static final Map<String, BigDecimal> SUFFIXES = Map.ofEntries(
            Map.entry("n", new BigDecimal("1e-9")), Map.entry("u", new BigDecimal("1e-6")),
            Map.entry("m", new BigDecimal("1e-3")), Map.entry("", BigDecimal.ONE),
            Map.entry("k", new BigDecimal("1e3")), Map.entry("M", new BigDecimal("1e6")),
            Map.entry("G", new BigDecimal("1e9")), Map.entry("T", new BigDecimal("1e12")),
            Map.entry("Ki", BigDecimal.valueOf(1L << 10)), Map.entry("Mi", BigDecimal.valueOf(1L << 20)),
            Map.entry("Gi", BigDecimal.valueOf(1L << 30)), Map.entry("Ti", BigDecimal.valueOf(1L << 40)));

    private Workloads() {
    }

    /** A pod template inside a workload, with the path to it. */
    record PodTemplate(K8sObject owner, JsonObject template, String path) {

        JsonObject spec() {
            return K8sObject.object(template, "spec").orElseGet(JsonObject::new);
        }

        Map<String, String> labels() {
            return stringMap(K8sObject.path(template, "metadata.labels"));
        }

        /** Containers and init containers, with their paths. */
        List<Container> containers() {
            List<Container> containers = new ArrayList<>();
            for (String field : List.of("initContainers", "containers")) {
                JsonArray array = array(spec(), field);
                for (int i = 0; i < array.size(); i++) {
                    containers.add(new Container(this, array.get(i).getAsJsonObject(),
                                                 path + ".spec." + field + "[" + i + "]"));
                }
            }
            return containers;
        }
    }

    /** A container of a pod template. */
    record Container(PodTemplate pod, JsonObject json, String path) {

        String name() {
            return K8sObject.string(json, "name").orElse("?");
        }

        String image() {
            return K8sObject.string(json, "image").orElse("");
        }

        /** "Kind/name container 'c' (path)" for messages. */
        String where() {
            return pod.owner().id() + " container '" + name() + "' (" + path + ")";
        }

        /** The container's port numbers by name (unnamed ports under their number). */
        Map<String, Integer> ports() {
            Map<String, Integer> ports = new TreeMap<>();
            for (JsonElement p : array(json, "ports")) {
                int number = p.getAsJsonObject().get("containerPort").getAsInt();
                ports.put(K8sObject.string(p.getAsJsonObject(), "name").orElse(String.valueOf(number)), number);
            }
            return ports;
        }
    }

    /** The pod template of a workload, if it is one (Deployment, StatefulSet, DaemonSet, Job, CronJob). */
    static Optional<PodTemplate> podTemplate(K8sObject object) {
        String path = switch (object.kind()) {
            case "Deployment", "StatefulSet", "DaemonSet", "Job", "ReplicaSet" -> "spec.template";
            case "CronJob" -> "spec.jobTemplate.spec.template";
            default -> null;
        };
        if (path == null) {
            return Optional.empty();
        }
        return K8sObject.path(object.json(), path).filter(JsonElement::isJsonObject)
                .map(t -> new PodTemplate(object, t.getAsJsonObject(), path));
    }

    static List<PodTemplate> podTemplates(List<K8sObject> objects) {
        List<PodTemplate> templates = new ArrayList<>();
        objects.forEach(o -> podTemplate(o).ifPresent(templates::add));
        return templates;
    }

    static List<Container> containers(List<K8sObject> objects) {
        List<Container> containers = new ArrayList<>();
        podTemplates(objects).forEach(t -> containers.addAll(t.containers()));
        return containers;
    }

    /** Whether a matchLabels-style selector selects these labels (an empty selector selects everything). */
    static boolean selects(Map<String, String> selector, Map<String, String> labels) {
        return labels.entrySet().containsAll(selector.entrySet());
    }

    /** A LabelSelector's matchLabels (matchExpressions are not used in this repository, and rejected). */
    static Map<String, String> matchLabels(Optional<JsonElement> selector, String where) {
        if (selector.isEmpty()) {
            return Map.of();
        }
        if (selector.get().getAsJsonObject().has("matchExpressions")) {
            throw new AssertionError(where + ": matchExpressions are not supported by these checks; use matchLabels");
        }
        return stringMap(K8sObject.path(selector.get().getAsJsonObject(), "matchLabels"));
    }

    static Map<String, String> stringMap(Optional<JsonElement> element) {
        Map<String, String> map = new TreeMap<>();
        element.filter(JsonElement::isJsonObject).ifPresent(
                e -> e.getAsJsonObject().entrySet().forEach(x -> map.put(x.getKey(), x.getValue().getAsString())));
        return map;
    }

    static JsonArray array(JsonObject object, String field) {
        JsonElement value = object == null ? null : object.get(field);
        return value != null && value.isJsonArray() ? value.getAsJsonArray() : new JsonArray();
    }

    /** A resource quantity as a number (cpu in cores, memory and storage in bytes). */
    static BigDecimal quantity(String quantity) {
        String q = quantity.trim();
        int split = q.length();
        while (split > 0 && Character.isLetter(q.charAt(split - 1))) {
            split--;
        }
        BigDecimal factor = SUFFIXES.get(q.substring(split));
        if (factor == null) {
            throw new IllegalArgumentException("unsupported quantity " + quantity);
        }
        return new BigDecimal(q.substring(0, split)).multiply(factor);
    }
}
