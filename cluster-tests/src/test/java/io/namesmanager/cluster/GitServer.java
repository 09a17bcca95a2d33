package io.namesmanager.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The VM's Git server on 127.0.0.1, made by the same provisioning functions of scripts/vagrant/lib.sh: the nginx site
 * of {@code git_site} (git-http-backend through fcgiwrap, anonymous reads, authenticated pushes), the bare repository
 * and post-receive webhook hook of {@code ensure_bare_repo}, the push password of {@code ensure_git_password} and the
 * hook's settings of {@code ensure_webhook_config}.
 *
 * <p>The same nginx serves a mirror of the two upstream URLs argocd/ reads, built from the pinned modules' files:
 * the Sealed Secrets chart repository (the chart packaged by Helm with its index) and Argo CD's install manifest.
 * A URL is mirrored at {@code http://127.0.0.1:PORT/HOST/PATH}, so only the URL differs.
 */
final class GitServer {

    /** The upstream chart repository of argocd/applications/sealed-secrets.yaml. */
    static final String CHART_REPOSITORY = "https://bitnami-labs.github.io/sealed-secrets";

    private final int gitPort;
    private final int mirrorPort;
    private Path repository;
    private Path webhookEnv;

    private GitServer(int gitPort, int mirrorPort) {
        this.gitPort = gitPort;
        this.mirrorPort = mirrorPort;
    }

    /** A Git server with its ports chosen, so that its URLs can be written into the clone before it starts. */
    static GitServer reserve() {
        return new GitServer(Ports.free(), Ports.free());
    }

    /**
     * Provisions and starts the Git server (nginx and fcgiwrap as processes of CLUSTER), seeded with the clone's
     * HEAD, its hook notifying Argo CD's API server at ARGOCD_URL; and the mirror of INSTALL_URL (Argo CD's install
     * manifest) and of the chart repository.
     */
    void start(Cluster cluster, Provisioning provisioning, String argoCdUrl, String installUrl) {
        Path nginx = cluster.work().resolve("nginx");
        Path socket = cluster.work().resolve("fcgiwrap.socket");
        provisioning.set("SERVER_IP", "127.0.0.1");
        provisioning.set("GIT_PORT", Integer.toString(gitPort));
        provisioning.set("GIT_URL", repoUrl());
        provisioning.set("ARGOCD_URL", argoCdUrl);
        provisioning.set("NM_GIT_LISTEN", "127.0.0.1");
        provisioning.set("NM_GIT_ROOT", cluster.work().resolve("git").toString());
        provisioning.set("NM_NGINX_DIR", nginx.toString());
        provisioning.set("NM_FCGIWRAP_SOCKET", socket.toString());
        provisioning.set("NM_GIT_USER", "root");

        repository = cluster.work().resolve("git/names-manager.git");
        webhookEnv = cluster.work().resolve("etc/webhook.env");
        provisioning.require(true, "ensure_webhook_config");
        provisioning.require(true, "ensure_git_password");
        provisioning.require(false, "ensure_bare_repo", provisioning.workspaceDir().toString());
        Cluster.write(nginx.resolve("sites-enabled/names-manager-git"), provisioning.call("git_site").ok());
        writeMirror(cluster, installUrl);
        writeNginxConf(cluster, nginx);

        // fcgiwrap's workers outlive their parent; in a PID namespace of its own they all end with the PID stopped.
        Program fcgiwrap = cluster.launch("fcgiwrap", List.of("unshare", "--pid", "--fork", "--kill-child",
                                                              "fcgiwrap", "-c", "2", "-s", "unix:" + socket),
                                          Map.of("PATH", cluster.env().get("PATH")));
        Cluster.awaitReady(fcgiwrap, "listening", () -> Files.exists(socket));
        Program program = cluster.launch("nginx", List.of("nginx", "-p", nginx.toString(), "-c",
                                                          nginx.resolve("nginx.conf").toString()), Map.of());
        Cluster.awaitReady(program, "serving", () -> LocalHttp.answers(mirrorUrl(CHART_REPOSITORY)
                                                                      + "/index.yaml", "sealed-secrets"));
    }

    /** git in the server's bare repository (no hook runs for what is fetched into it). */
    Run git(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("git", "--git-dir=" + repository));
        command.addAll(List.of(args));
        return Run.of(command, Map.of(), repository, "", Duration.ofMinutes(1));
    }

    /**
     * Runs the repository's post-receive hook for main moving from OLD to NEW, as git-http-backend runs it after a
     * push, with the webhook settings of provisioning changed by EDIT (e.g. another secret file); returns its run.
     */
    Run runHook(String old, String now, java.util.function.UnaryOperator<String> edit) {
        Path settings = webhookEnv.resolveSibling("webhook-under-test.env");
        Cluster.write(settings, edit.apply(Cluster.read(webhookEnv)));
        return Run.of(List.of(repository.resolve("hooks/post-receive").toString()),
                      Map.of("GIT_DIR", repository.toString(), "NM_WEBHOOK_ENV", settings.toString()),
                      repository, old + " " + now + " refs/heads/main\n", Duration.ofMinutes(1));
    }

    /** The repository's URL, as Argo CD and the clones see it. */
    String repoUrl() {
        return "http://127.0.0.1:" + gitPort + "/names-manager.git";
    }

    /** Where the mirror serves UPSTREAM (an https URL). */
    String mirrorUrl(String upstream) {
        URI uri = URI.create(upstream);
        return "http://127.0.0.1:" + mirrorPort + "/" + uri.getHost() + uri.getPath();
    }

    private void writeMirror(Cluster cluster, String installUrl) {
        Path root = cluster.work().resolve("mirror");
        Path install = root.resolve(URI.create(installUrl).getHost() + URI.create(installUrl).getPath());
        Cluster.write(install, Cluster.read(cluster.share("argocd/install.yaml")));
        Path charts = root.resolve(URI.create(CHART_REPOSITORY).getHost() + URI.create(CHART_REPOSITORY).getPath());
        String helm = cluster.bin("helm").toString();
        Run.of(List.of(helm, "package", cluster.share("sealed-secrets-chart").toString(), "--destination",
                       charts.toString()), cluster.env(), cluster.work(), "", Duration.ofMinutes(1)).ok();
        Run.of(List.of(helm, "repo", "index", charts.toString(), "--url", mirrorUrl(CHART_REPOSITORY)),
               cluster.env(), cluster.work(), "", Duration.ofMinutes(1)).ok();
    }

    private void writeNginxConf(Cluster cluster, Path nginx) {
        try {
            Files.copy(Path.of("/etc/nginx/fastcgi_params"), nginx.resolve("fastcgi_params"));
        } catch (IOException e) {
            throw new UncheckedIOException("nginx's fastcgi_params (Debian package nginx) is missing", e);
        }
        Path logs = cluster.work().resolve("logs");
        Cluster.write(nginx.resolve("nginx.conf"), """
                # The stage's nginx: the VM's Git site as lib.sh writes it, and the mirror of upstream URLs.
                daemon off;
                user root;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %2$s/nginx-error.log warn;
                events {
                    worker_connections 256;
                }
                http {
                    access_log %2$s/nginx-access.log;
                    client_body_temp_path %1$s/body;
                    fastcgi_temp_path %1$s/fastcgi;
                    proxy_temp_path %1$s/proxy;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    include %1$s/sites-enabled/*;
                    server {
                        listen 127.0.0.1:%3$d;
                        root %4$s;
                        default_type application/octet-stream;
                    }
                }
                """.formatted(nginx, logs, mirrorPort, cluster.work().resolve("mirror")));
    }
}
