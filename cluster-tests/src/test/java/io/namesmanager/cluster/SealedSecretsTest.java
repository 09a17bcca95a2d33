package io.namesmanager.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real controller unseals what scripts/seal.sh writes, with either sealer, using a key brought in the way
 * provisioning brings it; what it refuses, it says in the SealedSecret's status.
 */
class SealedSecretsTest {

    private static final ResourceDefinitionContext SEALED_SECRET = new ResourceDefinitionContext.Builder()
            .withGroup("bitnami.com").withVersion("v1alpha1").withKind("SealedSecret").withPlural("sealedsecrets")
            .withNamespaced(true).build();

    private static Environments environments;
    private static KubernetesClient client;

    @BeforeAll
    static void prepare() {
        environments = Environments.prepared();
        client = environments.cluster().client();
        environments.cluster().apply(Manifests.namespaces(environments.render("overlays/dev")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"kubeseal", "java"})
    void whatSealShWritesIsUnsealedIntoTheSecretTheBackendReads(String sealer) {
        String password = sealer + "-password-" + System.nanoTime();
        seal(sealer, "POSTGRES_PASSWORD=" + password + "\n");
        environments.cluster().apply(Cluster.read(environments.workspace().path(SEALED_FILE)));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(
                () -> assertEquals(password, secretValues().get("POSTGRES_PASSWORD")));
        Map<String, String> values = secretValues();
        assertEquals(List.of("DATABASE_URL", "POSTGRES_DB", "POSTGRES_PASSWORD", "POSTGRES_USER"),
                     List.copyOf(values.keySet()));
        assertEquals("postgresql://names:" + password + "@db:5432/namesdb", values.get("DATABASE_URL"));
    }

    @Test
    void kubesealRecoveryUnsealAgreesOfflineWithTheController() {
        seal("kubeseal", "POSTGRES_PASSWORD=recovery-" + System.nanoTime() + "\n");
        environments.cluster().apply(Cluster.read(environments.workspace().path(SEALED_FILE)));
        Run recovered = Run.of(List.of(environments.cluster().bin("kubeseal").toString(), "--recovery-unseal",
                                       "--recovery-private-key",
                                       environments.provisioning().secrets().resolve("sealing/dev/tls.key").toString(),
                                       "--format", "json"),
                               Map.of(), environments.workspace().dir(),
                               Cluster.read(environments.workspace().path(SEALED_FILE)), Duration.ofSeconds(30));
        Secret offline = client.getKubernetesSerialization().unmarshal(recovered.ok(), Secret.class);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(
                () -> assertEquals(decode(offline.getData()), secretValues()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"namespace", "name"})
    void aSealedSecretMovedToAnotherNamespaceOrNameIsRefused(String moved) {
        String namespace = Namespaces.create(client, "moved");
        seal("kubeseal", "");
        GenericKubernetesResource sealed = client.getKubernetesSerialization().unmarshal(
                Cluster.read(environments.workspace().path(SEALED_FILE)), GenericKubernetesResource.class);
        sealed.getMetadata().setNamespace("namespace".equals(moved) ? namespace : "names-dev");
        String name = "namespace".equals(moved) ? "db-credentials" : "db-credentials-copy";
        sealed.getMetadata().setName(name);
        String targetNamespace = sealed.getMetadata().getNamespace();
        client.genericKubernetesResources(SEALED_SECRET).inNamespace(targetNamespace).resource(sealed).create();

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            GenericKubernetesResource status = client.genericKubernetesResources(SEALED_SECRET)
                    .inNamespace(targetNamespace).withName(name).get();
            String conditions = String.valueOf(status.getAdditionalProperties().get("status"));
            assertTrue(conditions.contains("Synced") && conditions.contains("False")
                       && conditions.contains("no key could decrypt secret"), conditions);
        });
        assertNull(client.secrets().inNamespace(targetNamespace).withName(name).get(), "no Secret was made");
        assertTrue(environments.cluster().sealedSecrets().running(), "the controller refused it and runs on");
    }

    private static final String SEALED_FILE = "sealed-secrets/dev/db-credentials.yaml";

    /** scripts/seal.sh --stdin dev with the given sealer, in the workspace (its cert.pem is the test's key). */
    private static void seal(String sealer, String stdin) {
        Map<String, String> env = new java.util.HashMap<>(environments.cluster().env());
        env.put("SEAL_TOOL", sealer);
        Run.of(List.of("scripts/seal.sh", "--stdin", "dev"), env, environments.workspace().dir(), stdin,
               Duration.ofMinutes(1)).ok();
    }

    private static Map<String, String> secretValues() {
        Secret secret = client.secrets().inNamespace("names-dev").withName("db-credentials").get();
        return secret == null ? Map.of() : decode(secret.getData());
    }

    private static Map<String, String> decode(Map<String, String> data) {
        Map<String, String> values = new TreeMap<>();
        data.forEach((key, value) -> values.put(key, new String(Base64.getDecoder().decode(value),
                                                                StandardCharsets.UTF_8)));
        return values;
    }
}
