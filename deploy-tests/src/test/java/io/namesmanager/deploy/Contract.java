package io.namesmanager.deploy;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import io.namesmanager.deploy.Workloads.Container;
import io.namesmanager.deploy.Workloads.PodTemplate;

/**
 * The contract between the objects of a render, and between the manifests and the apps: selectors, ports, keys
 * of ConfigMaps and Secrets, the apps' variables, paths and ports, who may talk to whom. Every rule has a negative
 * case in ContractNegativeTest.
 */
final class Contract {

    /** Who may open connections to each component's pods ("*": anyone). */
    static final Map<String, Set<String>> INGRESS_SOURCES = Map.of(
            "frontend", Set.of("*"),
            "backend", Set.of("frontend"),
            "database", Set.of("backend", "backup"));

    private Contract() {
    }

    static List<String> check(List<K8sObject> objects) {
        List<String> problems = new ArrayList<>();
        problems.addAll(serviceSelectors(objects));
        problems.addAll(keyReferences(objects));
        problems.addAll(appEnvironment(objects));
        problems.addAll(appProbesAndPorts(objects));
        problems.addAll(managementPrivate(objects));
        problems.addAll(backendUrl(objects));
        problems.addAll(shutdownGrace(objects));
        problems.addAll(backupImage(objects));
        problems.addAll(ingressSources(objects));
        return problems;
    }

    /** Each Service selects the pods of exactly one workload, and its targetPorts are ports of those pods. */
    static List<String> serviceSelectors(List<K8sObject> objects) {
        List<String> problems = new ArrayList<>();
        for (K8sObject service : objects.stream().filter(o -> o.kind().equals("Service")).toList()) {
            Map<String, String> selector = Workloads.stringMap(K8sObject.path(service.json(), "spec.selector"));
            List<PodTemplate> pods = Workloads.podTemplates(objects).stream()
                    .filter(p -> !selector.isEmpty() && Workloads.selects(selector, p.labels())).toList();
            if (pods.size() != 1) {
                problems.add(service.id() + " spec.selector " + selector + ": selects the pods of " + pods.size()
                             + " workloads, expected 1; use the pod labels of the workload it serves");
                continue;
            }
            Optional<String> own = service.label(Policies.COMPONENT);
            String selected = pods.get(0).labels().get(Policies.COMPONENT);
            if (own.isPresent() && !own.get().equals(selected)) {
                problems.add(service.id() + " spec.selector " + selector + ": selects " + pods.get(0).owner().id()
                             + " (component " + selected + ") but the Service belongs to component " + own.get()
                             + "; select that component's pods");
            }
            List<Container> containers = pods.get(0).containers();
            for (JsonElement port : Workloads.array(service.json().getAsJsonObject("spec"), "ports")) {
                JsonObject p = port.getAsJsonObject();
                JsonElement target = p.has("targetPort") ? p.get("targetPort") : p.get("port");
                if (containers.stream().noneMatch(c -> Policies.portExists(c, target))) {
                    problems.add(service.id() + " port " + p.get("port") + ": targetPort " + target.getAsString()
                                 + " is not a port of " + pods.get(0).owner().id() + "'s containers; use its named "
                                 + "port (e.g. http)");
                }
            }
        }
        return problems;
    }

