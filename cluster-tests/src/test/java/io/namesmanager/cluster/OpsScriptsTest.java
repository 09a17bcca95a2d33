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
 * scripts/cleanup.sh against the API server, before Argo CD manages the environment: the database volume outlives
 * the namespace (reclaim policy Retain, the PersistentVolume controller releases it), or goes with it (--purge, the
 * local-path provisioner deletes it).
 */
class OpsScriptsTest {

    private static Environments environments;
    private static KubernetesClient client;

    @BeforeAll
    static void prepare() {
        environments = Environments.prepared();
        client = environments.cluster().client();
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
