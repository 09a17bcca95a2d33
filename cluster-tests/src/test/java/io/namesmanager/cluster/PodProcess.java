package io.namesmanager.cluster;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;

/**
 * A container of a rendered workload, run as a process the way the kubelet would run it: its environment resolved
 * from the cluster (values, ConfigMap and Secret keys, {@code $(VAR)} references), its arguments expanded, a token
 * of the pod's service account where in-cluster configuration looks for it (harness/in-cluster.sh), and the pod's
 * absolute paths (volume mounts, HOME, TMPDIR) under a folder of its own. The caller adds the flags that move its
 * ports to free loopback ports.
 */
final class PodProcess {

    private static final Pattern REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

    private final Cluster cluster;
    private final String namespace;
    private final PodSpec pod;
    private final Container container;
    private final Path root;
    private final Map<String, String> env = new LinkedHashMap<>();

    private PodProcess(Cluster cluster, String namespace, PodSpec pod, Container container, Path root) {
        this.cluster = cluster;
        this.namespace = namespace;
        this.pod = pod;
        this.container = container;
        this.root = root;
    }

    /** CONTAINER of POD (in NAMESPACE), with its environment resolved against the cluster as it is now. */
    static PodProcess of(Cluster cluster, String namespace, String workload, PodSpec pod, String container) {
        Container chosen = java.util.stream.Stream.concat(pod.getInitContainers().stream(), pod.getContainers().stream())
                .filter(c -> c.getName().equals(container))
                .findFirst()
                .orElseThrow(() -> new ClusterException(workload + " has no container " + container));
        PodProcess process = new PodProcess(cluster, namespace, pod, chosen,
                                            cluster.work().resolve("pods/" + workload + "/" + container));
        process.resolveEnv();
        return process;
    }

    /** The pod's path PATH (e.g. /tmp) in the process's folder. */
    Path path(String podPath) {
        return root.resolve(podPath.replaceFirst("^/+", ""));
    }

    /** The resolved value of an environment variable, or null. */
    String env(String name) {
        return env.get(name);
    }

    /** Sets (or replaces) an environment variable of the process. */
    PodProcess withEnv(String name, String value) {
        env.put(name, value);
        return this;
    }

    /**
     * Starts the container's command (resolved among the harness's programs by its file name, or EXECUTABLE when the
     * image's entrypoint is meant) with its expanded arguments and then EXTRA_ARGS, as NAME.
     */
    Program start(String name, Path executable, List<String> extraArgs) {
        List<String> command = new ArrayList<>();
        command.add(Repo.path("cluster-tests/harness/in-cluster.sh").toString());
        command.add(serviceAccount().toString());
        List<String> entry = new ArrayList<>(container.getCommand());
        entry.addAll(container.getArgs());
        if (executable != null) {
            command.add(executable.toString());
            if (container.getCommand().isEmpty()) {
                entry.forEach(arg -> command.add(expand(arg)));
            } else {
                entry.stream().skip(1).forEach(arg -> command.add(expand(arg)));
            }
        } else {
            String program = Path.of(entry.get(0)).getFileName().toString();
            command.add(cluster.bin(program).toString());
            entry.stream().skip(1).forEach(arg -> command.add(expand(arg)));
        }
        command.addAll(extraArgs);
        Map<String, String> processEnv = new LinkedHashMap<>(env);
        processEnv.put("KUBERNETES_SERVICE_HOST", "127.0.0.1");
        processEnv.put("KUBERNETES_SERVICE_PORT", Integer.toString(cluster.apiPort()));
        processEnv.putIfAbsent("HOME", path("/home/" + name).toString());
        processEnv.putIfAbsent("TMPDIR", path("/tmp").toString());
        processEnv.put("PATH", cluster.env().get("PATH"));
        for (String dir : List.of(processEnv.get("HOME"), processEnv.get("TMPDIR"))) {
            Cluster.write(Path.of(dir).resolve(".keep"), "");
        }
        container.getVolumeMounts().forEach(m -> Cluster.write(path(m.getMountPath()).resolve(".keep"), ""));
        return cluster.launch(name, command, processEnv);
    }

    /** A token of the pod's service account, with the CA and namespace beside it, as the kubelet mounts them. */
    private Path serviceAccount() {
        String account = pod.getServiceAccountName() == null ? "default" : pod.getServiceAccountName();
        Path dir = root.resolve("serviceaccount");
        Cluster.write(dir.resolve("token"), cluster.kubectl("", "-n", namespace, "create", "token", account,
                                                            "--duration=6h").ok().strip());
        Cluster.write(dir.resolve("ca.crt"), Cluster.read(cluster.work().resolve("pki/apiserver.crt")));
        Cluster.write(dir.resolve("namespace"), namespace);
        return dir;
    }

    private void resolveEnv() {
        for (EnvVar variable : container.getEnv()) {
            String value = value(variable);
            if (value != null) {
                env.put(variable.getName(), value.startsWith("/") ? path(value).toString() : value);
            }
        }
    }

    /** The variable's value, or null when it comes from an optional key that is not there (or from the pod). */
    private String value(EnvVar variable) {
        if (variable.getValueFrom() == null) {
            return expand(variable.getValue() == null ? "" : variable.getValue());
        }
        ConfigMapKeySelector mapKey = variable.getValueFrom().getConfigMapKeyRef();
        if (mapKey != null) {
            ConfigMap map = cluster.client().configMaps().inNamespace(namespace).withName(mapKey.getName()).get();
            String value = map == null || map.getData() == null ? null : map.getData().get(mapKey.getKey());
            return required(variable, value, Boolean.TRUE.equals(mapKey.getOptional()),
                            "ConfigMap " + mapKey.getName() + " key " + mapKey.getKey());
        }
        SecretKeySelector secretKey = variable.getValueFrom().getSecretKeyRef();
        if (secretKey != null) {
            Secret secret = cluster.client().secrets().inNamespace(namespace).withName(secretKey.getName()).get();
            String data = secret == null || secret.getData() == null ? null : secret.getData().get(secretKey.getKey());
            String value = data == null ? null : new String(Base64.getDecoder().decode(data), StandardCharsets.UTF_8);
            return required(variable, value, Boolean.TRUE.equals(secretKey.getOptional()),
                            "Secret " + secretKey.getName() + " key " + secretKey.getKey());
        }
        return null; // fieldRef, resourceFieldRef: facts of a pod that does not exist here
    }

    private static String required(EnvVar variable, String value, boolean optional, String source) {
        if (value == null && !optional) {
            throw new ClusterException(variable.getName() + " needs " + source + ", which is missing");
        }
        return value;
    }

    /** $(VAR) replaced by the value of VAR, as the kubelet expands commands, arguments and values. */
    private String expand(String text) {
        Matcher matcher = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = env.get(matcher.group(1));
            matcher.appendReplacement(out, Matcher.quoteReplacement(value == null ? matcher.group() : value));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