    /** Every configMapKeyRef/secretKeyRef names an existing map and key; every envFrom source exists. */
    static List<String> keyReferences(List<K8sObject> objects) {
        List<String> problems = new ArrayList<>();
        for (Container c : Workloads.containers(objects)) {
            for (JsonElement e : Workloads.array(c.json(), "env")) {
                JsonObject var = e.getAsJsonObject();
                String name = var.get("name").getAsString();
                for (String refKind : List.of("configMapKeyRef", "secretKeyRef")) {
                    Optional<JsonElement> ref = K8sObject.path(var, "valueFrom." + refKind);
                    if (ref.isEmpty() || K8sObject.path(ref.get().getAsJsonObject(), "optional")
                            .map(JsonElement::getAsBoolean).orElse(false)) {
                        continue;
                    }
                    String source = ref.get().getAsJsonObject().get("name").getAsString();
                    String key = ref.get().getAsJsonObject().get("key").getAsString();
                    Optional<Set<String>> keys = refKind.equals("secretKeyRef") ? AppContract.secretKeys(source, objects)
                            : configMapKeys(source, objects);
                    String what = refKind.equals("secretKeyRef") ? "Secret" : "ConfigMap";
                    if (keys.isEmpty()) {
                        problems.add(c.where() + " env " + name + ": " + refKind + " names " + what + " '" + source
                                     + "', which the render does not provide");
                    } else if (!keys.get().contains(key)) {
                        problems.add(c.where() + " env " + name + ": " + refKind + " key '" + key + "' is not in "
                                     + what + " '" + source + "' (keys: " + keys.get() + "); fix the key or add it"
                                     + (what.equals("Secret") ? " to the SealedSecret (scripts/seal.sh)" : ""));
                    }
                }
            }
            for (JsonElement from : Workloads.array(c.json(), "envFrom")) {
                K8sObject.path(from.getAsJsonObject(), "configMapRef.name").map(JsonElement::getAsString)
                        .filter(n -> configMapKeys(n, objects).isEmpty())
                        .ifPresent(n -> problems.add(c.where() + " envFrom: ConfigMap '" + n + "' is not in the render"));
                K8sObject.path(from.getAsJsonObject(), "secretRef.name").map(JsonElement::getAsString)
                        .filter(n -> AppContract.secretKeys(n, objects).isEmpty())
                        .ifPresent(n -> problems.add(c.where() + " envFrom: Secret '" + n + "' is not in the render"));
            }
        }
        return problems;
    }

    /** The apps (and the postgres image) get only variables they read, and what they need to reach the database. */
    static List<String> appEnvironment(List<K8sObject> objects) {
        List<String> problems = new ArrayList<>();
        for (Container c : Workloads.containers(objects)) {
            Map<String, String> env = AppContract.environment(c, objects);
            Optional<AppContract> app = AppContract.forImage(c.image());
            if (app.isPresent()) {
                for (String name : env.keySet()) {
                    if (!app.get().env().contains(name) && !AppContract.JVM_ENV.contains(name)) {
                        problems.add(c.where() + ": sets " + name + ", which " + app.get().image() + " does not read "
                                     + "(per " + app.get().envSource() + "); a typo? It reads " + app.get().env());
                    }
                }
                if (app.get().app().equals("backend") && !env.containsKey("DATABASE_URL")
                        && !env.containsKey("DB_URL") && !env.containsKey("POSTGRES_PASSWORD")) {
                    problems.add(c.where() + ": no DATABASE_URL; set it from the db-credentials Secret");
                }
            } else if (c.image().startsWith("postgres:") && c.pod().owner().kind().equals("StatefulSet")) {
                for (String name : env.keySet()) {
                    if (!AppContract.POSTGRES_IMAGE_ENV.contains(name)) {
                        problems.add(c.where() + ": sets " + name + ", which the postgres image does not read; "
                                     + "it reads " + AppContract.POSTGRES_IMAGE_ENV);
                    }
                }
                if (!env.containsKey("POSTGRES_PASSWORD")) {
                    problems.add(c.where() + ": no POSTGRES_PASSWORD; the image refuses to initialise without it");
                }
            }
        }
        return problems;
    }

