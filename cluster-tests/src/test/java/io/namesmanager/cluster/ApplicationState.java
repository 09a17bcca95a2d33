package io.namesmanager.cluster;

import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;

/** What Argo CD reports about one Application (its status), as the UI's application tile shows it. */
record ApplicationState(String name, String sync, String health, String phase, String revision,
                        String operationMessage, String operationFinishedAt, List<String> conditions) {

    /** The Application NAME as it is now, or a state of nulls when it does not exist (yet). */
    @SuppressWarnings("unchecked")
    static ApplicationState of(KubernetesClient client, String name) {
        GenericKubernetesResource app = client.genericKubernetesResources("argoproj.io/v1alpha1", "Application")
                .inNamespace(ArgoCd.NAMESPACE).withName(name).get();
        if (app == null || app.getAdditionalProperties().get("status") == null) {
            return new ApplicationState(name, null, null, null, null, null, null, List.of());
        }
        Map<String, Object> status = (Map<String, Object>) app.getAdditionalProperties().get("status");
        Map<String, Object> sync = map(status.get("sync"));
        Map<String, Object> health = map(status.get("health"));
        Map<String, Object> operation = map(status.get("operationState"));
        List<String> conditions = ((List<Map<String, Object>>) status.getOrDefault("conditions", List.of())).stream()
                .map(c -> c.get("type") + ": " + c.get("message"))
                .toList();
        return new ApplicationState(name, (String) sync.get("status"), (String) health.get("status"),
                                    (String) operation.get("phase"), (String) sync.get("revision"),
                                    (String) operation.get("message"), (String) operation.get("finishedAt"),
                                    conditions);
    }

    /** Synced, Healthy and its last operation Succeeded: what a first sync must end in. */
    boolean settled() {
        return "Synced".equals(sync) && "Healthy".equals(health) && "Succeeded".equals(phase);
    }

    /** The last operation ended at least QUIET ago (so the refreshes that follow an operation are done). */
    boolean quietFor(java.time.Duration quiet) {
        return operationFinishedAt != null
               && java.time.Instant.parse(operationFinishedAt).plus(quiet).isBefore(java.time.Instant.now());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
