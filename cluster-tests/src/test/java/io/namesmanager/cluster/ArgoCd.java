package io.namesmanager.cluster;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;


import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * Argo CD as argocd/install installs it, its components run as processes: the install (upstream manifest plus this
 * repository's patches) is applied as provisioning applies it, then Redis, the repo-server, the application
 * controller and the API server are started from the containers of the rendered workloads ({@link PodProcess}):
 * their environment comes from argocd-cmd-params-cm and the Secrets as in the pods, each acts with its own service
 * account. Only ports differ: every component listens on a free loopback port and is told where the others are.
 * Redis is Debian's redis-server, with the password the install's secret-init container makes.
 */
final class ArgoCd {

    static final String NAMESPACE = "argocd";

    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private final Cluster cluster;
    private final int serverPort;

    private ArgoCd(Cluster cluster, int serverPort) {
        this.cluster = cluster;
        this.serverPort = serverPort;
    }

    /** The API server's URL (TLS with the certificate Argo CD makes, as in the VM). */
    String url() {
        return "https://127.0.0.1:" + serverPort;
    }

    /** Starts the components from RENDERED (argocd/install rendered and applied); the API server on SERVER_PORT. */
    static ArgoCd start(Cluster cluster, String rendered, int serverPort) {
        List<HasMetadata> objects = cluster.client()
                .load(new ByteArrayInputStream(rendered.getBytes(StandardCharsets.UTF_8))).items();
        long started = System.nanoTime();

        PodSpec redisPod = pod(objects, "argocd-redis");
        Program init = PodProcess.of(cluster, NAMESPACE, "argocd-redis", redisPod, "secret-init")
                .start("argocd-redis-secret-init", null, List.of());
        int exit = init.waitFor(Duration.ofMinutes(1));
        if (exit != 0 || cluster.client().secrets().inNamespace(NAMESPACE).withName("argocd-redis").get() == null) {
            throw new ClusterException("argocd admin redis-initial-password exited " + exit
                                       + " without a Secret argocd-redis: " + init.lastLogLine() + "; log: " + init.log());
        }
        int redisPort = Ports.free();
        Program redis = PodProcess.of(cluster, NAMESPACE, "argocd-redis", redisPod, "redis")
                .start("argocd-redis", Path.of("/usr/bin/redis-server"),
                       List.of("--bind", "127.0.0.1", "--port", Integer.toString(redisPort)));
        Cluster.awaitReady(redis, "accepting connections",
                           () -> Cluster.read(redis.log()).contains("Ready to accept connections"));
        String redisAddress = "127.0.0.1:" + redisPort;

        int repoPort = Ports.free();
        PodProcess repoServer = PodProcess.of(cluster, NAMESPACE, "argocd-repo-server",
                                              pod(objects, "argocd-repo-server"), "argocd-repo-server");
        repoServer.withEnv("ARGOCD_SSH_DATA_PATH", repoServer.path("/app/config/ssh").toString())
                .withEnv("ARGOCD_TLS_DATA_PATH", repoServer.path("/app/config/tls").toString())
                .withEnv("ARGOCD_GNUPGHOME", repoServer.path("/app/config/gpg/keys").toString())
                .withEnv("ARGOCD_GPG_DATA_PATH", repoServer.path("/app/config/gpg/source").toString())
                .withEnv("ARGOCD_PLUGINSOCKFILEPATH", repoServer.path("/home/argocd/cmp-server/plugins").toString())
                // In the process's own /run (harness/in-cluster.sh): a socket path must stay under 108 bytes.
                .withEnv("ARGOCD_ASK_PASS_SOCK", "/run/reposerver-ask-pass.sock")
                // Commit signature verification needs the image's gpg setup; no Application here asks for it.
                .withEnv("ARGOCD_GPG_ENABLED", "false");
        int repoMetrics = Ports.free();
        Program repo = repoServer.start("argocd-repo-server", null, List.of(
                "--address", "127.0.0.1", "--port", Integer.toString(repoPort),
                "--metrics-address", "127.0.0.1", "--metrics-port", Integer.toString(repoMetrics),
                "--redis", redisAddress));
        Cluster.awaitReady(repo, "healthy", () -> LocalHttp.answers(
                "http://127.0.0.1:" + repoMetrics + "/healthz", ""));
        String repoAddress = "127.0.0.1:" + repoPort;

        PodProcess controller = PodProcess.of(cluster, NAMESPACE, "argocd-application-controller",
                                              pod(objects, "argocd-application-controller"),
                                              "argocd-application-controller");
        // The StatefulSet's pod name: the controller takes its shard from the ordinal.
        controller.withEnv("HOSTNAME", "argocd-application-controller-0");
        int controllerMetrics = Ports.free();
        Program application = controller.start("argocd-application-controller", null, List.of(
                "--metrics-port", Integer.toString(controllerMetrics),
                "--repo-server", repoAddress, "--redis", redisAddress));
        Cluster.awaitReady(application, "healthy", () -> LocalHttp.answers(
                "http://127.0.0.1:" + controllerMetrics + "/healthz", ""));

        PodProcess server = PodProcess.of(cluster, NAMESPACE, "argocd-server", pod(objects, "argocd-server"),
                                          "argocd-server");
        server.withEnv("ARGOCD_SSH_DATA_PATH", server.path("/app/config/ssh").toString())
                .withEnv("ARGOCD_TLS_DATA_PATH", server.path("/app/config/tls").toString());
        Program api = server.start("argocd-server", null, List.of(
                "--address", "127.0.0.1", "--port", Integer.toString(serverPort),
                "--metrics-port", Integer.toString(Ports.free()),
                "--repo-server", repoAddress, "--redis", redisAddress));
        Cluster.awaitReady(api, "serving", () -> LocalHttp.answers(
                "https://127.0.0.1:" + serverPort + "/healthz", "ok"));
        cluster.report("Argo CD components started", started);
        return new ArgoCd(cluster, serverPort);
    }

    /** The nodes of APPLICATION's resource tree, as the API server gives them to the UI (signed in as admin). */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> resourceTree(String application) {
        HttpResponse<String> response = LocalHttp.send(HttpRequest.newBuilder(
                        URI.create(url() + "/api/v1/applications/" + application + "/resource-tree"))
                .header("Authorization", "Bearer " + session())
                .timeout(Duration.ofSeconds(10))
                .GET().build());
        if (response.statusCode() != 200) {
            throw new AssertionError("resource tree of " + application + ": " + response.statusCode() + " "
                                     + response.body());
        }
        return (List<Map<String, Object>>) read(response.body()).getOrDefault("nodes", List.of());
    }

    /** A session token of the admin user, with the initial password Argo CD made (as a first login does). */
    private String session() {
        Secret initial = cluster.client().secrets().inNamespace(NAMESPACE).withName("argocd-initial-admin-secret").get();
        if (initial == null) {
            throw new AssertionError("Argo CD made no argocd-initial-admin-secret");
        }
        String password = new String(Base64.getDecoder().decode(initial.getData().get("password")),
                                     StandardCharsets.UTF_8);
        String body = JSON.asJson(Map.of("username", "admin", "password", password));
        HttpResponse<String> response = LocalHttp.send(HttpRequest.newBuilder(URI.create(url() + "/api/v1/session"))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        if (response.statusCode() != 200) {
            throw new AssertionError("admin sign-in: " + response.statusCode() + " " + response.body());
        }
        return (String) read(response.body()).get("token");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> read(String json) {
        return JSON.unmarshal(json, Map.class);
    }

    private static PodSpec pod(List<HasMetadata> objects, String workload) {
        for (HasMetadata object : objects) {
            if (!workload.equals(object.getMetadata().getName())) {
                continue;
            }
            if (object instanceof Deployment deployment) {
                return deployment.getSpec().getTemplate().getSpec();
            }
            if (object instanceof StatefulSet statefulSet) {
                return statefulSet.getSpec().getTemplate().getSpec();
            }
        }
        throw new ClusterException("argocd/install renders no workload " + workload);
    }
}
