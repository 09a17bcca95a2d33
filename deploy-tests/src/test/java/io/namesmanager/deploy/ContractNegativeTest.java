package io.namesmanager.deploy;

import java.util.List;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Each case breaks one part of the contract in a real render; {@link Contract} must report it. */
class ContractNegativeTest {

    private static final String C0 = "spec.template.spec.containers[0]";

    static Stream<Arguments> brokenRenders() {
        return Stream.of(
                dev("Service", "api", e -> e.set("spec.selector.\"app.kubernetes.io/name\"", "\"backend\""),
                    "Service/api spec.selector {app.kubernetes.io/component=backend, app.kubernetes.io/name=backend}: "
                    + "selects the pods of 0 workloads"),
                dev("Service", "web", e -> e.remove("spec.selector.\"app.kubernetes.io/name\"")
                        .set("spec.selector.\"app.kubernetes.io/component\"", "\"backend\"")
                        .set("spec.selector.\"app.kubernetes.io/part-of\"", "\"names-manager\""),
                    "Service/web spec.selector"),
                dev("Service", "api", e -> e.set("spec.ports[0].targetPort", "\"web\""),
                    "Service/api port 8000: targetPort web is not a port of Deployment/backend's containers"),
                dev("Service", "db", e -> e.set("spec.ports[0].targetPort", "5433"),
                    "Service/db port 5432: targetPort 5433 is not a port of StatefulSet/postgres's containers"),
                dev("Deployment", "backend", e -> e.set(C0 + ".env[0].valueFrom.secretKeyRef.key", "\"DATABASE_URI\""),
                    "env DATABASE_URL: secretKeyRef key 'DATABASE_URI' is not in Secret 'db-credentials'"),
                dev("StatefulSet", "postgres", e -> e.set(C0 + ".env[0].valueFrom.secretKeyRef.name", "\"db-creds\""),
                    "env POSTGRES_USER: secretKeyRef names Secret 'db-creds', which the render does not provide"),
                dev("SealedSecret", "db-credentials", e -> e.remove("spec.encryptedData.POSTGRES_DB"),
                    "env POSTGRES_DB: secretKeyRef key 'POSTGRES_DB' is not in Secret 'db-credentials'"),
                dev("Deployment", "backend", e -> e.set(C0 + ".env[1]",
                                                        "{\"name\": \"MAX_NAME_LENGTH\", \"valueFrom\": "
                                                        + "{\"configMapKeyRef\": {\"name\": \"app-config\", "
                                                        + "\"key\": \"MAX_NAME_LENGTH\"}}}"),
                    "env MAX_NAME_LENGTH: configMapKeyRef names ConfigMap 'app-config', which the render does not "
                    + "provide"),
                dev("Deployment", "frontend", e -> e.set(C0 + ".envFrom[0].configMapRef.name", "\"frontend-config\""),
                    "envFrom: ConfigMap 'frontend-config' is not in the render"),
                dev("Deployment", "backend", e -> e.set(C0 + ".env[1].name", "\"LOG_LEVLE\""),
                    "sets LOG_LEVLE, which names-backend does not read"),
                dev("Deployment", "frontend", e -> e.set(C0 + ".env[0].name", "\"BACKEND_URI\""),
                    "sets BACKEND_URI, which names-frontend does not read"),
                dev("StatefulSet", "postgres", e -> e.set(C0 + ".env[3].name", "\"PG_DATA\""),
                    "sets PG_DATA, which the postgres image does not read"),
                dev("Deployment", "backend", e -> e.remove(C0 + ".env[0]"), "no DATABASE_URL"),
                dev("Deployment", "backend", e -> e.set(C0 + ".readinessProbe.httpGet.path", "\"/health/ready\""),
                    "readinessProbe path /health/ready is not served by names-backend"),
                dev("Deployment", "backend", e -> e.set(C0 + ".readinessProbe.httpGet.port", "\"http\""),
                    "readinessProbe path /observe/health/ready is not served by names-backend on its port 'http'"),
                dev("Deployment", "frontend", e -> e.set(C0 + ".ports[1].containerPort", "8001"),
                    "the app listens on 8081 (MANAGEMENT_PORT unset, the app's default) but the container's "
                    + "management port is 8001"),
                dev("Service", "api", e -> e.set("spec.ports[0].targetPort", "\"management\""),
                    "Service/api port 8000: exposes"),
                dev("Service", "web", e -> e.set("spec.ports[0].targetPort", "8081"),
                    "Service/web port 80: exposes"),
                dev("Deployment", "frontend", e -> e.set(C0 + ".livenessProbe.httpGet.path", "\"/api/health\""),
                    "livenessProbe path /api/health is not served by names-frontend"),
                dev("Deployment", "backend", e -> e.set(C0 + ".ports[0].containerPort", "8080"),
                    "the app listens on 8000 (SERVER_PORT=8000) but the container's http port is 8080"),
                dev("ConfigMap", "frontend-config", e -> e.set("data.SERVER_PORT", "\"8000\""),
                    "the app listens on 8000 (SERVER_PORT=8000) but the container's http port is 8080"),
                dev("ConfigMap", "frontend-config", e -> e.set("data.BACKEND_URL", "\"http://api:80\""),
                    "BACKEND_URL http://api:80 does not point at a Service port of the backend"),
                dev("ConfigMap", "frontend-config", e -> e.set("data.BACKEND_URL", "\"http://backend:8000\""),
                    "BACKEND_URL http://backend:8000 does not point at a Service port of the backend"),
                dev("Deployment", "backend", e -> e.set("spec.template.spec.terminationGracePeriodSeconds", "15"),
                    "terminationGracePeriodSeconds 15 < preStop 5 s + names-backend's shutdown-grace-period"),
                prod("CronJob", "postgres-backup",
                     e -> e.set("spec.jobTemplate.spec.template.spec.containers[0].image", "\"postgres:15.10\""),
                     "image postgres:15.10 differs from the database's postgres:16.15"),
                dev("NetworkPolicy", "api-from-frontend", e -> e.remove("spec.ingress[0].from"),
                    "NetworkPolicy/api-from-frontend: admits any source to Deployment/backend (backend)"),
                dev("NetworkPolicy", "db-from-backend",
                    e -> e.set("spec.ingress[0].from[0].podSelector.matchLabels.\"app.kubernetes.io/component\"",
                               "\"frontend\""),
                    "NetworkPolicy/db-from-backend: admits {\"podSelector\""),
                dev("NetworkPolicy", "api-from-frontend",
                    e -> e.set("spec.ingress[0].from[0].namespaceSelector", "{}"),
                    "only pods of [frontend] in the same namespace may connect"),
                dev("NetworkPolicy", "web-from-anywhere", e -> e.remove("spec.ingress"),
                    "Deployment/frontend (frontend): no NetworkPolicy admits traffic to it"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenRenders")
    void reportsTheBrokenContract(String expected, Supplier<List<K8sObject>> broken) {
        List<String> problems = Contract.check(broken.get());
        assertTrue(problems.stream().anyMatch(p -> p.contains(expected)),
                   "expected a problem containing \"" + expected + "\", got:\n  " + String.join("\n  ", problems));
    }

    private static Arguments dev(String kind, String name, UnaryOperator<JsonEdit> edit, String expected) {
        return arguments(expected, (Supplier<List<K8sObject>>) () -> Fixtures.renderedWith("dev", kind, name, edit));
    }

    private static Arguments prod(String kind, String name, UnaryOperator<JsonEdit> edit, String expected) {
        return arguments(expected, (Supplier<List<K8sObject>>) () -> Fixtures.renderedWith("prod", kind, name, edit));
    }
}
