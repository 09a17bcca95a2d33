package io.namesmanager.cluster;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The API server's own admission and validation refuse what the app namespaces must never run. */
class AdmissionTest {

    private static Environments environments;
    private static KubernetesClient client;

    @BeforeAll
    static void namespaces() {
        environments = Environments.prepared();
        client = environments.cluster().client();
        for (String env : Environments.NAMES) {
            environments.cluster().apply(Manifests.namespaces(environments.render("overlays/" + env)));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"names-dev", "names-prod"})
    void aPodThatBreaksTheRestrictedProfileIsRefused(String namespace) {
        // Allowed by "baseline", refused by "restricted": no runAsNonRoot, no seccomp profile, capabilities kept.
        Pod root = new PodBuilder()
                .withNewMetadata().withName("runs-as-root").endMetadata()
                .withNewSpec()
                .addNewContainer().withName("shell").withImage("busybox:1.37").endContainer()
                .endSpec()
                .build();
        KubernetesClientException refused = assertThrows(KubernetesClientException.class,
                () -> client.pods().inNamespace(namespace).resource(root).create());
        assertEquals(403, refused.getCode());
        assertTrue(refused.getMessage().contains("violates PodSecurity \"restricted:v1.36\""), refused.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    @SuppressWarnings("unchecked")
    void theBackendWithAMistypedFieldIsRefused(String env) {
        HasMetadata backend = client.load(new ByteArrayInputStream(environments.render("overlays/" + env)
                        .getBytes(StandardCharsets.UTF_8))).items().stream()
                .filter(o -> "Deployment".equals(o.getKind()) && "backend".equals(o.getMetadata().getName()))
                .findFirst().orElseThrow();
        Map<String, Object> typo = client.getKubernetesSerialization().convertValue(backend, Map.class);
        ((Map<String, Object>) typo.get("spec")).put("replica", 3);

        Run run = environments.cluster().kubectl(client.getKubernetesSerialization().asJson(typo), "apply",
                                                 "--server-side", "--field-manager=cluster-stage",
                                                 "--validate=strict", "--dry-run=server", "-f", "-");
        assertEquals(1, run.exit(), run.toString());
        assertTrue(run.err().contains(".spec.replica: field not declared in schema"), run.toString());
    }
}
