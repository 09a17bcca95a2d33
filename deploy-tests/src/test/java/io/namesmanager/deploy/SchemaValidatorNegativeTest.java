package io.namesmanager.deploy;

import java.util.List;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Proves the validator is strict: each case breaks one valid object (a real render or a fixture) in one way, and
 * the validator must report exactly that, naming the object and the path.
 */
class SchemaValidatorNegativeTest {

    private static final String CONTAINER = "spec.template.spec.containers[0]";
    private static final String JOB_CONTAINER = "spec.jobTemplate.spec.template.spec.containers[0]";

    static Stream<Arguments> brokenObjects() {
        return Stream.of(
                // unknown fields, at every depth
                dev("Deployment", "backend", e -> e.set(CONTAINER + ".imagePullPolcy", "\"Always\""),
                    CONTAINER + ".imagePullPolcy: unknown field (not in V1Container)"),
                dev("Deployment", "backend", e -> e.set("specs", "{}"), "specs: unknown field (not in V1Deployment)"),
                dev("Deployment", "backend", e -> e.set("spec.replica", "2"), "spec.replica: unknown field"),
                dev("Deployment", "backend", e -> e.set("metadata.lables", "{}"), "metadata.lables: unknown field"),
                dev("Deployment", "backend",
                    e -> e.set(CONTAINER + ".securityContext.readOnlyRootFileSystem", "true"),
                    CONTAINER + ".securityContext.readOnlyRootFileSystem: unknown field"),
                dev("Deployment", "backend", e -> e.set(CONTAINER + ".readinessProbe.httpGet.paht", "\"/x\""),
                    CONTAINER + ".readinessProbe.httpGet.paht: unknown field"),
                dev("NetworkPolicy", "default-deny-ingress",
                    e -> e.set("spec.podSelecter", "{}").remove("spec.podSelector"),
                    "spec.podSelecter: unknown field"),
                prod("CronJob", "postgres-backup", e -> e.set(JOB_CONTAINER + ".comand", "[]"),
                     JOB_CONTAINER + ".comand: unknown field"),
                // wrong types
                dev("Deployment", "backend", e -> e.set(CONTAINER + ".ports[0].containerPort", "\"8000\""),
                    CONTAINER + ".ports[0].containerPort: expected integer (int32), got string \"8000\""),
                dev("Deployment", "backend", e -> e.set("spec.replicas", "\"2\""),
                    "spec.replicas: expected integer (int32), got string \"2\""),
                dev("Deployment", "backend", e -> e.set("spec.replicas", "3000000000"),
                    "spec.replicas: integer (int32) out of range"),
                dev("Deployment", "backend", e -> e.set("spec.replicas", "1.5"),
                    "spec.replicas: expected integer (int32), got number 1.5"),
                dev("Deployment", "backend", e -> e.set(CONTAINER + ".env[1].value", "75"),
                    CONTAINER + ".env[1].value: expected string, got number 75"),
                dev("Deployment", "backend", e -> e.set("spec.template.spec.securityContext.runAsNonRoot", "\"true\""),
                    "spec.template.spec.securityContext.runAsNonRoot: expected boolean, got string \"true\""),
                dev("Deployment", "backend", e -> e.set("metadata.labels.\"app.kubernetes.io/part-of\"", "1"),
                    "metadata.labels.app.kubernetes.io/part-of: expected string, got number 1"),
                dev("Deployment", "backend",
                    e -> e.set("metadata.annotations.\"argocd.argoproj.io/sync-wave\"", "1"),
                    "metadata.annotations.argocd.argoproj.io/sync-wave: expected string, got number 1"),
                dev("Deployment", "backend", e -> e.set(CONTAINER + ".securityContext", "\"restricted\""),
                    CONTAINER + ".securityContext: expected object (V1SecurityContext), got string"),
                dev("Deployment", "backend", e -> e.set(CONTAINER + ".args", "\"--port=8000\""),
                    CONTAINER + ".args: expected array, got string"),
                dev("Deployment", "backend", e -> e.set(CONTAINER + ".ports", "\"8000\""),
                    CONTAINER + ".ports: expected array, got string"),
                dev("Deployment", "backend", e -> e.set(CONTAINER + ".lifecycle.preStop.sleep.seconds", "\"5\""),
                    CONTAINER + ".lifecycle.preStop.sleep.seconds: expected integer (int64)"),
                dev("Service", "api", e -> e.set("spec.ports[0].targetPort", "true"),
                    "spec.ports[0].targetPort: expected integer or string, got boolean true"),
                dev("ConfigMap", "app-config", e -> e.set("data.SERVER_PORT", "8000"),
                    "data.SERVER_PORT: expected string, got number 8000"),
                dev("Deployment", "backend", e -> e.set(CONTAINER + ".resources.requests.memory", "\"128MB\""),
                    CONTAINER + ".resources.requests.memory: invalid quantity '128MB'"),
                prod("HorizontalPodAutoscaler", "backend",
                     e -> e.set("spec.metrics[0].resource.target.averageUtilization", "\"70\""),
                     "spec.metrics[0].resource.target.averageUtilization: expected integer (int32)"),
                prod("Ingress", "web",
                     e -> e.remove("spec.rules[0].http.paths[0].backend.service.port.name")
                             .set("spec.rules[0].http.paths[0].backend.service.port.number", "\"80\""),
                     "spec.rules[0].http.paths[0].backend.service.port.number: expected integer (int32)"),
                // missing required fields
                dev("Deployment", "backend", e -> e.remove(CONTAINER + ".name"),
                    CONTAINER + ".name: missing required field"),
                dev("Deployment", "backend", e -> e.set(CONTAINER + ".name", "null"),
                    CONTAINER + ".name: missing required field"),
                dev("Deployment", "backend", e -> e.remove("spec.selector"), "spec.selector: missing required field"),
                dev("Deployment", "backend", e -> e.remove(CONTAINER + ".env[0].name"),
                    CONTAINER + ".env[0].name: missing required field"),
                dev("Service", "api", e -> e.remove("spec.ports[0].port"), "spec.ports[0].port: missing required field"),
                // no schema
                dev("Deployment", "backend", e -> e.set("kind", "\"Deploymnet\""),
                    "no schema for apiVersion 'apps/v1' kind 'Deploymnet'"),
                dev("Deployment", "backend", e -> e.set("apiVersion", "\"extensions/v1beta1\""),
                    "no schema for apiVersion 'extensions/v1beta1' kind 'Deployment'"),
                // custom resources: SealedSecret
                dev("SealedSecret", "db-credentials", e -> e.remove("spec.encryptedData"),
                    "spec.encryptedData: missing required field"),
                dev("SealedSecret", "db-credentials", e -> e.set("spec.template.metdata", "{}"),
                    "spec.template.metdata: unknown field (not in Template)"),
                dev("SealedSecret", "db-credentials", e -> e.set("spec.encryptedData.POSTGRES_DB", "42"),
                    "spec.encryptedData.POSTGRES_DB: expected string, got number"),
                dev("SealedSecret", "db-credentials", e -> e.set("metadata.lables", "{}"),
                    "metadata.lables: unknown field (not in V1ObjectMeta)"),
                // custom resources: Argo CD
                file("application.yaml", e -> e.set("spec.syncPolicy.automated.selfheal", "true"),
                     "spec.syncPolicy.automated.selfheal: unknown field (not in Automated)"),
                file("application.yaml", e -> e.remove("spec.project"), "spec.project: missing required field"),
                file("application.yaml", e -> e.remove("spec.destination"),
                     "spec.destination: missing required field"),
                file("application.yaml", e -> e.set("spec.syncPolicy.automated.prune", "\"true\""),
                     "spec.syncPolicy.automated.prune: expected boolean, got string \"true\""),
                file("application.yaml", e -> e.set("spec.syncPolicy.retry.limit", "\"5\""),
                     "spec.syncPolicy.retry.limit: expected integer (int64)"),
                file("application.yaml", e -> e.remove("spec.source.repoURL"),
                     "spec.source.repoURL: missing required field"),
                file("appproject.yaml", e -> e.remove("spec.clusterResourceWhitelist[0].group"),
                     "spec.clusterResourceWhitelist[0].group: missing required field"),
                file("appproject.yaml", e -> e.set("spec.sourceRepo", "[]"),
                     "spec.sourceRepo: unknown field (not in Spec)"),
                file("appproject.yaml", e -> e.set("spec.destinations", "{}"),
                     "spec.destinations: expected array, got object"));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("brokenObjects")
    void reportsTheProblem(String id, Supplier<K8sObject> broken, String expected) {
        K8sObject object = broken.get();
        List<String> problems = SchemaValidator.validate(object);
        assertTrue(problems.stream().anyMatch(p -> p.contains(expected)),
                   "expected a problem containing \"" + expected + "\", got " + problems);
        assertTrue(problems.stream().allMatch(p -> p.startsWith(object.id() + " ") || p.startsWith(object.id() + ":")),
                   "every message names " + object.id() + ": " + problems);
    }

    @Test
    void theUnbrokenFixturesAreValid() {
        assertEquals(List.of(), SchemaValidator.validate(Fixtures.single("application.yaml")));
        assertEquals(List.of(), SchemaValidator.validate(Fixtures.single("appproject.yaml")));
    }

    @Test
    void reportsEveryProblemOfAnObjectNotOnlyTheFirst() {
        K8sObject broken = Fixtures.edited(Fixtures.rendered("dev", "Deployment", "backend"),
                                           e -> e.set(CONTAINER + ".imagePullPolcy", "\"Always\"")
                                                   .set("spec.replicas", "\"2\"")
                                                   .remove("spec.selector"));
        assertEquals(3, SchemaValidator.validate(broken).size(), SchemaValidator.validate(broken).toString());
    }

    @Test
    void neverPrintsSecretValues() {
        K8sObject secret = Fixtures.plainSecret();
        K8sObject broken = Fixtures.edited(secret, e -> e.set("stringData.password", "123456789"));
        List<String> problems = SchemaValidator.validate(broken);
        assertEquals(List.of("Secret/db-credentials stringData.password: expected string, got number"), problems);
        assertFalse(problems.toString().contains("123456789"));
    }

    private static Arguments dev(String kind, String name, UnaryOperator<JsonEdit> edit, String expected) {
        return broken("dev", kind, name, edit, expected);
    }

    private static Arguments prod(String kind, String name, UnaryOperator<JsonEdit> edit, String expected) {
        return broken("prod", kind, name, edit, expected);
    }

    private static Arguments broken(String env, String kind, String name, UnaryOperator<JsonEdit> edit,
                                    String expected) {
        String id = kind + "/" + name;
        return arguments(id, (Supplier<K8sObject>) () -> Fixtures.edited(Fixtures.rendered(env, kind, name), edit),
                         expected);
    }

    private static Arguments file(String file, UnaryOperator<JsonEdit> edit, String expected) {
        Supplier<K8sObject> broken = () -> Fixtures.edited(Fixtures.single(file), edit);
        return arguments(broken.get().id(), broken, expected);
    }
}
