package io.namesmanager.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import com.google.gson.JsonObject;

/** Valid objects to break in negative tests: the real renders, and small fixture files. */
final class Fixtures {

    private Fixtures() {
    }

    /** The object KIND/NAME of overlays/ENV's render. */
    static K8sObject rendered(String env, String kind, String name) {
        return Kustomize.overlay(env).stream()
                .filter(o -> matches(o, kind, name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("overlays/" + env + " renders no " + kind + "/" + name));
    }

    /** overlays/ENV's render with the object KIND/NAME replaced by the edited copy. */
    static List<K8sObject> renderedWith(String env, String kind, String name, UnaryOperator<JsonEdit> edit) {
        rendered(env, kind, name); // fails if there is no such object
        List<K8sObject> objects = new ArrayList<>();
        for (K8sObject o : Kustomize.overlay(env)) {
            objects.add(matches(o, kind, name) ? edited(o, edit) : o);
        }
        return objects;
    }

    /** overlays/ENV's render plus extra objects. */
    static List<K8sObject> renderedPlus(String env, K8sObject... extra) {
        List<K8sObject> objects = new ArrayList<>(Kustomize.overlay(env));
        objects.addAll(List.of(extra));
        return objects;
    }

    /** overlays/ENV's render without the object KIND/NAME. */
    static List<K8sObject> renderedWithout(String env, String kind, String name) {
        rendered(env, kind, name); // fails if there is no such object
        List<K8sObject> objects = new ArrayList<>(Kustomize.overlay(env));
        objects.removeIf(o -> matches(o, kind, name));
        return objects;
    }

    /** KIND/NAME, where a generated ConfigMap's NAME is given without its hash suffix. */
    private static boolean matches(K8sObject o, String kind, String name) {
        return o.is(kind, name) || (kind.equals("ConfigMap") && o.kind().equals(kind)
                                    && o.name().matches(java.util.regex.Pattern.quote(name) + "-[a-z0-9]{10}"));
    }

    static K8sObject edited(K8sObject object, UnaryOperator<JsonEdit> edit) {
        return new K8sObject(edit.apply(JsonEdit.copyOf(object.json())).json(), "fixture: edited " + object.id());
    }

    /** The documents of a test resource under fixtures/. */
    static List<K8sObject> file(String name) {
        String resource = "/fixtures/" + name;
        try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new AssertionError("missing test resource " + resource);
            }
            List<K8sObject> objects = new ArrayList<>();
            for (JsonObject json : Yaml.documents(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource)) {
                objects.add(new K8sObject(json, resource));
            }
            return objects;
        } catch (IOException e) {
            throw new AssertionError(resource, e);
        }
    }

    /** The one document of a fixture file. */
    static K8sObject single(String name) {
        List<K8sObject> objects = file(name);
        if (objects.size() != 1) {
            throw new AssertionError(name + " should hold one document, has " + objects.size());
        }
        return objects.get(0);
    }

    /**
     * A plain Secret, what must never be committed or rendered (the "no plain Secret" rule). Built here rather
     * than kept as a YAML file, so the repository holds no Secret manifest at all.
     */
    static K8sObject plainSecret() {
        String yaml = """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: db-credentials
                type: Opaque
                stringData:
                  password: not-a-real-password
                """;
        return new K8sObject(Yaml.documents(yaml, "fixture: plain Secret").get(0), "fixture: plain Secret");
    }
}
