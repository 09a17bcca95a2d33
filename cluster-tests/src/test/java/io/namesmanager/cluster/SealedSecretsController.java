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

import org.awaitility.Awaitility;

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
        return run(cluster, deploymentArgs(cluster, rendered));
    }

    /**
     * Starts the controller as the kubelet would, once something (Argo CD's sealed-secrets Application) has made its
     * Deployment: from then on with that live Deployment's arguments. Returns at once; the controller starts in the
     * background, and a failure to start is in its log.
     */
    static void startWhenDeployed(Cluster cluster) {
        Thread starter = new Thread(() -> {
            try {
                Deployment deployment = Awaitility.await("the Sealed Secrets controller's Deployment")
                        .atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(500))
                        .until(() -> cluster.client().apps().deployments().inNamespace(NAMESPACE).withName(NAME).get(),
                               java.util.Objects::nonNull);
                run(cluster, deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs());
            } catch (RuntimeException e) {
                System.err.println("cluster stage: the Sealed Secrets controller did not start: " + e.getMessage());
            }
        }, "sealed-secrets-kubelet");
        starter.setDaemon(true);
        starter.start();
    }

    /** The controller process with ARGS and a token of the chart's service account (in-cluster configuration). */
    private static SealedSecretsController run(Cluster cluster, List<String> args) {
        Path account = cluster.work().resolve("sealed-secrets/serviceaccount");
        Cluster.write(account.resolve("token"),
                      cluster.kubectl("", "-n", NAMESPACE, "create", "token", NAME, "--duration=6h").ok().strip());
        Cluster.write(account.resolve("ca.crt"), Cluster.read(cluster.work().resolve("pki/apiserver.crt")));
        Cluster.write(account.resolve("namespace"), NAMESPACE);

        int port = Ports.free();
        List<String> command = new ArrayList<>(List.of(
                Repo.path("cluster-tests/harness/in-cluster.sh").toString(), account.toString(),
                cluster.bin("sealed-secrets-controller").toString()));
        command.addAll(args);
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
