package io.namesmanager.images;

import java.util.List;
import java.util.Map;

/**
 * One Deployment of the rendered overlay and what the tests read from it: its container's ports, probes, user,
 * grace period and preStop sleep.
 *
 * @param deployment the Deployment as rendered by kubectl kustomize
 */
record Workload(Map<String, Object> deployment) {

    String name() {
        return Json.string(Json.map(deployment, "metadata"), "name");
    }

    Map<String, Object> podSpec() {
        return Json.map(Json.map(Json.map(deployment, "spec"), "template"), "spec");
    }

    /** The pod's only container. */
    Map<String, Object> container() {
        List<Map<String, Object>> containers = Json.list(podSpec(), "containers");
        if (containers.size() != 1) {
            throw new AssertionError("Deployment " + name() + " has " + containers.size() + " containers, not 1");
        }
        return containers.get(0);
    }

    /** The container port named NAME (a probe's {@code port: http}), or the number itself. */
    int containerPort(Object portNameOrNumber) {
        if (portNameOrNumber instanceof Number number) {
            return number.intValue();
        }
        return Json.list(container(), "ports").stream()
                .filter(port -> portNameOrNumber.equals(port.get("name")))
                .map(port -> (int) Json.number(port, "containerPort"))
                .findFirst()
                .orElseThrow(() -> new AssertionError(name() + " has no port named " + portNameOrNumber));
    }

    /** The container's probe of KIND (startupProbe, livenessProbe, readinessProbe), or null. */
    @SuppressWarnings("unchecked")
    Map<String, Object> probe(String kind) {
        return (Map<String, Object>) container().get(kind);
    }

    /** {@code terminationGracePeriodSeconds} (Kubernetes' default 30 when absent). */
    int gracePeriodSeconds() {
        Object value = podSpec().get("terminationGracePeriodSeconds");
        return value == null ? 30 : ((Number) value).intValue();
    }

    /** Seconds of the preStop {@code sleep} action (0 without one): it runs before SIGTERM, inside the grace period. */
    int preStopSleepSeconds() {
        Object lifecycle = container().get("lifecycle");
        if (!(lifecycle instanceof Map<?, ?> map) || !(map.get("preStop") instanceof Map<?, ?> preStop)
                || !(preStop.get("sleep") instanceof Map<?, ?> sleep)) {
            return 0;
        }
        return ((Number) sleep.get("seconds")).intValue();
    }

    /** The pod-level {@code securityContext.runAsUser}. */
    long runAsUser() {
        return Json.number(Json.map(podSpec(), "securityContext"), "runAsUser");
    }

    /** The container's {@code securityContext.readOnlyRootFilesystem}. */
    boolean readOnlyRootFilesystem() {
        return Boolean.TRUE.equals(Json.map(container(), "securityContext").get("readOnlyRootFilesystem"));
    }

    /** The name podman kube play gives the pod. */
    String podName() {
        return name() + "-pod-0";
    }

    /** The name podman kube play gives the container. */
    String containerName() {
        return podName() + "-" + Json.string(container(), "name");
    }
}
