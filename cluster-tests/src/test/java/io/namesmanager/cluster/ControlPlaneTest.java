package io.namesmanager.cluster;

import java.time.Duration;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The control plane itself behaves like the k3s server it stands for. */
class ControlPlaneTest {

    private static Cluster cluster;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        cluster = Cluster.shared();
        client = cluster.client();
    }

    @Test
    void apiServerIsTheReleaseK3sIsPinnedTo() {
        String k3s = ProvisioningConfig.value("K3S_VERSION");
        assertEquals(k3s.substring(0, k3s.indexOf('+')), client.getKubernetesVersion().getGitVersion(),
                     "scripts/vagrant/config.sh pins k3s " + k3s);
    }

    @Test
    void theNodeIsLabelledLikeAK3sServer() {
        Node node = client.nodes().withName(Cluster.NODE).get();
        Map<String, String> labels = node.getMetadata().getLabels();
        assertEquals("k3s", labels.get("node.kubernetes.io/instance-type"));
        assertEquals("true", labels.get("node-role.kubernetes.io/control-plane"));
        assertEquals(new Quantity("2"), node.getStatus().getAllocatable().get("cpu"));
    }

    @Test
    void localPathIsTheDefaultClassAndWaitsForTheFirstConsumer() {
        StorageClass localPath = client.storage().v1().storageClasses().withName("local-path").get();
        assertEquals("WaitForFirstConsumer", localPath.getVolumeBindingMode());
        assertEquals("true", localPath.getMetadata().getAnnotations().get("storageclass.kubernetes.io/is-default-class"));
    }

    @Test
    void aClaimIsProvisionedOnlyOnceAPodUsingItIsScheduled() {
        String namespace = Namespaces.create(client, "claims");
        client.persistentVolumeClaims().inNamespace(namespace).resource(new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName("data").endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                .withNewResources().addToRequests("storage", new Quantity("1Gi")).endResources()
                .endSpec()
                .build()).create();

        // No consumer: the claim stays Pending, as local-path on k3s leaves it.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(
                () -> "Pending".equals(claim(namespace).getStatus().getPhase()));

        client.pods().inNamespace(namespace).resource(new PodBuilder()
                .withNewMetadata().withName("consumer").endMetadata()
                .withNewSpec()
                .addNewContainer().withName("app").withImage("busybox:1.37").endContainer()
                .addNewVolume().withName("data").withNewPersistentVolumeClaim("data", false).endVolume()
                .endSpec()
                .build()).create();

        await().atMost(Duration.ofSeconds(60)).until(() -> "Bound".equals(claim(namespace).getStatus().getPhase()));
        PersistentVolume volume = client.persistentVolumes().withName(claim(namespace).getSpec().getVolumeName()).get();
        assertEquals("rancher.io/local-path",
                     volume.getMetadata().getAnnotations().get("pv.kubernetes.io/provisioned-by"));
        assertTrue(volume.getSpec().getNodeAffinity().toString().contains(Cluster.NODE), "pinned to the node");
        await().atMost(Duration.ofSeconds(30)).until(
                () -> "Running".equals(client.pods().inNamespace(namespace).withName("consumer").get()
                                               .getStatus().getPhase()));
        Pod pod = client.pods().inNamespace(namespace).withName("consumer").get();
        assertEquals(Cluster.NODE, pod.getSpec().getNodeName());
    }

    @Test
    void aJobRunsToCompletion() {
        String namespace = Namespaces.create(client, "jobs");
        client.batch().v1().jobs().inNamespace(namespace).resource(new JobBuilder()
                .withNewMetadata().withName("once").endMetadata()
                .withNewSpec()
                .withNewTemplate().withNewSpec()
                .withRestartPolicy("Never")
                .addNewContainer().withName("once").withImage("busybox:1.37").endContainer()
                .endSpec().endTemplate()
                .endSpec()
                .build()).create();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            Job job = client.batch().v1().jobs().inNamespace(namespace).withName("once").get();
            return job.getStatus() != null && Integer.valueOf(1).equals(job.getStatus().getSucceeded());
        });
    }

    private static PersistentVolumeClaim claim(String namespace) {
        return client.persistentVolumeClaims().inNamespace(namespace).withName("data").get();
    }
}
