package io.namesmanager.cluster;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * The Sealed Secrets controller as {@code argocd/applications/sealed-secrets.yaml} installs it: its chart rendered
 * by Helm with that Application's values and applied (CRD, service account, RBAC, Service, Deployment), then the
 * controller binary run as a process with the rendered Deployment's arguments and a token of the chart's service
 * account, so the chart's RBAC is what it works with. Its keys must be in kube-system before it starts.
 */
final class SealedSecretsController {

    static final String NAMESPACE = "kube-system";
    static final String NAME = "sealed-secrets-controller";
    private static final KubernetesSerialization YAML = new KubernetesSerialization();

    private final Program program;

    private SealedSecretsController(Program program) {
        this.program = program;
    }

    static SealedSecretsController start(Cluster cluster) {
        Path chart = cluster.share("sealed-secrets-chart");
        Path values = cluster.work().resolve("sealed-secrets-values.json");
        Cluster.write(values, YAML.asJson(applicationValues(cluster)));
        String rendered = Run.of(List.of(cluster.bin("helm").toString(), "template", "sealed-secrets", chart.toString(),
                                         "--namespace", NAMESPACE, "--include-crds", "--values", values.toString()),
                                 cluster.env(), cluster.work(), "", Duration.ofMinutes(1)).ok();
        cluster.kubectl(rendered, "apply", "--server-side", "--field-manager=helm", "-f", "-").ok();

        Path account = cluster.work().resolve("sealed-secrets/serviceaccount");
        Cluster.write(account.resolve("token"),
                      cluster.kubectl("", "-n", NAMESPACE, "create", "token", NAME, "--duration=6h").ok().strip());
        Cluster.write(account.resolve("ca.crt"), Cluster.read(cluster.work().resolve("pki/apiserver.crt")));
        Cluster.write(account.resolve("namespace"), NAMESPACE);

        int port = Ports.free();
        List<String> command = new ArrayList<>(List.of(
                Repo.path("cluster-tests/harness/in-cluster.sh").toString(), account.toString(),
                cluster.bin("sealed-secrets-controller").toString()));
        command.addAll(deploymentArgs(cluster, rendered));
        // The chart's ports are the pod's; the process listens on free loopback ports instead (last flag wins).
        command.addAll(List.of("--listen-addr=127.0.0.1:" + port, "--listen-metrics-addr=127.0.0.1:" + Ports.free()));
        Program program = cluster.launch(NAME, command, Map.of(
                "KUBERNETES_SERVICE_HOST", "127.0.0.1",
                "KUBERNETES_SERVICE_PORT", Integer.toString(cluster.apiPort())));
        Cluster.awaitReady(program, "healthy", () -> LocalHttp.answers("http://127.0.0.1:" + port + "/healthz", ""));
        return new SealedSecretsController(program);
    }

    /** The controller process is still running (it did not crash on what it was given). */
    boolean running() {
        return program.alive();
    }

    /** {@code spec.source.helm.valuesObject} of the Application that installs the chart. */
    @SuppressWarnings("unchecked")
    private static Object applicationValues(Cluster cluster) {
        GenericKubernetesResource application = YAML.unmarshal(
                Cluster.read(Repo.path("argocd/applications/sealed-secrets.yaml")), GenericKubernetesResource.class);
        Map<String, Object> spec = (Map<String, Object>) application.getAdditionalProperties().get("spec");
        Map<String, Object> source = (Map<String, Object>) spec.get("source");
        return ((Map<String, Object>) source.get("helm")).get("valuesObject");
    }

    private static List<String> deploymentArgs(Cluster cluster, String rendered) {
        List<HasMetadata> objects = cluster.client()
                .load(new ByteArrayInputStream(rendered.getBytes(StandardCharsets.UTF_8))).items();
        return objects.stream()
                .filter(Deployment.class::isInstance)
                .map(Deployment.class::cast)
                .findFirst()
                .orElseThrow(() -> new ClusterException("the Sealed Secrets chart rendered no Deployment"))
                .getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
    }
}
