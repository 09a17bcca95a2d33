package io.namesmanager.images;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * overlays/dev rendered by {@code kubectl kustomize}, as Argo CD renders it, and turned into the file handed to
 * {@code podman kube play}. The Deployments and their ConfigMaps go in unchanged except where podman or the missing
 * cluster force a change, each one listed in {@link #forPodman}.
 */
final class DevOverlay {

    static final String KUBECTL_HINT = "The dev overlay is rendered with kubectl kustomize (kubectl 1.27 or newer) "
                                       + "from PATH or $KUBECTL, as in deploy-tests.";

    private final List<Map<String, Object>> objects;

    private DevOverlay(List<Map<String, Object>> objects) {
        this.objects = objects;
    }

    /** Renders overlays/dev. */
    static DevOverlay render() {
        String kubectl = System.getenv().getOrDefault("KUBECTL", "kubectl");
        String yaml = Command.run(Duration.ofMinutes(2), KUBECTL_HINT,
                                  List.of(kubectl, "kustomize", Repo.root().resolve("overlays/dev").toString())).ok();
        return new DevOverlay(parse(yaml));
    }

    private static List<Map<String, Object>> parse(String yaml) {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object document : new Yaml().loadAll(yaml)) {
            if (document != null) {
                @SuppressWarnings("unchecked")
                Map<String, Object> object = (Map<String, Object>) document;
                objects.add(object);
            }
        }
        return objects;
    }

    /** The Deployment NAME. */
    Workload workload(String name) {
        return new Workload(find("Deployment", name));
    }

    /**
     * The kube play file: the backend and frontend Deployments with the ConfigMaps they read. Changes, each forced:
     * <ul>
     *     <li>images: the locally loaded ones (the overlay names the VM's registry);</li>
     *     <li>ports: published on 127.0.0.1 at HOST_PORTS (kube play publishes every containerPort on the host, at
     *     the same number unless told; fixed 8000/8080 would clash with other processes);</li>
     *     <li>BACKEND_URL of frontend-config: the backend's published port, reached from the pod at 10.0.2.2, which
     *     slirp4netns maps to the host's loopback (there is no Service {@code api} without a cluster);</li>
     *     <li>emptyDir volumes: named per Deployment (podman turns an emptyDir into a named volume; two "tmp"
     *     volumes would be one, shared).</li>
     * </ul>
     *
     * @param images    backend and frontend images, by Deployment name
     * @param hostPorts host port for each Deployment's named container port, keyed {@code deployment:port}
     */
    String forPodman(Map<String, Image> images, Map<String, Integer> hostPorts) {
        List<Map<String, Object>> play = new ArrayList<>();
        for (String name : List.of("backend", "frontend")) {
            Workload workload = new Workload(copy(find("Deployment", name)));
            Map<String, Object> container = workload.container();
            container.put("image", images.get(name).localReference());
            for (Map<String, Object> port : Json.list(container, "ports")) {
                port.put("hostIP", "127.0.0.1");
                port.put("hostPort", hostPorts.get(name + ":" + port.get("name")));
            }
            for (Map<String, Object> volume : Json.list(workload.podSpec(), "volumes")) {
                volume.put("name", name + "-" + volume.get("name"));
            }
            for (Map<String, Object> mount : Json.list(container, "volumeMounts")) {
                mount.put("name", name + "-" + mount.get("name"));
            }
            for (Map<String, Object> source : Json.list(container, "envFrom")) {
                String configMap = Json.string(Json.map(source, "configMapRef"), "name");
                Map<String, Object> copy = copy(find("ConfigMap", configMap));
                if (name.equals("frontend")) {
                    Json.map(copy, "data").put("BACKEND_URL", "http://10.0.2.2:" + hostPorts.get("backend:http"));
                }
                play.add(copy);
            }
            play.add(workload.deployment());
        }
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new Yaml(options).dumpAll(play.iterator());
    }

    /** The value of KEY in the rendered ConfigMap whose generated name starts with PREFIX. */
    String configValue(String prefix, String key) {
        return objects.stream()
                .filter(o -> "ConfigMap".equals(o.get("kind")))
                .filter(o -> Json.string(Json.map(o, "metadata"), "name").startsWith(prefix + "-"))
                .map(o -> Json.string(Json.map(o, "data"), key))
                .findFirst()
                .orElseThrow(() -> new AssertionError("No ConfigMap " + prefix + "-<hash> in overlays/dev"));
    }

    private Map<String, Object> find(String kind, String name) {
        return objects.stream()
                .filter(o -> kind.equals(o.get("kind")))
                .filter(o -> name.equals(Json.string(Json.map(o, "metadata"), "name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("overlays/dev renders no " + kind + " " + name));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> copy(Map<String, Object> object) {
        Yaml yaml = new Yaml();
        return (Map<String, Object>) yaml.load(yaml.dump(new LinkedHashMap<>(object)));
    }
}