    /** Probe paths are served by the app on the probe's port; the app listens on the ports the container declares. */
    static List<String> appProbesAndPorts(List<K8sObject> objects) {
        List<String> problems = new ArrayList<>();
        for (Container c : Workloads.containers(objects)) {
            Optional<AppContract> app = AppContract.forImage(c.image());
            if (app.isEmpty()) {
                continue;
            }
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                K8sObject.path(c.json(), probe + ".httpGet.path").map(JsonElement::getAsString).ifPresent(path -> {
                    String port = K8sObject.path(c.json(), probe + ".httpGet.port").map(JsonElement::getAsString)
                            .orElse("");
                    Set<String> served = app.get().pathsOn(port);
                    if (!served.contains(path)) {
                        problems.add(c.where() + ": " + probe + " path " + path + " is not served by "
                                     + app.get().image() + " on its port '" + port + "'; use one of " + served
                                     + " there (http: " + app.get().paths() + ", management: "
                                     + app.get().managementPaths() + ")");
                    }
                });
            }
            Map<String, String> env = AppContract.environment(c, objects);
            problems.addAll(listensOn(c, "http", "SERVER_PORT", env, app.get().defaultPort()));
            problems.addAll(listensOn(c, "management", "MANAGEMENT_PORT", env, app.get().managementPort()));
        }
        return problems;
    }

    /** The container's port NAME is where the app listens: VARIABLE, or the app's default. */
    private static List<String> listensOn(Container c, String name, String variable, Map<String, String> env,
                                          int defaultPort) {
        String configured = env.get(variable);
        int listens = configured != null && configured.matches("[0-9]+") ? Integer.parseInt(configured) : defaultPort;
        Integer declared = c.ports().get(name);
        if (declared == null || declared != listens) {
            return List.of(c.where() + ": the app listens on " + listens + " (" + variable
                           + (configured == null ? " unset, the app's default" : "=" + configured)
                           + ") but the container's " + name + " port is " + declared + "; make them equal");
        }
        return List.of();
    }

    /**
     * No Service exposes an app's management port: {@code /observe/*} (health details, metrics) is for the kubelet
     * and Prometheus, never for whoever reaches a Service.
     */
    static List<String> managementPrivate(List<K8sObject> objects) {
        List<String> problems = new ArrayList<>();
        for (K8sObject service : objects.stream().filter(o -> o.kind().equals("Service")).toList()) {
            Map<String, String> selector = Workloads.stringMap(K8sObject.path(service.json(), "spec.selector"));
            for (PodTemplate pod : Workloads.podTemplates(objects)) {
                if (selector.isEmpty() || !Workloads.selects(selector, pod.labels())) {
                    continue;
                }
                for (Container c : pod.containers()) {
                    Integer management = c.ports().get("management");
                    if (management == null) {
                        continue;
                    }
                    for (JsonElement port : Workloads.array(service.json().getAsJsonObject("spec"), "ports")) {
                        JsonObject p = port.getAsJsonObject();
                        String target = (p.has("targetPort") ? p.get("targetPort") : p.get("port")).getAsString();
                        if (target.equals("management") || target.equals(String.valueOf(management))) {
                            problems.add(service.id() + " port " + p.get("port") + ": exposes " + c.where()
                                         + "'s management port (/observe/*); Services carry the http port only");
                        }
                    }
                }
            }
        }
        return problems;
    }

    /** The frontend's BACKEND_URL names the api Service and its port, and that Service serves the backend. */
    static List<String> backendUrl(List<K8sObject> objects) {
        List<String> problems = new ArrayList<>();
        for (Container c : Workloads.containers(objects)) {
            String url = AppContract.environment(c, objects).get("BACKEND_URL");
            if (url == null) {
                continue;
            }
            URI uri = URI.create(url);
            Optional<K8sObject> service = objects.stream().filter(o -> o.is("Service", uri.getHost())).findFirst();
            boolean portMatches = service.map(s -> Workloads.array(s.json().getAsJsonObject("spec"), "ports").asList()
                    .stream().anyMatch(p -> p.getAsJsonObject().get("port").getAsInt() == uri.getPort()))
                    .orElse(false);
            boolean servesBackend = service.map(s -> Workloads.stringMap(K8sObject.path(s.json(), "spec.selector")))
                    .map(sel -> sel.get(Policies.COMPONENT)).filter("backend"::equals).isPresent();
            if (service.isEmpty() || !portMatches || !servesBackend) {
                problems.add(c.where() + ": BACKEND_URL " + url + " does not point at a Service port of the backend "
                             + "in the render; use http://api:8000");
            }
        }
        return problems;
    }

    /** The grace period covers the preStop sleep, the app's own graceful stop and a 5 s margin. */
    static List<String> shutdownGrace(List<K8sObject> objects) {
        List<String> problems = new ArrayList<>();
        for (Container c : Workloads.containers(objects)) {
            Optional<AppContract> app = AppContract.forImage(c.image());
            if (app.isEmpty()) {
                continue;
            }
            long grace = K8sObject.path(c.pod().spec(), "terminationGracePeriodSeconds").map(JsonElement::getAsLong)
                    .orElse(30L);
            long sleep = K8sObject.path(c.json(), "lifecycle.preStop.sleep.seconds").map(JsonElement::getAsLong)
                    .orElse(0L);
            long appStop = (app.get().shutdownGrace().toMillis() + 999) / 1000;
            if (grace < sleep + appStop + 5) {
                problems.add(c.where() + ": terminationGracePeriodSeconds " + grace + " < preStop " + sleep + " s + "
                             + app.get().image() + "'s shutdown-grace-period " + appStop + " s + 5 s; raise it");
            }
        }
        return problems;
    }

    /** The backup's pg_dump is the database's own version. */
    static List<String> backupImage(List<K8sObject> objects) {
        List<String> problems = new ArrayList<>();
        Optional<String> database = objects.stream().filter(o -> o.is("StatefulSet", "postgres"))
                .flatMap(o -> Workloads.podTemplate(o).stream()).flatMap(p -> p.containers().stream())
                .map(Container::image).findFirst();
        for (K8sObject job : objects.stream().filter(o -> o.kind().equals("CronJob")).toList()) {
            for (Container c : Workloads.podTemplate(job).map(PodTemplate::containers).orElse(List.of())) {
                if (c.image().startsWith("postgres") && !Optional.of(c.image()).equals(database)) {
                    problems.add(c.where() + ": image " + c.image() + " differs from the database's "
                                 + database.orElse("(none)") + "; use the same so pg_dump matches the server");
                }
            }
        }
        return problems;
    }

    /** The NetworkPolicies admit exactly the agreed sources to each component ({@link #INGRESS_SOURCES}). */
    static List<String> ingressSources(List<K8sObject> objects) {
        List<String> problems = new ArrayList<>();
        List<K8sObject> policies = objects.stream().filter(o -> o.kind().equals("NetworkPolicy")).toList();
        for (PodTemplate pod : Workloads.podTemplates(objects)) {
            String component = pod.labels().getOrDefault(Policies.COMPONENT, "");
            Set<String> allowed = INGRESS_SOURCES.getOrDefault(component, Set.of());
            boolean reachable = false;
            for (K8sObject policy : policies) {
                JsonObject spec = policy.json().getAsJsonObject("spec");
                if (!Workloads.selects(Workloads.matchLabels(K8sObject.path(spec, "podSelector"), policy.id()),
                                       pod.labels())) {
                    continue;
                }
                for (JsonElement rule : Workloads.array(spec, "ingress")) {
                    reachable = true;
                    var from = Workloads.array(rule.getAsJsonObject(), "from");
                    if (from.isEmpty() && !allowed.contains("*")) {
                        problems.add(policy.id() + ": admits any source to " + pod.owner().id() + " (" + component
                                     + "), which only " + allowed + " may reach; add from: podSelector");
                    }
                    for (JsonElement peer : from) {
                        JsonObject p = peer.getAsJsonObject();
                        String peerComponent = Workloads.matchLabels(Optional.ofNullable(p.get("podSelector")),
                                                                     policy.id()).getOrDefault(Policies.COMPONENT, "");
                        if (p.has("namespaceSelector") || p.has("ipBlock") || !allowed.contains(peerComponent)) {
                            problems.add(policy.id() + ": admits " + p + " to " + pod.owner().id() + " (" + component
                                         + "); only pods of " + allowed + " in the same namespace may connect");
                        }
                    }
                }
            }
            if (allowed.contains("*") && !reachable) {
                problems.add(pod.owner().id() + " (" + component + "): no NetworkPolicy admits traffic to it, but it "
                             + "must be reachable from anywhere");
            }
        }
        return problems;
    }

    private static Optional<Set<String>> configMapKeys(String name, List<K8sObject> objects) {
        return objects.stream().filter(o -> o.is("ConfigMap", name)).findFirst()
                .map(cm -> K8sObject.object(cm.json(), "data").map(JsonObject::keySet).orElse(Set.of()));
    }
}
