package io.namesmanager.deploy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import io.namesmanager.deploy.Workloads.Container;
import io.namesmanager.deploy.Workloads.PodTemplate;

/**
 * The project's rules for what may run, checked on a rendered overlay. Every message names the object, the path
 * and the fix. Each rule has a negative case in PoliciesNegativeTest.
 */
final class Policies {

    static final String PART_OF = "app.kubernetes.io/part-of";
    static final String NAME = "app.kubernetes.io/name";
    static final String COMPONENT = "app.kubernetes.io/component";
    static final String WAVE = "argocd.argoproj.io/sync-wave";
    static final Set<String> COMPONENTS = Set.of("database", "backend", "frontend", "backup");
    /** The VM's registry (scripts/vagrant/config.sh); the project's own images come from there. */
    static final String REGISTRY = "192.168.56.10:30500/";
    static final Set<String> OWN_IMAGES = Set.of("names-backend", "names-frontend");
    /** NodePorts taken outside the overlays: the VM's registry. */
    static final Map<Integer, String> RESERVED_NODE_PORTS = Map.of(30500, "the in-VM registry");

    private static final Pattern DIGEST = Pattern.compile("@sha256:[0-9a-f]{64}$");
    private static final Pattern VERSION_TAG = Pattern.compile(":[^:/@]*[0-9]+\\.[0-9]+[^:/@]*$");

    private Policies() {
    }

    /** Every rule on one environment's render. */
    static List<String> check(String env, List<K8sObject> objects) {
        List<String> problems = new ArrayList<>();
        problems.addAll(securityContext(objects));
        problems.addAll(probes(objects));
        problems.addAll(resources(objects));
        problems.addAll(images(env, objects));
        problems.addAll(labels(objects));
        problems.addAll(networkPolicies(objects));
        problems.addAll(noPlainSecrets(objects));
        problems.addAll(nodePorts(Map.of(env, objects)));
        problems.addAll(syncWaves(objects));
        problems.addAll(rollout(objects));
        problems.addAll(autoscaling(objects));
        problems.addAll(serviceAccounts(objects));
        problems.addAll(volumes(objects));
        problems.addAll(namespace(env, objects));
        return problems;
    }

    /** Restricted pod security on every container, and a writable /tmp on an emptyDir. */
    static List<String> securityContext(List<K8sObject> objects) {
        List<String> problems = new ArrayList<>();
        for (PodTemplate pod : Workloads.podTemplates(objects)) {
            JsonObject podSc = K8sObject.object(pod.spec(), "securityContext").orElseGet(JsonObject::new);
            for (Container c : pod.containers()) {
                JsonObject sc = K8sObject.object(c.json(), "securityContext").orElseGet(JsonObject::new);
                if (!isTrue(sc, "runAsNonRoot") && !(isTrue(podSc, "runAsNonRoot") && !isFalse(sc, "runAsNonRoot"))) {
                    problems.add(c.where() + ": runAsNonRoot is not true; set securityContext.runAsNonRoot: true");
                }
                if (number(sc, "runAsUser").or(() -> number(podSc, "runAsUser")).filter(u -> u == 0).isPresent()) {
                    problems.add(c.where() + ": runs as uid 0; set runAsUser to the image's non-root uid");
                }
                if (!isFalse(sc, "allowPrivilegeEscalation")) {
                    problems.add(c.where() + ": allowPrivilegeEscalation is not false; set "
                                 + "securityContext.allowPrivilegeEscalation: false");
                }
                if (isTrue(sc, "privileged")) {
                    problems.add(c.where() + ": privileged; remove securityContext.privileged");
                }
                boolean dropsAll = K8sObject.path(sc, "capabilities.drop").filter(JsonElement::isJsonArray)
                        .map(d -> d.getAsJsonArray().contains(new com.google.gson.JsonPrimitive("ALL"))).orElse(false);
                if (!dropsAll || K8sObject.path(sc, "capabilities.add").isPresent()) {
                    problems.add(c.where() + ": capabilities must drop ALL and add none; set "
                                 + "securityContext.capabilities: {drop: [ALL]}");
                }
                String seccomp = K8sObject.path(sc, "seccompProfile.type")
                        .or(() -> K8sObject.path(podSc, "seccompProfile.type")).map(JsonElement::getAsString).orElse("");
                if (!seccomp.equals("RuntimeDefault")) {
                    problems.add(c.where() + ": seccompProfile is not RuntimeDefault; set "
                                 + "securityContext.seccompProfile.type: RuntimeDefault (pod or container)");
                }
                if (!isTrue(sc, "readOnlyRootFilesystem")) {
                    problems.add(c.where() + ": root filesystem is writable; set "
                                 + "securityContext.readOnlyRootFilesystem: true (and mount an emptyDir on /tmp)");
                } else if (!mountsEmptyDir(pod, c, "/tmp")) {
                    problems.add(c.where() + ": read-only root filesystem without a writable /tmp; mount an emptyDir "
                                 + "volume at /tmp");
                }
            }
        }
        return problems;
    }

