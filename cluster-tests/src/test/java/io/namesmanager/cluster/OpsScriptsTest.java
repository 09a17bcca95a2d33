package io.namesmanager.cluster;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.client.KubernetesClient;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ops scripts against the API server, before Argo CD manages the environment. cleanup.sh: the database volume
 * outlives the namespace (reclaim policy Retain, the PersistentVolume controller releases it), or goes with it
 * (--purge, the local-path provisioner deletes it). verify-cluster.sh: the checks that are API work.
 */
class OpsScriptsTest {

    private static Environments environments;
    private static KubernetesClient client;

    @BeforeAll
    static void prepare() {
        environments = Environments.prepared();
        client = environments.cluster().client();
        environments.installArgoCd();
    }

    @Test
    void cleanupKeepsTheDatabaseVolumeUnlessPurged() {
        environments.deploy("dev");
        String kept = databaseVolume();

        Run keep = cleanup("dev");
        assertEquals(0, keep.exit(), keep.toString());
        assertTrue(keep.err().contains("Kept volumes (Released, data intact): " + kept), keep.toString());
        assertNull(client.namespaces().withName("names-dev").get(), "the namespace is gone");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            PersistentVolume volume = client.persistentVolumes().withName(kept).get();
            assertEquals("Retain", volume.getSpec().getPersistentVolumeReclaimPolicy());
            assertEquals("Released", volume.getStatus().getPhase());
        });

        environments.deploy("dev");
        String fresh = databaseVolume();
        Run purge = cleanup("dev", "--purge");
        assertEquals(0, purge.exit(), purge.toString());
        await().atMost(Duration.ofSeconds(90)).untilAsserted(
                () -> assertNull(client.persistentVolumes().withName(fresh).get(), "the purged volume is deleted"));
        assertEquals("Released", client.persistentVolumes().withName(kept).get().getStatus().getPhase(),
                     "the volume kept before is still there");
    }

    /**
     * scripts/verify-cluster.sh reads the real objects: its rollout and volume checks pass on what the controllers
     * made, and its recovery check deletes a backend pod that the ReplicaSet replaces. Nothing serves HTTP here (no
     * container runs), so the checks that need the app answer FAIL, and the script exits 1 with its table.
     */
    @Test
    void verifyClusterJudgesRolloutAndVolumeFromTheRealObjects() {
        environments.deploy("dev");
        List<String> before = backendPods();
        Map<String, String> env = new HashMap<>(environments.cluster().env());
        env.put("VERIFY_LIMIT", "20");
        Run verify = Run.of(List.of("scripts/verify-cluster.sh", "--context", "cluster-stage",
                                    "--url", "http://127.0.0.1:" + Ports.free(), "dev"),
                            env, environments.workspace().dir(), "", Duration.ofMinutes(4));

        assertEquals(1, verify.exit(), verify.toString());
        assertTrue(verify.out().lines().anyMatch(l -> l.startsWith("rollout") && l.contains("PASS")), verify.out());
        assertTrue(verify.out().lines().anyMatch(l -> l.startsWith("pvc") && l.contains("Bound")
                                                      && l.contains("PASS")), verify.out());
        // The pod is replaced, but nothing answers: a FAIL, not a PASS.
        assertTrue(verify.out().lines().anyMatch(l -> l.startsWith("recovery") && l.contains("FAIL")
                                                      && l.contains("never answered 200")), verify.out());
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            List<String> now = backendPods();
            assertEquals(1, now.size(), "one backend pod again: " + now);
            assertTrue(now.stream().noneMatch(before::contains), "the deleted pod was replaced: " + before + now);
        });
    }

    /**
     * Provisioning's wait for the node: the API server answers before the kubelet registers the node, and a plain
     * {@code kubectl wait} fails at once on a node that does not exist yet. wait_for_node waits for it to appear
     * (here a second node, made a few seconds later, that kwok then makes Ready).
     */
    @Test
    void provisioningWaitsForANodeThatRegistersAfterTheApiServerIsUp() throws Exception {
        String node = "k3s-agent";
        Run plainWait = environments.cluster().kubectl("", "wait", "--for=condition=Ready", "node/" + node,
                                                       "--timeout=5s");
        assertTrue(plainWait.exit() != 0 && plainWait.err().contains("not found"), plainWait.toString());
        java.util.concurrent.CompletableFuture<Run> waited = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> environments.provisioning().call("wait_for_node", node, "60"));
        try {
            Thread.sleep(4000);
            client.nodes().resource(new io.fabric8.kubernetes.api.model.NodeBuilder().withNewMetadata().withName(node)
                    .addToLabels("kubernetes.io/hostname", node).addToAnnotations("kwok.x-k8s.io/node", "fake")
                    .endMetadata()
                    // nothing of the other tests is scheduled onto it meanwhile
                    .withNewSpec().addNewTaint().withKey("example.invalid/test-node").withEffect("NoSchedule")
                    .endTaint().endSpec().build()).create();
            Run run = waited.get(90, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(0, run.exit(), run.toString());
            assertTrue(run.err().contains("Node " + node + " is Ready"), run.toString());
        } finally {
            client.nodes().withName(node).delete();
        }
    }

    private static List<String> backendPods() {
        return client.pods().inNamespace("names-dev").withLabel("app.kubernetes.io/component", "backend").list()
                .getItems().stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .map(p -> p.getMetadata().getName()).toList();
    }

    private static String databaseVolume() {
        await().atMost(Duration.ofSeconds(60)).until(() -> "Bound".equals(client.persistentVolumeClaims()
                .inNamespace("names-dev").withName("postgres-storage-postgres-0").get().getStatus().getPhase()));
        return client.persistentVolumeClaims().inNamespace("names-dev").withName("postgres-storage-postgres-0").get()
                .getSpec().getVolumeName();
    }

    private static Run cleanup(String... args) {
        Map<String, String> env = new HashMap<>(environments.cluster().env());
        env.put("CLEANUP_TIMEOUT", "120s");
        List<String> command = new java.util.ArrayList<>(List.of("scripts/cleanup.sh", "--yes",
                                                                 "--context", "cluster-stage"));
        command.addAll(List.of(args));
        return Run.of(command, env, environments.workspace().dir(), "", Duration.ofMinutes(4));
    }
}
