package io.namesmanager.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * A Kubernetes control plane on 127.0.0.1 made of the real programs: etcd, kube-apiserver, kube-controller-manager,
 * kube-scheduler, kwok (one node like the k3s server, pods that become Ready, Job pods that complete) and the
 * local-path provisioner k3s ships. Configured like k3s where it matters: its admission plugins and authorization
 * modes, secrets encrypted at rest, its node labels, service and pod ranges, the default StorageClass.
 *
 * <p>One per test JVM ({@link #shared()}), stopped when the tests end. Everything it writes is under the folder of
 * system property {@code cluster.work}; every program is stopped by its PID, also when start-up fails.
 */
final class Cluster implements AutoCloseable {

    /** The k3s server VM's name and size (Vagrantfile): what the scheduler fits the manifests into. */
    static final String NODE = "k3s-server";
    private static final String NODE_CPU = "2";
    private static final String NODE_MEMORY = "6Gi";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    /** How long a pod takes from scheduled to Ready here. */
    private static final Duration POD_START = Duration.ofSeconds(2);
    private static Cluster shared;

    private final Path work;
    private final Path bin;
    private final Path share;
    private final List<Program> programs = new ArrayList<>();
    private final String token = HexFormat.of().formatHex(random(24));
    private Path kubeconfig;
    private KubernetesClient client;
    private String etcdUrl;
    private int apiPort;
    private SealedSecretsController sealedSecrets;
    private TraefikStatus traefik;

    private Cluster(Path work, Path bin, Path share) {
        this.work = work;
        this.bin = bin;
        this.share = share;
    }

    /** The JVM's cluster, started on first use. */
    static synchronized Cluster shared() {
        if (shared == null) {
            shared = start(Path.of(required("cluster.work")), binaries("bin"), binaries("share"));
        }
        return shared;
    }

    /**
     * Starts a cluster in WORK from the programs in BIN; stopped at the latest when the JVM ends. When a program
     * fails to start, every program started before it is stopped and the exception names the culprit.
     */
    static Cluster start(Path work, Path bin, Path share) {
        Cluster cluster = new Cluster(work, bin, share);
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "cluster-stop"));
        try {
            cluster.start();
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    KubernetesClient client() {
        return client;
    }

    Path kubeconfig() {
        return kubeconfig;
    }

    Path work() {
        return work;
    }

    /** A program the harness built, e.g. {@code kubectl}. */
    Path bin(String program) {
        return bin.resolve(program);
    }

    /** Upstream files the harness took from the pinned modules (CRDs, charts, kwok stages). */
    Path share(String path) {
        return share.resolve(path);
    }

    /** The environment for a command that talks to this cluster: its kubeconfig and the harness's programs first. */
    Map<String, String> env() {
        return Map.of("KUBECONFIG", kubeconfig.toString(),
                      "PATH", bin + ":" + System.getenv("PATH"));
    }

    /** kubectl of the control plane's own release, against this cluster. */
    Run kubectl(String stdin, String... args) {
        List<String> command = new ArrayList<>(List.of(bin("kubectl").toString()));
        command.addAll(List.of(args));
        return Run.of(command, env(), work, stdin, Duration.ofMinutes(3));
    }

    /** Server-side apply of MANIFESTS (a YAML or JSON stream), as the stage's field manager; fails on an error. */
    void apply(String manifests) {
        kubectl(manifests, "apply", "--server-side", "--field-manager=cluster-stage", "-f", "-").ok();
    }

    /** The Sealed Secrets controller, started on first use (its keys must be in kube-system before). */
    synchronized SealedSecretsController sealedSecrets() {
        if (sealedSecrets == null) {
            sealedSecrets = SealedSecretsController.start(this);
        }
        return sealedSecrets;
    }

    int apiPort() {
        return apiPort;
    }

    /** Starts PROGRAM and registers it for stopping. */
    synchronized Program launch(String name, List<String> command, Map<String, String> env) {
        Program program = Program.start(name, work.resolve("logs/" + name + ".log"), command, env);
        programs.add(program);
        return program;
    }

    /** Waits until READY holds while PROGRAM keeps running; fails with one line naming the cause and the log. */
    static void awaitReady(Program program, String what, BooleanSupplier ready) {
        awaitReady(program, what, START_TIMEOUT, ready);
    }

    static void awaitReady(Program program, String what, Duration timeout, BooleanSupplier ready) {
        try {
            Awaitility.await(program.name() + " " + what)
                    .atMost(timeout)
                    .pollInterval(Duration.ofMillis(250))
                    // a program that has exited ends the wait at once
                    .failFast(program.name() + " exited", () -> !program.alive())
                    .ignoreExceptions()
                    .until(ready::getAsBoolean);
        } catch (TerminalFailureException e) {
            program.requireAlive();
            throw e;
        } catch (ConditionTimeoutException e) {
            program.requireAlive();
            throw new ClusterException(program.name() + ": not " + what + " within " + timeout + " ("
                                       + program.lastLogLine() + "); log: " + program.log());
        }
        program.requireAlive();
    }

    private void start() {
        long started = System.nanoTime();
        resetWork();
        startEtcd();
        startApiServer();
        startControllerManager();
        startScheduler();
        addNode();
        startKwok();
        startLocalPathProvisioner();
        traefik = TraefikStatus.start(client, "127.0.0.1");
        report("control plane ready", started);
    }

    /** One timing line in the build log and in target/cluster/timings.txt (docs/gitops.md publishes them). */
    synchronized void report(String what, long startedNanos) {
        String line = String.format(java.util.Locale.ROOT, "%s: %.1f s%n", what,
                                    (System.nanoTime() - startedNanos) / 1e9);
        System.out.print("cluster stage: " + line);
        try {
            Files.writeString(work.resolve("timings.txt"), line, java.nio.file.StandardOpenOption.CREATE,
                              java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void resetWork() {
        try {
            if (Files.exists(work)) {
                try (Stream<Path> files = Files.walk(work)) {
                    files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                }
            }
            Files.createDirectories(work.resolve("logs"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void startEtcd() {
        int client = Ports.free();
        int peer = Ports.free();
        String clientUrl = "http://127.0.0.1:" + client;
        String peerUrl = "http://127.0.0.1:" + peer;
        Program etcd = launch("etcd", List.of(
                bin("etcd").toString(),
                "--name=k3s-server",
                "--data-dir=" + work.resolve("etcd"),
                "--listen-client-urls=" + clientUrl,
                "--advertise-client-urls=" + clientUrl,
                "--listen-peer-urls=" + peerUrl,
                "--initial-advertise-peer-urls=" + peerUrl,
                "--initial-cluster=k3s-server=" + peerUrl,
                "--listen-metrics-urls=http://127.0.0.1:" + Ports.free(),
                "--log-level=warn"), Map.of());
        awaitReady(etcd, "healthy", () -> LocalHttp.answers(clientUrl + "/health", "\"health\":\"true\""));
        etcdUrl = clientUrl;
    }

    private void startApiServer() {
        Path pki = work.resolve("pki");
        Path serviceAccountKey = pki.resolve("service-account.key");
        write(serviceAccountKey, rsaPrivateKeyPem());
        write(work.resolve("tokens.csv"), token + ",admin,admin,system:masters\n");
        write(work.resolve("encryption.yaml"), """
                apiVersion: apiserver.config.k8s.io/v1
                kind: EncryptionConfiguration
                resources:
                  - resources: [secrets]
                    providers:
                      - aescbc:
                          keys:
                            - name: aescbckey
                              secret: %s
                      - identity: {}
                """.formatted(Base64.getEncoder().encodeToString(random(32))));
        apiPort = Ports.free();
        Program apiServer = launch("kube-apiserver", List.of(
                bin("kube-apiserver").toString(),
                "--etcd-servers=" + etcdUrl,
                "--bind-address=127.0.0.1",
                "--advertise-address=127.0.0.1",
                "--secure-port=" + apiPort,
                // A self-signed serving certificate for 127.0.0.1, written there at start-up.
                "--cert-dir=" + pki,
                "--token-auth-file=" + work.resolve("tokens.csv"),
                "--anonymous-auth=false",
                // As k3s runs it: Node and RBAC authorization, NodeRestriction on top of the default admission
                // plugins (PodSecurity, LimitRanger, ResourceQuota, ServiceAccount, DefaultStorageClass, …),
                // its service range, secrets encrypted at rest (k3s --secrets-encryption).
                "--authorization-mode=Node,RBAC",
                "--enable-admission-plugins=NodeRestriction",
                "--service-cluster-ip-range=10.43.0.0/16",
                "--service-node-port-range=30000-32767",
                "--allow-privileged=true",
                "--encryption-provider-config=" + work.resolve("encryption.yaml"),
                "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
                "--service-account-key-file=" + serviceAccountKey,
                "--service-account-signing-key-file=" + serviceAccountKey,
                "--profiling=false"), Map.of());
        Path certificate = pki.resolve("apiserver.crt");
        awaitReady(apiServer, "serving", () -> Files.exists(certificate));
        kubeconfig = work.resolve("kubeconfig");
        write(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: cluster-stage
                    cluster:
                      server: https://127.0.0.1:%d
                      certificate-authority: %s
                users:
                  - name: admin
                    user:
                      token: %s
                contexts:
                  - name: cluster-stage
                    context:
                      cluster: cluster-stage
                      user: admin
                current-context: cluster-stage
                """.formatted(apiPort, certificate, token));
        client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(read(kubeconfig))).build();
        awaitReady(apiServer, "ready", () -> "ok".equals(client.raw("/readyz")));
    }

    private void startControllerManager() {
        int port = Ports.free();
        Program manager = launch("kube-controller-manager", List.of(
                bin("kube-controller-manager").toString(),
                "--kubeconfig=" + kubeconfig,
                "--bind-address=127.0.0.1",
                "--secure-port=" + port,
                "--leader-elect=false",
                // Each controller acts with a service account of its own, as on k3s (and RBAC decides).
                "--use-service-account-credentials=true",
                "--service-account-private-key-file=" + work.resolve("pki/service-account.key"),
                "--root-ca-file=" + work.resolve("pki/apiserver.crt"),
                "--cluster-cidr=10.42.0.0/16",
                "--allocate-node-cidrs=true",
                "--node-cidr-mask-size=24"), Map.of());
        awaitReady(manager, "healthy", () -> LocalHttp.answers("https://127.0.0.1:" + port + "/healthz", "ok"));
        // The service account controller is one of the first to act: the default account of "default".
        awaitReady(manager, "creating service accounts",
                   () -> client.serviceAccounts().inNamespace("default").withName("default").get() != null);
    }

    private void startScheduler() {
        int port = Ports.free();
        Program scheduler = launch("kube-scheduler", List.of(
                bin("kube-scheduler").toString(),
                "--kubeconfig=" + kubeconfig,
                "--bind-address=127.0.0.1",
                "--secure-port=" + port,
                "--leader-elect=false"), Map.of());
        awaitReady(scheduler, "healthy", () -> LocalHttp.answers("https://127.0.0.1:" + port + "/healthz", "ok"));
    }

    /** The k3s server node: k3s's labels, the VM's size; kwok plays its kubelet. */
    private void addNode() {
        Node node = new NodeBuilder()
                .withNewMetadata()
                .withName(NODE)
                .addToLabels(Map.of(
                        "kubernetes.io/hostname", NODE,
                        "kubernetes.io/os", "linux",
                        "kubernetes.io/arch", "amd64",
                        "beta.kubernetes.io/os", "linux",
                        "beta.kubernetes.io/arch", "amd64",
                        "node.kubernetes.io/instance-type", "k3s",
                        "beta.kubernetes.io/instance-type", "k3s",
                        "node-role.kubernetes.io/control-plane", "true",
                        "node-role.kubernetes.io/master", "true"))
                .addToAnnotations(Map.of("kwok.x-k8s.io/node", "fake", "k3s.io/hostname", NODE))
                .endMetadata()
                .withNewStatus()
                .addToCapacity(Map.of("cpu", new Quantity(NODE_CPU), "memory", new Quantity(NODE_MEMORY),
                                      "pods", new Quantity("110")))
                .addToAllocatable(Map.of("cpu", new Quantity(NODE_CPU), "memory", new Quantity(NODE_MEMORY),
                                         "pods", new Quantity("110")))
                .endStatus()
                .build();
        client.nodes().resource(node).create();
    }

    private void startKwok() {
        StringBuilder stages = new StringBuilder();
        for (String stage : List.of("node-initialize.yaml", "node-heartbeat-with-lease.yaml", "pod-complete.yaml",
                                    "pod-delete.yaml")) {
            stages.append(read(share("kwok-stages/" + stage))).append("\n---\n");
        }
        // A pod becomes Ready a moment after it is scheduled, as a starting container does (kwok's own stage would
        // make it Ready at once, which hides what a rolling update does in between).
        String podReady = read(share("kwok-stages/pod-ready.yaml"));
        if (!podReady.contains("\nspec:\n") || podReady.contains("delay:")) {
            throw new ClusterException("kwok's pod-ready stage changed shape: " + share("kwok-stages/pod-ready.yaml"));
        }
        stages.append(podReady.replaceFirst("\nspec:\n", "\nspec:\n  delay:\n    durationMilliseconds: "
                                                          + POD_START.toMillis() + "\n"))
                .append("\n---\n");
        stages.append(resource("k3s/helper-pod-complete.yaml"));
        write(work.resolve("kwok.yaml"), stages.toString());
        Program kwok = launch("kwok", List.of(
                bin("kwok").toString(),
                "--kubeconfig=" + kubeconfig,
                "--config=" + work.resolve("kwok.yaml"),
                "--manage-all-nodes=true",
                // The node's heartbeat is its lease, as a kubelet's: without one the node lifecycle controller marks
                // the node and every pod on it not ready after its grace period.
                "--node-lease-duration-seconds=40",
                "--cidr=10.42.0.0/24",
                "--node-ip=127.0.0.1",
                "--server-address=127.0.0.1:" + Ports.free()), Map.of());
        awaitReady(kwok, "making the node Ready", () -> client.nodes().withName(NODE).get().getStatus()
                .getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())));
    }

    private void startLocalPathProvisioner() {
        apply(resource("k3s/local-storage.yaml"));
        Program provisioner = launch("local-path-provisioner", List.of(
                bin("local-path-provisioner").toString(),
                "--debug",
                "start",
                "--kubeconfig=" + kubeconfig,
                "--namespace=kube-system",
                "--configmap-name=local-path-config",
                "--service-account-name=local-path-provisioner-service-account",
                "--provisioner-name=rancher.io/local-path",
                "--helper-image=rancher/mirrored-library-busybox:1.37.0"), Map.of());
        awaitReady(provisioner, "running", () -> read(provisioner.log()).contains("Provisioner started"));
    }

    /** Stops every program in reverse start order, each by its PID. */
    @Override
    public synchronized void close() {
        if (traefik != null) {
            traefik.close();
        }
        if (client != null) {
            try {
                client.close();
            } catch (KubernetesClientException ignored) {
                // the API server may be gone already
            }
        }
        for (int i = programs.size() - 1; i >= 0; i--) {
            programs.get(i).close();
        }
        programs.clear();
    }

    static String resource(String name) {
        try (InputStream in = Cluster.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + name + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new ClusterException("system property " + property + " is not set: run the stage with "
                                       + "./mvnw verify -Pcluster");
        }
        return value;
    }

    /** A folder that harness/build.sh wrote into the properties file named by {@code cluster.bin.file}. */
    static Path binaries(String key) {
        Path file = Path.of(required("cluster.bin.file"));
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (IOException e) {
            throw new ClusterException("cannot read " + file + " (written by cluster-tests/harness/build.sh): "
                                       + e.getMessage(), e);
        }
        return Path.of(properties.getProperty(key));
    }

    private static byte[] random(int bytes) {
        byte[] value = new byte[bytes];
        new SecureRandom().nextBytes(value);
        return value;
    }

    /** DER bytes as a PEM block of TYPE (a fresh key of this run only, never a file of the repository). */
    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
               + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
               + "\n-----END " + type + "-----\n";
    }

    private static String rsaPrivateKeyPem() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return pem("PRIVATE KEY", generator.generateKeyPair().getPrivate().getEncoded());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