    /** Liveness and readiness on every long-running container, startup on the apps; probe ports exist. */
    static List<String> probes(List<K8sObject> objects) {
        List<String> problems = new ArrayList<>();
        for (PodTemplate pod : Workloads.podTemplates(objects)) {
            String kind = pod.owner().kind();
            if (!kind.equals("Deployment") && !kind.equals("StatefulSet") && !kind.equals("DaemonSet")) {
                continue; // Jobs run to completion: no probes
            }
            for (Container c : pod.containers()) {
                if (c.path().contains("initContainers")) {
                    continue;
                }
                List<String> required = kind.equals("Deployment")
                        ? List.of("startupProbe", "livenessProbe", "readinessProbe")
                        : List.of("livenessProbe", "readinessProbe");
                for (String probe : required) {
                    if (!c.json().has(probe)) {
                        problems.add(c.where() + ": no " + probe + "; add one (base/README.md, numbers)");
                    }
                }
                for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                    for (String action : List.of("httpGet", "tcpSocket", "grpc")) {
                        K8sObject.path(c.json(), probe + "." + action + ".port").ifPresent(port -> {
                            if (!portExists(c, port)) {
                                problems.add(c.where() + ": " + probe + "." + action + ".port " + port.getAsString()
                                             + " is not a port of the container " + c.ports()
                                             + "; use one of its named ports");
                            }
                        });
                    }
                }
            }
        }
        return problems;
    }

    /** Requests and limits for cpu and memory on every container, requests not above limits. */
    static List<String> resources(List<K8sObject> objects) {
        List<String> problems = new ArrayList<>();
        for (Container c : Workloads.containers(objects)) {
            for (String resource : List.of("cpu", "memory")) {
                Optional<JsonElement> request = K8sObject.path(c.json(), "resources.requests." + resource);
                Optional<JsonElement> limit = K8sObject.path(c.json(), "resources.limits." + resource);
                if (request.isEmpty() || limit.isEmpty()) {
                    problems.add(c.where() + ": resources.requests." + resource + " and resources.limits." + resource
                                 + " must both be set");
                } else if (Workloads.quantity(request.get().getAsString())
                                   .compareTo(Workloads.quantity(limit.get().getAsString())) > 0) {
                    problems.add(c.where() + ": " + resource + " request " + request.get().getAsString()
                                 + " is above its limit " + limit.get().getAsString() + "; lower the request");
                }
            }
        }
        return problems;
    }

    /** Pinned images: never latest or untagged; own images from the VM's registry, by digest in prod. */
    static List<String> images(String env, List<K8sObject> objects) {
        List<String> problems = new ArrayList<>();
        for (Container c : Workloads.containers(objects)) {
            String image = c.image();
            String repository = image.replaceAll("@.*$", "").replaceAll(":[^:/]*$", "");
            boolean digest = DIGEST.matcher(image).find();
            boolean tagged = !image.replaceAll("@.*$", "").equals(repository);
            if (image.replaceAll("@.*$", "").endsWith(":latest")) {
                problems.add(c.where() + ": image " + image + " uses the floating tag latest; pin a version or digest");
            } else if (!digest && !tagged) {
                problems.add(c.where() + ": image " + image + " has neither tag nor digest (that means latest); "
                             + "set it in the overlay's images:");
            }
            String shortName = repository.substring(repository.lastIndexOf('/') + 1);
            if (OWN_IMAGES.contains(shortName)) {
                if (!image.startsWith(REGISTRY)) {
                    problems.add(c.where() + ": image " + image + " is not from the VM registry " + REGISTRY
                                 + "; set newName in the overlay's images:");
                }
                if (env.equals("prod") && !digest) {
                    problems.add(c.where() + ": prod image " + image + " is not pinned by digest; run "
                                 + "scripts/release.sh prod (or set digest: in overlays/prod images:)");
                }
            } else if (!digest && !VERSION_TAG.matcher(image).find()) {
                problems.add(c.where() + ": third-party image " + image + " is not pinned to a minor version "
                             + "(e.g. postgres:16.15) or digest");
            }
        }
        return problems;
    }

    /** The recommended labels: part-of on everything, name and component on workloads and their pods. */
    static List<String> labels(List<K8sObject> objects) {
        List<String> problems = new ArrayList<>();
        for (K8sObject o : objects) {
            if (!o.label(PART_OF).equals(Optional.of("names-manager"))) {
                problems.add(o.id() + ": label " + PART_OF + "=names-manager missing; add the kustomization's labels:");
            }
        }
        for (PodTemplate pod : Workloads.podTemplates(objects)) {
            Map<String, Map<String, String>> labelSets = new java.util.LinkedHashMap<>();
            labelSets.put(pod.owner().id() + " metadata.labels", pod.owner().metadata()
                    .map(m -> Workloads.stringMap(Optional.ofNullable(m.get("labels")))).orElse(Map.of()));
            labelSets.put(pod.owner().id() + " " + pod.path() + ".metadata.labels", pod.labels());
            for (Map.Entry<String, Map<String, String>> set : labelSets.entrySet()) {
                String where = set.getKey();
                Map<String, String> labels = set.getValue();
                if (!labels.containsKey(NAME)) {
                    problems.add(where + ": label " + NAME + " missing");
                }
                if (!COMPONENTS.contains(labels.getOrDefault(COMPONENT, ""))) {
                    problems.add(where + ": label " + COMPONENT + " must be one of " + COMPONENTS + ", is "
                                 + labels.get(COMPONENT));
                }
            }
        }
        return problems;
    }

    /**
     * A default-deny ingress policy, and every pod behind a Service admitted by some policy (else the default
     * deny makes the Service unreachable).
     */
    static List<String> networkPolicies(List<K8sObject> objects) {
        List<String> problems = new ArrayList<>();
        List<K8sObject> policies = objects.stream().filter(o -> o.kind().equals("NetworkPolicy")).toList();
        boolean defaultDeny = policies.stream().anyMatch(p -> {
            JsonObject spec = K8sObject.object(p.json(), "spec").orElseGet(JsonObject::new);
            return Workloads.matchLabels(K8sObject.path(spec, "podSelector"), p.id()).isEmpty()
                   && K8sObject.path(spec, "podSelector.matchExpressions").isEmpty()
                   && Workloads.array(spec, "policyTypes").toString().contains("\"Ingress\"")
                   && Workloads.array(spec, "ingress").isEmpty();
        });
        if (!defaultDeny) {
            problems.add("NetworkPolicy: no default-deny ingress policy (podSelector: {}, policyTypes: [Ingress], no "
                         + "ingress rules); add base/networkpolicy-default-deny.yaml back");
        }
        for (K8sObject service : objects.stream().filter(o -> o.kind().equals("Service")).toList()) {
            Map<String, String> selector = Workloads.stringMap(K8sObject.path(service.json(), "spec.selector"));
            for (PodTemplate pod : Workloads.podTemplates(objects)) {
                if (selector.isEmpty() || !Workloads.selects(selector, pod.labels())) {
                    continue;
                }
                boolean admitted = policies.stream().anyMatch(p -> {
                    JsonObject spec = p.json().getAsJsonObject("spec");
                    Map<String, String> podSelector = Workloads.matchLabels(K8sObject.path(spec, "podSelector"), p.id());
                    return !Workloads.array(spec, "ingress").isEmpty() && Workloads.selects(podSelector, pod.labels());
                });
                if (!admitted) {
                    problems.add(service.id() + ": its pods (" + pod.owner().id() + ") are admitted by no "
                                 + "NetworkPolicy, so default-deny makes the Service unreachable; add an ingress "
                                 + "policy for them");
                }
            }
        }
        return problems;
    }

    /** Secrets come from SealedSecrets only. */
    static List<String> noPlainSecrets(List<K8sObject> objects) {
        List<String> problems = new ArrayList<>();
        for (K8sObject o : objects) {
            if (o.kind().equals("Secret")) {
                problems.add(o.id() + " (" + o.source() + "): a plain Secret in Git; seal it instead "
                             + "(scripts/seal.sh, sealed-secrets/<env>/) and commit only the SealedSecret");
            }
        }
        return problems;
    }

    /** NodePorts are cluster-wide: unique over every environment given, in range, not reserved. */
    static List<String> nodePorts(Map<String, List<K8sObject>> environments) {
        List<String> problems = new ArrayList<>();
        Map<Integer, String> seen = new HashMap<>();
        environments.forEach((env, objects) -> {
            for (K8sObject service : objects.stream().filter(o -> o.kind().equals("Service")).toList()) {
                JsonObject spec = service.json().getAsJsonObject("spec");
                for (JsonElement port : Workloads.array(spec, "ports")) {
                    JsonElement nodePort = port.getAsJsonObject().get("nodePort");
                    if (nodePort == null) {
                        continue;
                    }
                    int number = nodePort.getAsInt();
                    String where = env + " " + service.id() + " nodePort " + number;
                    if (number < 30000 || number > 32767) {
                        problems.add(where + ": outside the NodePort range 30000-32767");
                    }
                    if (RESERVED_NODE_PORTS.containsKey(number)) {
                        problems.add(where + ": taken by " + RESERVED_NODE_PORTS.get(number) + "; choose another");
                    }
                    String previous = seen.putIfAbsent(number, where);
                    if (previous != null) {
                        problems.add(where + ": duplicate of " + previous
                                     + " (NodePorts are cluster-wide); choose another");
                    }
                }
            }
        });
        return problems;
    }

    /**
     * Sync waves, as quoted integers on every object: the Namespace first, then Secrets and ConfigMaps, then the
     * database, then the apps.
     */
    static List<String> syncWaves(List<K8sObject> objects) {
        List<String> problems = new ArrayList<>();
        Map<K8sObject, Integer> waves = new HashMap<>();
        for (K8sObject o : objects) {
            Optional<String> wave = o.annotation(WAVE);
            if (wave.isEmpty() || !wave.get().matches("-?[0-9]+")) {
                problems.add(o.id() + ": annotation " + WAVE + " missing or not an integer in quotes (e.g. \"1\")");
            } else {
                waves.put(o, Integer.parseInt(wave.get()));
            }
        }
        problems.addAll(order(waves, "Namespace", Set.of("Namespace"), "every other object",
                              k -> !k.equals("Namespace")));
        problems.addAll(order(waves, "SealedSecret/ConfigMap", Set.of("SealedSecret", "Secret", "ConfigMap"),
                              "StatefulSet (the database)", k -> k.equals("StatefulSet")));
        problems.addAll(order(waves, "StatefulSet (the database)", Set.of("StatefulSet"), "Deployment (the apps)",
                              k -> k.equals("Deployment")));
        return problems;
    }

    private static List<String> order(Map<K8sObject, Integer> waves, String firstName, Set<String> first,
                                      String laterName, java.util.function.Predicate<String> later) {
        List<String> problems = new ArrayList<>();
        waves.forEach((a, waveA) -> {
            if (!first.contains(a.kind())) {
                return;
            }
            waves.forEach((b, waveB) -> {
                if (later.test(b.kind()) && waveA >= waveB) {
                    problems.add(a.id() + ": sync wave " + waveA + " is not before " + b.id() + " (wave " + waveB
                                 + "); " + firstName + " must come before " + laterName);
                }
            });
        });
        return problems;
    }

    /** Zero-downtime roll-outs: surge without unavailability, a native preStop sleep, enough grace. */
    static List<String> rollout(List<K8sObject> objects) {
        List<String> problems = new ArrayList<>();
        for (K8sObject d : objects.stream().filter(o -> o.kind().equals("Deployment")).toList()) {
            JsonObject spec = d.json().getAsJsonObject("spec");
            String type = K8sObject.path(spec, "strategy.type").map(JsonElement::getAsString).orElse("RollingUpdate");
            String unavailable = K8sObject.path(spec, "strategy.rollingUpdate.maxUnavailable")
                    .map(JsonElement::getAsString).orElse("25%");
            String surge = K8sObject.path(spec, "strategy.rollingUpdate.maxSurge").map(JsonElement::getAsString)
                    .orElse("25%");
            if (!type.equals("RollingUpdate") || !unavailable.equals("0") || surge.equals("0")
                    || surge.equals("0%")) {
                problems.add(d.id() + " spec.strategy: must be RollingUpdate with maxUnavailable: 0 and maxSurge: 1");
            }
        }
        for (PodTemplate pod : Workloads.podTemplates(objects)) {
            if (!pod.owner().kind().equals("Deployment")) {
                continue;
            }
            long grace = number(pod.spec(), "terminationGracePeriodSeconds").orElse(30L);
            for (Container c : pod.containers()) {
                Optional<Long> sleep = K8sObject.path(c.json(), "lifecycle.preStop.sleep.seconds")
                        .map(JsonElement::getAsLong);
                if (sleep.isEmpty()) {
                    problems.add(c.where() + ": no lifecycle.preStop.sleep; add one (e.g. 5 s) so endpoints drain "
                                 + "before SIGTERM (the images have no shell: use the native sleep action)");
                } else if (grace < sleep.get() + 10) {
                    problems.add(c.where() + ": terminationGracePeriodSeconds " + grace + " leaves less than 10 s "
                                 + "after the " + sleep.get() + " s preStop sleep; raise it");
                }
            }
        }
        return problems;
    }

    /** HPAs target an existing Deployment that leaves replicas to them, with at least 2; PDBs leave room. */
    static List<String> autoscaling(List<K8sObject> objects) {
        List<String> problems = new ArrayList<>();
        Map<String, Long> hpaMin = new HashMap<>();
        for (K8sObject hpa : objects.stream().filter(o -> o.kind().equals("HorizontalPodAutoscaler")).toList()) {
            JsonObject spec = hpa.json().getAsJsonObject("spec");
            String kind = K8sObject.path(spec, "scaleTargetRef.kind").map(JsonElement::getAsString).orElse("");
            String name = K8sObject.path(spec, "scaleTargetRef.name").map(JsonElement::getAsString).orElse("");
            Optional<K8sObject> target = objects.stream().filter(o -> o.is(kind, name)).findFirst();
            long min = number(spec, "minReplicas").orElse(1L);
            if (target.isEmpty()) {
                problems.add(hpa.id() + ": scaleTargetRef " + kind + "/" + name + " is not in the render; fix the name");
            } else {
                hpaMin.put(target.get().id(), min);
                if (K8sObject.path(target.get().json(), "spec.replicas").isPresent()) {
                    problems.add(target.get().id() + " spec.replicas: set although " + hpa.id() + " owns the replica "
                                 + "count; remove it (overlays/prod/replicas-owned-by-hpa.yaml)");
                }
            }
            if (min < 2) {
                problems.add(hpa.id() + " spec.minReplicas: " + min + " leaves a single pod; use at least 2");
            }
        }
        for (K8sObject pdb : objects.stream().filter(o -> o.kind().equals("PodDisruptionBudget")).toList()) {
            Map<String, String> selector = Workloads.matchLabels(K8sObject.path(pdb.json(), "spec.selector"), pdb.id());
            List<PodTemplate> pods = Workloads.podTemplates(objects).stream()
                    .filter(p -> Workloads.selects(selector, p.labels())).toList();
            if (pods.size() != 1) {
                problems.add(pdb.id() + " spec.selector: selects " + pods.size() + " workloads' pods, expected 1");
                continue;
            }
            K8sObject owner = pods.get(0).owner();
            long replicas = hpaMin.getOrDefault(owner.id(), number(owner.json().getAsJsonObject("spec"), "replicas")
                    .orElse(1L));
            long minAvailable = number(pdb.json().getAsJsonObject("spec"), "minAvailable").orElse(0L);
            if (minAvailable >= replicas) {
                problems.add(pdb.id() + " spec.minAvailable: " + minAvailable + " with " + replicas + " replica(s) of "
                             + owner.id() + " blocks every node drain; lower it or add replicas");
            }
        }
        return problems;
    }

    /** No API token in any pod; a named ServiceAccount exists. */
    static List<String> serviceAccounts(List<K8sObject> objects) {
        List<String> problems = new ArrayList<>();
        for (PodTemplate pod : Workloads.podTemplates(objects)) {
            String where = pod.owner().id() + " " + pod.path() + ".spec";
            if (!isFalse(pod.spec(), "automountServiceAccountToken")) {
                problems.add(where + ": automountServiceAccountToken must be false (the apps never call the API)");
            }
            K8sObject.string(pod.spec(), "serviceAccountName").ifPresent(sa -> {
                if (objects.stream().noneMatch(o -> o.is("ServiceAccount", sa))) {
                    problems.add(where + ".serviceAccountName: ServiceAccount/" + sa + " is not in the render");
                }
            });
        }
        for (K8sObject sa : objects.stream().filter(o -> o.kind().equals("ServiceAccount")).toList()) {
            if (!isFalse(sa.json(), "automountServiceAccountToken")) {
                problems.add(sa.id() + ": automountServiceAccountToken must be false");
            }
        }
        return problems;
    }

    /** Every volumeMount has its volume; every claim exists. */
    static List<String> volumes(List<K8sObject> objects) {
        List<String> problems = new ArrayList<>();
        for (PodTemplate pod : Workloads.podTemplates(objects)) {
            Map<String, JsonObject> volumes = volumesOf(pod);
            for (Container c : pod.containers()) {
                for (JsonElement mount : Workloads.array(c.json(), "volumeMounts")) {
                    String name = mount.getAsJsonObject().get("name").getAsString();
                    if (!volumes.containsKey(name)) {
                        problems.add(c.where() + ": volumeMount '" + name + "' has no volume of that name in the pod "
                                     + "(or volumeClaimTemplates); add it or fix the name");
                    }
                }
            }
            volumes.forEach((name, volume) -> K8sObject.path(volume, "persistentVolumeClaim.claimName")
                    .map(JsonElement::getAsString).ifPresent(claim -> {
                        if (objects.stream().noneMatch(o -> o.is("PersistentVolumeClaim", claim))) {
                            problems.add(pod.owner().id() + " volume '" + name + "': PersistentVolumeClaim/" + claim
                                         + " is not in the render");
                        }
                    }));
        }
        return problems;
    }

    /** Everything in the environment's namespace, which enforces the restricted Pod Security Standard. */
    static List<String> namespace(String env, List<K8sObject> objects) {
        List<String> problems = new ArrayList<>();
        String namespace = "names-" + env;
        Optional<K8sObject> ns = objects.stream().filter(o -> o.is("Namespace", namespace)).findFirst();
        if (ns.isEmpty()) {
            problems.add("Namespace/" + namespace + ": not in the render; add overlays/" + env + "/namespace.yaml");
        } else if (!ns.get().label("pod-security.kubernetes.io/enforce").equals(Optional.of("restricted"))) {
            problems.add(ns.get().id() + ": label pod-security.kubernetes.io/enforce must be restricted");
        }
        for (K8sObject o : objects) {
            if (!o.kind().equals("Namespace") && !o.namespace().equals(namespace)) {
                problems.add(o.id() + " metadata.namespace: '" + o.namespace() + "', expected " + namespace);
            }
        }
        return problems;
    }

    static boolean portExists(Container c, JsonElement port) {
        String value = port.getAsString();
        return c.ports().containsKey(value) || c.ports().containsValue(Integer.valueOf(
                value.matches("[0-9]+") ? Integer.parseInt(value) : -1));
    }

    static Map<String, JsonObject> volumesOf(PodTemplate pod) {
        Map<String, JsonObject> volumes = new HashMap<>();
        for (JsonElement v : Workloads.array(pod.spec(), "volumes")) {
            volumes.put(v.getAsJsonObject().get("name").getAsString(), v.getAsJsonObject());
        }
        for (JsonElement t : Workloads.array(K8sObject.object(pod.owner().json(), "spec").orElse(null),
                                             "volumeClaimTemplates")) {
            volumes.put(K8sObject.path(t.getAsJsonObject(), "metadata.name").map(JsonElement::getAsString).orElse(""),
                        new JsonObject());
        }
        return volumes;
    }

    private static boolean mountsEmptyDir(PodTemplate pod, Container c, String path) {
        Map<String, JsonObject> volumes = volumesOf(pod);
        for (JsonElement mount : Workloads.array(c.json(), "volumeMounts")) {
            JsonObject m = mount.getAsJsonObject();
            if (K8sObject.string(m, "mountPath").equals(Optional.of(path))) {
                JsonObject volume = volumes.get(m.get("name").getAsString());
                return volume != null && volume.has("emptyDir");
            }
        }
        return false;
    }

    private static boolean isTrue(JsonObject object, String field) {
        JsonElement v = object.get(field);
        return v != null && v.isJsonPrimitive() && v.getAsJsonPrimitive().isBoolean() && v.getAsBoolean();
    }

    private static boolean isFalse(JsonObject object, String field) {
        JsonElement v = object.get(field);
        return v != null && v.isJsonPrimitive() && v.getAsJsonPrimitive().isBoolean() && !v.getAsBoolean();
    }

    private static Optional<Long> number(JsonObject object, String field) {
        JsonElement v = object == null ? null : object.get(field);
        return v != null && v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber()
                ? Optional.of(v.getAsLong()) : Optional.empty();
    }

    static BigDecimal sum(List<BigDecimal> values) {
        return values.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
