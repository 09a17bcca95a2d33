package io.namesmanager.deploy;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Each case breaks one rule in a real render; {@link Policies} must report it, naming the object and the fix. */
class PoliciesNegativeTest {

    private static final String POD = "spec.template.spec";
    private static final String BACKEND = POD + ".containers[0]";

    static Stream<Arguments> brokenRenders() {
        return Stream.of(
                // security context
                dev("Deployment", "backend", e -> e.remove(BACKEND + ".securityContext"),
                    "Deployment/backend container 'backend' (spec.template.spec.containers[0]): "
                    + "allowPrivilegeEscalation is not false"),
                dev("Deployment", "backend", e -> e.set(BACKEND + ".securityContext.runAsNonRoot", "false"),
                    "container 'backend' (spec.template.spec.containers[0]): runAsNonRoot is not true"),
                dev("Deployment", "backend", e -> e.set(POD + ".securityContext.runAsUser", "0"), "runs as uid 0"),
                dev("Deployment", "backend", e -> e.set(BACKEND + ".securityContext.privileged", "true"),
                    "privileged; remove"),
                dev("Deployment", "backend", e -> e.set(BACKEND + ".securityContext.capabilities.drop", "[\"NET_RAW\"]"),
                    "capabilities must drop ALL"),
                dev("Deployment", "backend", e -> e.set(BACKEND + ".securityContext.capabilities.add", "[\"NET_ADMIN\"]"),
                    "capabilities must drop ALL and add none"),
                dev("Deployment", "backend", e -> e.remove(POD + ".securityContext.seccompProfile"),
                    "seccompProfile is not RuntimeDefault"),
                dev("Deployment", "backend", e -> e.set(BACKEND + ".securityContext.readOnlyRootFilesystem", "false"),
                    "root filesystem is writable"),
                dev("Deployment", "backend", e -> e.remove(BACKEND + ".volumeMounts[0]"),
                    "read-only root filesystem without a writable /tmp"),
                // probes
                dev("Deployment", "frontend", e -> e.remove(BACKEND + ".livenessProbe"),
                    "Deployment/frontend container 'frontend' (spec.template.spec.containers[0]): no livenessProbe"),
                dev("Deployment", "backend", e -> e.remove(BACKEND + ".startupProbe"), "no startupProbe"),
                dev("StatefulSet", "postgres", e -> e.remove(BACKEND + ".readinessProbe"),
                    "StatefulSet/postgres container 'postgres' (spec.template.spec.containers[0]): no readinessProbe"),
                dev("Deployment", "backend", e -> e.set(BACKEND + ".readinessProbe.httpGet.port", "\"htp\""),
                    "readinessProbe.httpGet.port htp is not a port of the container"),
                dev("Deployment", "backend", e -> e.set(BACKEND + ".livenessProbe.httpGet.port", "8080"),
                    "livenessProbe.httpGet.port 8080 is not a port of the container"),
                // resources
                dev("Deployment", "backend", e -> e.remove(BACKEND + ".resources.limits"),
                    "resources.requests.cpu and resources.limits.cpu must both be set"),
                prod("CronJob", "postgres-backup",
                     e -> e.remove("spec.jobTemplate.spec.template.spec.containers[0].resources.requests.memory"),
                     "CronJob/postgres-backup container 'pg-dump'"),
                dev("Deployment", "backend", e -> e.set(BACKEND + ".resources.requests.memory", "\"1Gi\""),
                    "memory request 1Gi is above its limit 384Mi"),
                // images
                dev("StatefulSet", "postgres", e -> e.set(BACKEND + ".image", "\"postgres:latest\""),
                    "image postgres:latest uses the floating tag latest"),
                dev("StatefulSet", "postgres", e -> e.set(BACKEND + ".image", "\"postgres\""),
                    "image postgres has neither tag nor digest"),
                dev("StatefulSet", "postgres", e -> e.set(BACKEND + ".image", "\"postgres:16\""),
                    "third-party image postgres:16 is not pinned to a minor version"),
                dev("Deployment", "backend", e -> e.set(BACKEND + ".image", "\"names-backend:1.0.0\""),
                    "image names-backend:1.0.0 is not from the VM registry"),
                dev("Deployment", "backend", e -> e.set(BACKEND + ".image", "\"192.168.56.10:30500/names-backend\""),
                    "has neither tag nor digest"),
                prod("Deployment", "frontend",
                     e -> e.set(BACKEND + ".image", "\"192.168.56.10:30500/names-frontend:1.0.0\""),
                     "prod image 192.168.56.10:30500/names-frontend:1.0.0 is not pinned by digest"),
                // labels
                dev("Service", "api", e -> e.remove("metadata.labels.\"app.kubernetes.io/part-of\""),
                    "Service/api: label app.kubernetes.io/part-of=names-manager missing"),
                dev("Deployment", "backend", e -> e.set("spec.template.metadata.labels.\"app.kubernetes.io/component\"",
                                                        "\"api\""),
                    "spec.template.metadata.labels: label app.kubernetes.io/component must be one of"),
                // network policies
                removed("dev", "NetworkPolicy", "default-deny-ingress", "no default-deny ingress policy"),
                removed("dev", "NetworkPolicy", "web-from-anywhere",
                        "Service/web: its pods (Deployment/frontend) are admitted by no NetworkPolicy"),
                // plain Secrets
                added("dev", Fixtures.plainSecret(), "Secret/db-credentials (fixture: plain Secret):"
                                                                    + " a plain Secret in Git; seal it"),
                // NodePorts
                dev("Service", "web", e -> e.set("spec.ports[0].nodePort", "30500"),
                    "nodePort 30500: taken by the in-VM registry"),
                dev("Service", "web", e -> e.set("spec.ports[0].nodePort", "8080"),
                    "nodePort 8080: outside the NodePort range"),
                // sync waves
                dev("Deployment", "backend", e -> e.remove("metadata.annotations.\"argocd.argoproj.io/sync-wave\""),
                    "Deployment/backend: annotation argocd.argoproj.io/sync-wave missing"),
                dev("Deployment", "backend", e -> e.set("metadata.annotations.\"argocd.argoproj.io/sync-wave\"",
                                                        "\"0\""),
                    "StatefulSet/postgres: sync wave 0 is not before Deployment/backend (wave 0)"),
                dev("SealedSecret", "db-credentials",
                    e -> e.set("metadata.annotations.\"argocd.argoproj.io/sync-wave\"", "\"0\""),
                    "SealedSecret/db-credentials: sync wave 0 is not before StatefulSet/postgres"),
                dev("Namespace", "names-dev", e -> e.set("metadata.annotations.\"argocd.argoproj.io/sync-wave\"",
                                                         "\"5\""),
                    "Namespace/names-dev: sync wave 5 is not before"),
                // roll-out
                dev("Deployment", "backend", e -> e.set("spec.strategy.rollingUpdate.maxUnavailable", "1"),
                    "Deployment/backend spec.strategy: must be RollingUpdate with maxUnavailable: 0"),
                dev("Deployment", "frontend", e -> e.remove(BACKEND + ".lifecycle"), "no lifecycle.preStop.sleep"),
                dev("Deployment", "backend", e -> e.set(POD + ".terminationGracePeriodSeconds", "10"),
                    "terminationGracePeriodSeconds 10 leaves less than 10 s after the 5 s preStop sleep"),
                // autoscaling and disruption budgets
                prod("HorizontalPodAutoscaler", "backend", e -> e.set("spec.minReplicas", "1"),
                     "HorizontalPodAutoscaler/backend spec.minReplicas: 1 leaves a single pod"),
                prod("HorizontalPodAutoscaler", "frontend", e -> e.set("spec.scaleTargetRef.name", "\"fronted\""),
                     "scaleTargetRef Deployment/fronted is not in the render"),
                prod("Deployment", "backend", e -> e.set("spec.replicas", "2"),
                     "Deployment/backend spec.replicas: set although HorizontalPodAutoscaler/backend owns"),
                prod("PodDisruptionBudget", "backend", e -> e.set("spec.minAvailable", "2"),
                     "PodDisruptionBudget/backend spec.minAvailable: 2 with 2 replica(s) of Deployment/backend"),
                prod("PodDisruptionBudget", "backend",
                     e -> e.set("spec.selector.matchLabels.\"app.kubernetes.io/name\"", "\"backend\""),
                     "PodDisruptionBudget/backend spec.selector: selects 0 workloads' pods"),
                // service accounts
                dev("Deployment", "backend", e -> e.set(POD + ".automountServiceAccountToken", "true"),
                    "Deployment/backend spec.template.spec: automountServiceAccountToken must be false"),
                dev("ServiceAccount", "frontend", e -> e.remove("automountServiceAccountToken"),
                    "ServiceAccount/frontend: automountServiceAccountToken must be false"),
                dev("Deployment", "backend", e -> e.set(POD + ".serviceAccountName", "\"api\""),
                    "serviceAccountName: ServiceAccount/api is not in the render"),
                // volumes
                dev("StatefulSet", "postgres", e -> e.set(BACKEND + ".volumeMounts[0].name", "\"postgres-data\""),
                    "volumeMount 'postgres-data' has no volume of that name"),
                prod("CronJob", "postgres-backup",
                     e -> e.set("spec.jobTemplate.spec.template.spec.volumes[0].persistentVolumeClaim.claimName",
                                "\"backups\""),
                     "CronJob/postgres-backup volume 'backups': PersistentVolumeClaim/backups is not in the render"),
                // namespace
                dev("Namespace", "names-dev",
                    e -> e.set("metadata.labels.\"pod-security.kubernetes.io/enforce\"", "\"baseline\""),
                    "Namespace/names-dev: label pod-security.kubernetes.io/enforce must be restricted"),
                dev("Service", "db", e -> e.set("metadata.namespace", "\"default\""),
                    "Service/db metadata.namespace: 'default', expected names-dev"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenRenders")
    void reportsTheBrokenRule(String expected, String env, Supplier<List<K8sObject>> broken) {
        List<String> problems = Policies.check(env, broken.get());
        assertTrue(problems.stream().anyMatch(p -> p.contains(expected)),
                   "expected a problem containing \"" + expected + "\", got:\n  " + String.join("\n  ", problems));
    }

    @Test
    void nodePortsMustBeUniqueAcrossEnvironments() {
        K8sObject prodWeb = Fixtures.edited(Fixtures.rendered("prod", "Service", "web"),
                                            e -> e.set("spec.type", "\"NodePort\"")
                                                    .set("spec.ports[0].nodePort", "30080"));
        List<String> problems = Policies.nodePorts(Map.of("dev", Kustomize.overlay("dev"),
                                                          "prod", List.of(prodWeb)));
        assertTrue(problems.stream().anyMatch(p -> p.contains("nodePort 30080: duplicate of")
                                                   && p.contains("(NodePorts are cluster-wide)")),
                   problems + " " + prodWeb.json());
    }

    private static Arguments dev(String kind, String name, UnaryOperator<JsonEdit> edit, String expected) {
        return arguments(expected, "dev", (Supplier<List<K8sObject>>) () -> Fixtures.renderedWith("dev", kind, name,
                                                                                                   edit));
    }

    private static Arguments prod(String kind, String name, UnaryOperator<JsonEdit> edit, String expected) {
        return arguments(expected, "prod", (Supplier<List<K8sObject>>) () -> Fixtures.renderedWith("prod", kind, name,
                                                                                                    edit));
    }

    private static Arguments removed(String env, String kind, String name, String expected) {
        return arguments(expected, env, (Supplier<List<K8sObject>>) () -> Fixtures.renderedWithout(env, kind, name));
    }

    private static Arguments added(String env, K8sObject extra, String expected) {
        return arguments(expected, env, (Supplier<List<K8sObject>>) () -> Fixtures.renderedPlus(env, extra));
    }
}
