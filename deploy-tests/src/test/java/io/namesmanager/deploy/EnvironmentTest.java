package io.namesmanager.deploy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What each environment must have (README.md, docs/gitops.md), read from the real renders. */
class EnvironmentTest {

    @Test
    void devIsSmallDebugAndOnNodePort30080() {
        List<K8sObject> dev = Kustomize.overlay("dev");
        for (String deployment : List.of("backend", "frontend")) {
            assertEquals(1, value(dev, "Deployment", deployment, "spec.replicas").getAsInt(), deployment + " replicas");
        }
        assertEquals("NodePort", value(dev, "Service", "web", "spec.type").getAsString());
        assertEquals(30080, value(dev, "Service", "web", "spec.ports").getAsJsonArray().get(0).getAsJsonObject()
                .get("nodePort").getAsInt());
        assertEquals("DEBUG", Fixtures.rendered("dev", "ConfigMap", "app-config").json()
                .getAsJsonObject("data").get("LOG_LEVEL").getAsString());
        assertEquals("DEBUG", Fixtures.rendered("dev", "ConfigMap", "frontend-config").json()
                .getAsJsonObject("data").get("LOG_LEVEL").getAsString());
        for (String app : List.of("backend", "frontend")) {
            assertEquals(Policies.REGISTRY + "names-" + app + ":" + Repo.projectVersion(), image(dev, app),
                         "dev images: the VM registry, tagged with the project version");
        }
        assertTrue(dev.stream().noneMatch(o -> o.kind().equals("Ingress") || o.kind().equals("HorizontalPodAutoscaler")
                                              || o.kind().equals("CronJob")), "dev has no ingress, HPA or backup");
    }

    @Test
    void prodScalesIsProtectedAndBacksUp() {
        List<K8sObject> prod = Kustomize.overlay("prod");
        for (String app : List.of("backend", "frontend")) {
            JsonObject hpa = Fixtures.rendered("prod", "HorizontalPodAutoscaler", app).json().getAsJsonObject("spec");
            assertEquals(2, hpa.get("minReplicas").getAsInt());
            assertEquals(5, hpa.get("maxReplicas").getAsInt());
            JsonObject target = hpa.getAsJsonArray("metrics").get(0).getAsJsonObject().getAsJsonObject("resource");
            assertEquals("cpu", target.get("name").getAsString());
            assertEquals(70, target.getAsJsonObject("target").get("averageUtilization").getAsInt());
            assertTrue(prod.stream().anyMatch(o -> o.is("PodDisruptionBudget", app)), app + " PDB");
            assertTrue(image(prod, app).matches("192\\.168\\.56\\.10:30500/names-" + app + "@sha256:[0-9a-f]{64}"),
                       "prod images pinned by digest: " + image(prod, app));
        }
        JsonObject rule = value(prod, "Ingress", "web", "spec.rules").getAsJsonArray().get(0).getAsJsonObject();
        assertEquals("names.local", rule.get("host").getAsString());
        assertEquals("web", K8sObject.path(rule, "http").get().getAsJsonObject().getAsJsonArray("paths").get(0)
                .getAsJsonObject().getAsJsonObject("backend").getAsJsonObject("service").get("name").getAsString());
        assertEquals("traefik", value(prod, "Ingress", "web", "spec.ingressClassName").getAsString());
        assertEquals("ClusterIP", value(prod, "Service", "web", "spec.type").getAsString());
        JsonObject pvc = value(prod, "StatefulSet", "postgres", "spec.volumeClaimTemplates").getAsJsonArray().get(0)
                .getAsJsonObject();
        assertEquals("postgres-storage", K8sObject.path(pvc, "metadata.name").get().getAsString());
        assertEquals("10Gi", K8sObject.path(pvc, "spec.resources.requests.storage").get().getAsString());
        assertEquals("local-path", K8sObject.path(pvc, "spec.storageClassName").get().getAsString());
        JsonObject backup = Fixtures.rendered("prod", "CronJob", "postgres-backup").json().getAsJsonObject("spec");
        assertEquals("Forbid", backup.get("concurrencyPolicy").getAsString());
        assertTrue(backup.get("schedule").getAsString().matches("[0-9]+ [0-9]+ \\* \\* \\*"), "nightly");
        assertTrue(prod.stream().anyMatch(o -> o.is("ResourceQuota", "names-prod")));
        assertTrue(prod.stream().anyMatch(o -> o.is("LimitRange", "names-prod")));
    }

