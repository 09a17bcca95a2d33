package io.namesmanager.cluster;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The GitOps loop end to end with the real Argo CD: the first sync of everything under argocd/, what the UI shows
 * of an environment, and a push that becomes a deployment through the Git server's webhook. The steps build on
 * each other (the state of Git and the cluster carries over), so they run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GitOpsTest {

    private static GitOps gitOps;
    private static KubernetesClient client;

    @BeforeAll
    static void bootstrap() {
        gitOps = GitOps.bootstrapped();
        client = gitOps.cluster().client();
    }

    @Test
    @Order(1)
    void theFirstSyncBringsEveryApplicationToSyncedAndHealthy() {
        long started = System.nanoTime();
        gitOps.applyRoot();
        try {
            gitOps.awaitSettled(GitOps.FIRST_SYNC);
        } catch (ConditionTimeoutException e) {
            fail("not every Application settled within " + GitOps.FIRST_SYNC + ":\n" + states());
        }
        gitOps.cluster().report("first sync: root applied -> every Application Synced and Healthy", started);
        String head = gitOps.headOfMain();
        for (String application : GitOps.APPLICATIONS) {
            ApplicationState state = gitOps.state(application);
            if (!"sealed-secrets".equals(application)) {
                assertEquals(head, state.revision(), application + " is synced at the head of main");
            }
        }
    }

    @Test
    @Order(2)
    void theResourceTreeShowsPodsReplicaSetsAndTheUnsealedSecret() {
        List<Map<String, Object>> nodes = gitOps.argoCd().resourceTree("names-dev");
        Map<String, Long> kinds = nodes.stream()
                .collect(Collectors.groupingBy(n -> (String) n.get("kind"), Collectors.counting()));
        assertTrue(kinds.getOrDefault("Pod", 0L) >= 3, "the backend, frontend and database pods: " + kinds);
        assertTrue(kinds.getOrDefault("ReplicaSet", 0L) >= 2, "the Deployments' ReplicaSets: " + kinds);
        Map<String, Object> secret = nodes.stream()
                .filter(n -> "Secret".equals(n.get("kind")) && "db-credentials".equals(n.get("name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no Secret db-credentials in the tree: " + kinds));
        assertEquals("SealedSecret", parentKinds(secret), "the Secret's owner is its SealedSecret");
        Map<String, Object> replicaSet = nodes.stream()
                .filter(n -> "ReplicaSet".equals(n.get("kind")) && ((String) n.get("name")).startsWith("backend-"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no backend ReplicaSet in the tree: " + kinds));
        assertEquals("Deployment", parentKinds(replicaSet));
    }

    @Test
    @Order(3)
    void onlyAnObjectGitDoesNotDescribeWarnsAsAnOrphan() {
        for (String environment : List.of("names-dev", "names-prod")) {
            gitOps.refresh(environment);
        }
        await("the refreshed comparison").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> List.of("names-dev", "names-prod").stream().map(gitOps::state)
                        .allMatch(state -> "Synced".equals(state.sync())));
        for (String environment : List.of("names-dev", "names-prod")) {
            assertTrue(orphanWarnings(environment).isEmpty(),
                       environment + ": the database claim, the controllers' objects and the defaults are no orphans: "
                       + orphanWarnings(environment));
        }
        client.configMaps().inNamespace("names-dev").resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata().withName("made-by-hand").endMetadata().addToData("note", "drift").build()).create();
        try {
            gitOps.refresh("names-dev");
            await("a warning for the ConfigMap made by hand").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> !orphanWarnings("names-dev").isEmpty());
        } finally {
            client.configMaps().inNamespace("names-dev").withName("made-by-hand").delete();
        }
        gitOps.refresh("names-dev");
        await("the warning gone with the ConfigMap").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> orphanWarnings("names-dev").isEmpty());
    }

    @Test
    @Order(4)
    void aPushToMainIsSyncedThroughTheWebhookAndRollsTheBackend() {
        String before = activeReplicaSet("names-dev", "backend");
        setDevLogLevel("DEBUG", "INFO");
        gitOps.workspace().commitAll("dev: backend log level INFO");
        String revision = gitOps.workspace().git("rev-parse", "HEAD").ok().strip();

        long pushed = System.nanoTime();
        Run push = gitOps.workspace().git("push", "vm", "HEAD:main");
        assertEquals(0, push.exit(), push::toString);
        assertTrue(push.err().contains("Argo CD notified"), "the post-receive hook notified Argo CD: " + push.err());
        await("names-dev synced at " + revision).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    ApplicationState state = gitOps.state("names-dev");
                    return revision.equals(state.revision()) && "Synced".equals(state.sync());
                });
        gitOps.cluster().report("push -> names-dev Synced at the new revision", pushed);
        await("a new backend ReplicaSet available").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> !before.equals(activeReplicaSet("names-dev", "backend")));
        gitOps.cluster().report("push -> new backend ReplicaSet available", pushed);
    }

    @Test
    @Order(5)
    void aWebhookWithAWrongSignatureIsRefusedAndChangesNothing() {
        // Settled, and past the refresh Argo CD makes after an operation (that one would find any new commit).
        await("names-dev settled and quiet").atMost(Duration.ofSeconds(60)).until(() -> {
            ApplicationState state = gitOps.state("names-dev");
            return state.settled() && state.quietFor(Duration.ofSeconds(5));
        });
        String synced = gitOps.state("names-dev").revision();
        // A commit on main that no hook announced: fetched into the Git server's repository, which runs no hook.
        setDevLogLevel("INFO", "WARN");
        gitOps.workspace().commitAll("dev: backend log level WARN");
        String revision = gitOps.workspace().git("rev-parse", "HEAD").ok().strip();
        gitOps.gitServer().git("fetch", "--quiet", gitOps.workspace().dir().toString(), "HEAD:refs/heads/main").ok();
        gitOps.workspace().git("fetch", "--quiet", "vm").ok();

        // The hook itself, once with another secret than Argo CD's, once with none.
        Path wrongSecret = gitOps.cluster().work().resolve("etc/wrong-webhook-secret");
        Cluster.write(wrongSecret, "0".repeat(64));
        Run forged = gitOps.gitServer().runHook(synced, revision, settings -> settings.replaceAll(
                "(?m)^WEBHOOK_SECRET_FILE=.*$", "WEBHOOK_SECRET_FILE=" + wrongSecret));
        assertTrue(forged.out().contains("Argo CD did not take the notification"), forged::toString);
        Run unsigned = gitOps.gitServer().runHook(synced, revision, settings -> settings.replaceAll(
                "(?m)^WEBHOOK_SECRET_FILE=.*$", ""));
        assertTrue(unsigned.out().contains("Argo CD did not take the notification"), unsigned::toString);
        await("names-dev stays at " + synced).during(Duration.ofSeconds(15)).atMost(Duration.ofSeconds(20))
                .until(() -> synced.equals(gitOps.state("names-dev").revision()));

        // The same event from the hook itself, signed with the shared secret, is taken at once.
        long notified = System.nanoTime();
        Run hook = gitOps.gitServer().runHook(synced, revision, settings -> settings);
        assertTrue(hook.out().contains("Argo CD notified"), hook::toString);
        awaitSynced("names-dev", revision, Duration.ofSeconds(60));
        gitOps.cluster().report("signed webhook -> names-dev Synced", notified);
    }

    @Test
    @Order(6)
    void rollbackRevertsThePushedChangeAndThePreviousReplicaSetServesAgain() {
        String warn = activeReplicaSetAfterRollout("names-dev", "backend");
        Map<String, String> previous = replicaSetsByRevision("names-dev");
        long started = System.nanoTime();
        Run rollback = GitOps.script(gitOps.environments(), "scripts/rollback.sh", "--yes", "dev");
        assertEquals(0, rollback.exit(), rollback::toString);
        String revision = gitOps.headOfMain();
        assertEquals(gitOps.workspace().git("rev-parse", "HEAD").ok().strip(), revision, "the revert was pushed");
        awaitSynced("names-dev", revision, Duration.ofSeconds(60));
        gitOps.cluster().report("rollback.sh -> names-dev Synced at the revert", started);
        await("the INFO ReplicaSet serves again").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    String active = activeReplicaSet("names-dev", "backend");
                    return !active.isEmpty() && !active.equals(warn);
                });
        gitOps.cluster().report("rollback.sh -> previous backend ReplicaSet available", started);
        assertTrue(previous.containsValue(activeReplicaSet("names-dev", "backend")),
                   "an earlier ReplicaSet, not a new one: " + previous + " now " + activeReplicaSet("names-dev",
                                                                                                    "backend"));
    }

    @Test
    @Order(7)
    void aCommitTheApiServerRefusesLeavesTheRunningVersionAndItsRevertRecovers() {
        String running = activeReplicaSetAfterRollout("names-dev", "backend");
        Path nodePort = gitOps.workspace().path("overlays/dev/web-nodeport.yaml");
        String original = Cluster.read(nodePort);
        assertTrue(original.contains("nodePort: 30080"), original);
        Cluster.write(nodePort, original.replace("nodePort: 30080", "nodePort: 99999"));
        String bad = commitAndPush("dev: a NodePort outside the cluster's range");

        await("names-dev reports the refused sync").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    ApplicationState state = gitOps.state("names-dev");
                    return bad.equals(state.revision()) && "OutOfSync".equals(state.sync())
                           && state.operationMessage() != null && state.operationMessage().contains("99999");
                });
        assertEquals(running, activeReplicaSet("names-dev", "backend"), "the running version is untouched");
        assertEquals(30080, client.services().inNamespace("names-dev").withName("web").get().getSpec().getPorts()
                .get(0).getNodePort());

        gitOps.workspace().git("revert", "--no-edit", "HEAD").ok();
        String revert = push();
        awaitSettled("names-dev", revert, Duration.ofSeconds(120));
        assertEquals(running, activeReplicaSet("names-dev", "backend"));
    }

    @Test
    @Order(8)
    void aCommitThatBreaksRenderingIsReportedAndItsRevertRecovers() {
        String running = activeReplicaSetAfterRollout("names-dev", "backend");
        Path kustomization = gitOps.workspace().path("overlays/dev/kustomization.yaml");
        Cluster.write(kustomization, Cluster.read(kustomization).replace("  - namespace.yaml\n",
                                                                        "  - namespace.yaml\n  - missing.yaml\n"));
        String bad = commitAndPush("dev: a resource file that does not exist");
        await("names-dev reports the rendering error").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> gitOps.state("names-dev").conditions().stream()
                        .anyMatch(c -> c.startsWith("ComparisonError") && c.contains("missing.yaml")));
        assertEquals(running, activeReplicaSet("names-dev", "backend"), "the running version is untouched");
        assertNotEquals(bad, gitOps.state("names-dev").revision(), "nothing of the broken commit was synced");

        gitOps.workspace().git("revert", "--no-edit", "HEAD").ok();
        String revert = push();
        awaitSettled("names-dev", revert, Duration.ofSeconds(120));
        assertTrue(gitOps.state("names-dev").conditions().stream().noneMatch(c -> c.startsWith("ComparisonError")));
    }

    @Test
    @Order(9)
    void aChangeByHandIsPutBackAndAManifestRemovedFromGitIsPruned() {
        client.apps().deployments().inNamespace("names-dev").withName("frontend").scale(3);
        await("self-heal scales the frontend back").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> Integer.valueOf(1).equals(client.apps().deployments().inNamespace("names-dev")
                        .withName("frontend").get().getSpec().getReplicas()));

        Path kustomization = gitOps.workspace().path("overlays/dev/kustomization.yaml");
        String original = Cluster.read(kustomization);
        Cluster.write(gitOps.workspace().path("overlays/dev/feature-flags.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: feature-flags
                data:
                  preview: "on"
                """);
        Cluster.write(kustomization, original.replace("  - namespace.yaml\n", "  - namespace.yaml\n  - feature-flags.yaml\n"));
        awaitSettled("names-dev", commitAndPush("dev: a feature-flags ConfigMap"), Duration.ofSeconds(60));
        assertTrue(client.configMaps().inNamespace("names-dev").withName("feature-flags").get() != null);

        Cluster.write(kustomization, original);
        gitOps.workspace().git("rm", "--quiet", "overlays/dev/feature-flags.yaml").ok();
        awaitSettled("names-dev", commitAndPush("dev: no feature-flags ConfigMap"), Duration.ofSeconds(60));
        await("the ConfigMap removed from Git is pruned").atMost(Duration.ofSeconds(60))
                .until(() -> client.configMaps().inNamespace("names-dev").withName("feature-flags").get() == null);
    }

    @Test
    @Order(10)
    void theSealedSecretInGitIsTheSecretTheBackendReadsAndARotationIsSynced() {
        for (String password : List.of("first-" + System.nanoTime(), "rotated-" + System.nanoTime())) {
            Run seal = GitOps.script(gitOps.environments(), Map.of(), "POSTGRES_PASSWORD=" + password + "\n",
                                     "scripts/seal.sh", "--stdin", "dev");
            assertEquals(0, seal.exit(), seal::toString);
            awaitSettled("names-dev", commitAndPush("dev: new database password"), Duration.ofSeconds(60));
            await("the Secret holds the sealed password").atMost(Duration.ofSeconds(30))
                    .until(() -> password.equals(secretValue("names-dev", "db-credentials", "POSTGRES_PASSWORD")));
        }
        Deployment backend = client.apps().deployments().inNamespace("names-dev").withName("backend").get();
        assertTrue(backend.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                           .anyMatch(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null
                                          && "db-credentials".equals(e.getValueFrom().getSecretKeyRef().getName())),
                   "the backend reads db-credentials");
    }

    @Test
    @Order(11)
    void anEnvironmentThatNeverBecomesHealthyHoldsBackNoPlatformChange() {
        Path resources = gitOps.workspace().path("overlays/dev/resources-small.yaml");
        String original = Cluster.read(resources);
        String stuck = original.replace("    spec:\n      containers:\n        - name: backend\n",
                                        "    spec:\n      nodeSelector:\n        example.invalid/no-such-node: \"true\"\n"
                                        + "      containers:\n        - name: backend\n");
        assertNotEquals(original, stuck);
        Cluster.write(resources, stuck);
        String broken = commitAndPush("dev: a backend no node can run");
        await("names-dev Progressing on the unschedulable backend").atMost(Duration.ofSeconds(60))
                .until(() -> {
                    ApplicationState state = gitOps.state("names-dev");
                    return broken.equals(state.revision()) && "Progressing".equals(state.health());
                });

        Path argoCdApp = gitOps.workspace().path("argocd/applications/argocd.yaml");
        Cluster.write(argoCdApp, Cluster.read(argoCdApp).replace("  revisionHistoryLimit: 10\n", "")
                                 + "  revisionHistoryLimit: 5\n");
        long pushed = System.nanoTime();
        commitAndPush("Argo CD's own Application keeps 5 revisions");
        await("the root applies the platform change").atMost(Duration.ofSeconds(90))
                .until(() -> Integer.valueOf(5).equals(applicationSpec("argocd").get("revisionHistoryLimit")));
        gitOps.cluster().report("platform change applied while names-dev is Progressing", pushed);

        Cluster.write(resources, original);
        awaitSettled("names-dev", commitAndPush("dev: the backend runs again"), Duration.ofSeconds(120));
    }

    @Test
    @Order(12)
    void cleanupRemovesTheEnvironmentThroughArgoCdAndKeepsTheDatabaseVolume() {
        String volume = client.persistentVolumeClaims().inNamespace("names-dev").withName("postgres-storage-postgres-0")
                .get().getSpec().getVolumeName();
        Map<String, String> env = Map.of("CLEANUP_TIMEOUT", "180s");
        Run cleanup = GitOps.script(gitOps.environments(), env, "", "scripts/cleanup.sh", "--yes", "--context",
                                    "cluster-stage", "dev");
        assertEquals(0, cleanup.exit(), cleanup::toString);
        assertTrue(gitOps.state("names-dev").sync() == null, "the Application is gone");
        assertTrue(client.namespaces().withName("names-dev").get() == null, "the namespace is gone");
        assertEquals("Retain", client.persistentVolumes().withName(volume).get().getSpec()
                .getPersistentVolumeReclaimPolicy(), "the database volume is kept");
        await().during(Duration.ofSeconds(20)).atMost(Duration.ofSeconds(25))
                .until(() -> gitOps.state("names-dev").sync() == null);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> applicationSpec(String name) {
        return (Map<String, Object>) client.genericKubernetesResources("argoproj.io/v1alpha1", "Application")
                .inNamespace(ArgoCd.NAMESPACE).withName(name).get().getAdditionalProperties().get("spec");
    }

    private static List<String> orphanWarnings(String application) {
        return gitOps.state(application).conditions().stream()
                .filter(condition -> condition.startsWith("OrphanedResourceWarning")).toList();
    }

    private static void setDevLogLevel(String from, String to) {
        Path kustomization = gitOps.workspace().path("overlays/dev/kustomization.yaml");
        String text = Cluster.read(kustomization);
        String old = "      - LOG_LEVEL=" + from + "\n  - name: frontend";
        assertTrue(text.contains(old), text);
        Cluster.write(kustomization, text.replace(old, "      - LOG_LEVEL=" + to + "\n  - name: frontend"));
    }

    private static String commitAndPush(String message) {
        gitOps.workspace().commitAll(message);
        return push();
    }

    /** git push to the Git server, as a user ships; returns the pushed commit. */
    private static String push() {
        Run push = gitOps.workspace().git("push", "vm", "HEAD:main");
        assertEquals(0, push.exit(), push::toString);
        return gitOps.workspace().git("rev-parse", "HEAD").ok().strip();
    }

    private static void awaitSynced(String application, String revision, Duration timeout) {
        await(application + " synced at " + revision).atMost(timeout).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    ApplicationState state = gitOps.state(application);
                    return revision.equals(state.revision()) && "Synced".equals(state.sync());
                });
    }

    private static void awaitSettled(String application, String revision, Duration timeout) {
        try {
            await(application + " settled at " + revision).atMost(timeout).pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        ApplicationState state = gitOps.state(application);
                        return revision.equals(state.revision()) && state.settled();
                    });
        } catch (ConditionTimeoutException e) {
            fail(application + " did not settle at " + revision + ": " + gitOps.state(application));
        }
    }

    private static String activeReplicaSetAfterRollout(String namespace, String deployment) {
        await().atMost(Duration.ofSeconds(60)).until(() -> !activeReplicaSet(namespace, deployment).isEmpty());
        return activeReplicaSet(namespace, deployment);
    }

    /** The backend's ReplicaSets by their Deployment revision. */
    private static Map<String, String> replicaSetsByRevision(String namespace) {
        return client.apps().replicaSets().inNamespace(namespace).withLabel("app.kubernetes.io/component", "backend")
                .list().getItems().stream()
                .collect(Collectors.toMap(r -> r.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision"),
                                          r -> r.getMetadata().getName()));
    }

    private static String secretValue(String namespace, String name, String key) {
        Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
        if (secret == null || secret.getData() == null || secret.getData().get(key) == null) {
            return null;
        }
        return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }

    private static String parentKinds(Map<String, Object> node) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> parents = (List<Map<String, Object>>) node.getOrDefault("parentRefs", List.of());
        return parents.stream().map(p -> (String) p.get("kind")).collect(Collectors.joining(","));
    }

    /** The ReplicaSet of the Deployment's current revision once it is fully available, else "". */
    private static String activeReplicaSet(String namespace, String deployment) {
        Deployment current = client.apps().deployments().inNamespace(namespace).withName(deployment).get();
        String revision = current.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision");
        for (ReplicaSet set : client.apps().replicaSets().inNamespace(namespace).list().getItems()) {
            boolean owned = set.getMetadata().getOwnerReferences().stream()
                    .anyMatch(o -> o.getUid().equals(current.getMetadata().getUid()));
            if (owned && revision.equals(set.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision"))
                && set.getStatus().getAvailableReplicas() != null
                && set.getStatus().getAvailableReplicas().equals(current.getSpec().getReplicas())
                && current.getStatus().getUpdatedReplicas() != null
                && current.getStatus().getUpdatedReplicas().equals(current.getStatus().getReplicas())) {
                return set.getMetadata().getName();
            }
        }
        return "";
    }

    private static String states() {
        return GitOps.APPLICATIONS.stream().map(gitOps::state).map(ApplicationState::toString)
                .collect(Collectors.joining("\n"));
    }
}
