package io.namesmanager.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The backend's rolling update (maxSurge 1, maxUnavailable 0) as the real Deployment controller runs it in prod
 * (two replicas, held by the autoscaler), and the two ways back: kubectl rollout undo, and a reverted commit.
 */
class RolloutTest {

    private static final String NAMESPACE = "names-prod";
    private static Environments environments;
    private static KubernetesClient client;

    @BeforeAll
    static void deploy() {
        environments = Environments.prepared();
        client = environments.cluster().client();
        environments.deploy("prod");
        await().atMost(Duration.ofSeconds(60)).until(() -> Integer.valueOf(2).equals(backend().getStatus()
                .getAvailableReplicas()));
    }

    @Test
    void aRollingUpdateNeverDropsBelowTheDesiredReplicasAndUndoReturnsToThePreviousReplicaSet() {
        String before = activeReplicaSet();
        List<Integer> available = watchAvailableReplicas(
                () -> environments.cluster().kubectl("", "-n", NAMESPACE, "rollout", "restart",
                                                     "deployment/backend").ok());
        String after = activeReplicaSet();
        assertNotEquals(before, after, "the restart made a new ReplicaSet");
        assertTrue(available.size() > 2, "the roll-out was observed step by step: " + available);
        assertTrue(available.stream().allMatch(n -> n >= 2), "available replicas at every step: " + available);

        environments.cluster().kubectl("", "-n", NAMESPACE, "rollout", "undo", "deployment/backend").ok();
        rolledOut();
        assertEquals(before, activeReplicaSet());
    }

    @Test
    void aCommitRolledBackByRollbackShServesThePreviousReplicaSetAgain() {
        Workspace workspace = environments.workspace();
        workspace.useRemote();
        String before = activeReplicaSet();
        Path kustomization = workspace.path("overlays/prod/kustomization.yaml");
        Cluster.write(kustomization, Cluster.read(kustomization) + """

                configMapGenerator:
                  - name: app-config
                    behavior: merge
                    literals:
                      - LOG_LEVEL=WARNING
                """);
        workspace.commitAll("Prod: warnings only");
        workspace.git("push", "--quiet", "vm", "HEAD:main").ok();
        environments.deploy("prod");
        assertNotEquals(before, activeReplicaSet(), "the new app-config rolled the backend");

        Map<String, String> env = new HashMap<>(environments.cluster().env());
        env.putAll(Workspace.gitIdentity());
        Run rollback = Run.of(List.of("scripts/rollback.sh", "--yes", "prod"), env, workspace.dir(), "",
                              Duration.ofMinutes(1));
        assertEquals(0, rollback.exit(), rollback.toString());
        assertTrue(workspace.git("log", "-1", "--format=%s").ok().startsWith("Roll back prod: revert "));
        assertEquals(workspace.git("rev-parse", "HEAD").ok(), workspace.git("rev-parse", "vm/main").ok(),
                     "the rollback was pushed");
        environments.deploy("prod");
        assertEquals(before, activeReplicaSet(), "the reverted commit brought back the previous ReplicaSet");
    }

    /** Runs ACTION and records status.availableReplicas of every update of the Deployment until it has rolled out. */
    private static List<Integer> watchAvailableReplicas(Runnable action) {
        List<Integer> available = new CopyOnWriteArrayList<>();
        try (Watch ignored = client.apps().deployments().inNamespace(NAMESPACE).withName("backend")
                .watch(new Watcher<>() {
                    @Override
                    public void eventReceived(Action event, Deployment deployment) {
                        Integer count = deployment.getStatus() == null ? null
                                : deployment.getStatus().getAvailableReplicas();
                        available.add(count == null ? 0 : count);
                    }

                    @Override
                    public void onClose(WatcherException cause) {
                    }
                })) {
            action.run();
            rolledOut();
        }
        return available;
    }

    private static void rolledOut() {
        environments.cluster().kubectl("", "-n", NAMESPACE, "rollout", "status", "deployment/backend",
                                       "--timeout=120s").ok();
    }

    private static Deployment backend() {
        return client.apps().deployments().inNamespace(NAMESPACE).withName("backend").get();
    }

    /** The backend ReplicaSet that has the replicas. */
    static String activeReplicaSet() {
        return client.apps().replicaSets().inNamespace(NAMESPACE).withLabel("app.kubernetes.io/component", "backend")
                .list().getItems().stream()
                .filter(rs -> rs.getSpec().getReplicas() != null && rs.getSpec().getReplicas() > 0)
                .map(ReplicaSet::getMetadata).map(m -> m.getName())
                .reduce((a, b) -> {
                    throw new AssertionError("two active ReplicaSets: " + a + ", " + b);
                })
                .orElseThrow();
    }
}