    @Test
    void baseSizesTheDatabaseVolumeAsAgreed() {
        JsonObject pvc = value(Kustomize.overlay("dev"), "StatefulSet", "postgres", "spec.volumeClaimTemplates")
                .getAsJsonArray().get(0).getAsJsonObject();
        assertEquals("5Gi", K8sObject.path(pvc, "spec.resources.requests.storage").get().getAsString());
    }

    /**
     * The prod quota admits the workloads at their peak: both HPAs at maxReplicas plus one surge pod each during a
     * roll-out, every StatefulSet replica, one running Job per CronJob, and every volume claim.
     */
    @Test
    void prodQuotaFitsTheWorkloadsAtTheirPeak() {
        List<K8sObject> prod = Kustomize.overlay("prod");
        Map<String, BigDecimal> peak = new java.util.TreeMap<>();
        int pods = 0;
        for (Workloads.PodTemplate pod : Workloads.podTemplates(prod)) {
            int count = switch (pod.owner().kind()) {
                case "Deployment" -> prod.stream().filter(o -> o.kind().equals("HorizontalPodAutoscaler"))
                        .filter(h -> K8sObject.path(h.json(), "spec.scaleTargetRef.name").get().getAsString()
                                .equals(pod.owner().name()))
                        .map(h -> K8sObject.path(h.json(), "spec.maxReplicas").get().getAsInt()).findFirst()
                        .orElse(1) + 1;
                case "StatefulSet" -> K8sObject.path(pod.owner().json(), "spec.replicas").map(JsonElement::getAsInt)
                        .orElse(1);
                default -> 1;
            };
            pods += count;
            for (Workloads.Container c : pod.containers()) {
                for (String kind : List.of("requests", "limits")) {
                    for (String resource : List.of("cpu", "memory")) {
                        BigDecimal each = Workloads.quantity(K8sObject.path(c.json(), "resources." + kind + "."
                                                                                       + resource).get().getAsString());
                        peak.merge(kind + "." + resource, each.multiply(BigDecimal.valueOf(count)), BigDecimal::add);
                    }
                }
            }
        }
        BigDecimal storage = BigDecimal.ZERO;
        int claims = 0;
        for (K8sObject o : prod) {
            if (o.kind().equals("PersistentVolumeClaim")) {
                storage = storage.add(Workloads.quantity(K8sObject.path(o.json(), "spec.resources.requests.storage")
                                                                 .get().getAsString()));
                claims++;
            } else if (o.kind().equals("StatefulSet")) {
                for (JsonElement t : Workloads.array(o.json().getAsJsonObject("spec"), "volumeClaimTemplates")) {
                    storage = storage.add(Workloads.quantity(K8sObject.path(t.getAsJsonObject(),
                                                                            "spec.resources.requests.storage")
                                                                     .get().getAsString()));
                    claims++;
                }
            }
        }
        peak.put("requests.storage", storage);
        peak.put("persistentvolumeclaims", BigDecimal.valueOf(claims));
        peak.put("pods", BigDecimal.valueOf(pods));
        JsonObject hard = value(prod, "ResourceQuota", "names-prod", "spec.hard").getAsJsonObject();
        peak.forEach((resource, needed) -> {
            BigDecimal quota = Workloads.quantity(Optional.ofNullable(hard.get(resource))
                    .orElseThrow(() -> new AssertionError("ResourceQuota/names-prod has no " + resource))
                    .getAsString());
            assertTrue(needed.compareTo(quota) <= 0, "ResourceQuota/names-prod " + resource + " " + quota
                                                     + " is below the peak need " + needed.stripTrailingZeros()
                                                             .toPlainString() + "; raise it");
        });
    }

    private static JsonElement value(List<K8sObject> objects, String kind, String name, String path) {
        K8sObject object = objects.stream().filter(o -> o.is(kind, name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + "/" + name + " in the render"));
        return K8sObject.path(object.json(), path).orElseThrow(() -> new AssertionError(kind + "/" + name + " has no "
                                                                                         + path));
    }

    private static String image(List<K8sObject> objects, String deployment) {
        return value(objects, "Deployment", deployment, "spec.template.spec.containers").getAsJsonArray().get(0)
                .getAsJsonObject().get("image").getAsString();
    }
}
