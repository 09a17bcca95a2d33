package io.namesmanager.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.awaitility.Awaitility;

/**
 * The GitOps loop of the VM, bootstrapped the way {@code vagrant up} does it: the sealing keys (from
 * {@link Environments}), the Git server seeded with the clone, Argo CD installed from argocd/install with the webhook
 * secret, then the AppProject and root Application applied once; from there on everything comes from Git. The clone
 * points argocd/ at the stage's Git server with scripts/set-repo-url.sh, as a user with another Git server does, and
 * at the mirror of the two upstream URLs. Shared by the tests of one JVM.
 */
final class GitOps {

    /** Every Application of argocd/, the root first. */
    static final List<String> APPLICATIONS = List.of("root", "sealed-secrets", "registry", "names-dev", "names-prod",
                                                     "argocd");
    static final Duration FIRST_SYNC = Duration.ofMinutes(3);
    private static final Pattern INSTALL_URL = Pattern.compile("(?m)^  - (https://\\S+/install\\.yaml)$");
    private static GitOps shared;

    private final Environments environments;
    private final GitServer gitServer;
    private final ArgoCd argoCd;

    private GitOps(Environments environments, GitServer gitServer, ArgoCd argoCd) {
        this.environments = environments;
        this.gitServer = gitServer;
        this.argoCd = argoCd;
    }

    /** The loop with the root Application applied (not waited for: the first-sync test measures that). */
    static synchronized GitOps bootstrapped() {
        if (shared == null) {
            shared = bootstrap(Environments.sealedForArgoCd());
        }
        return shared;
    }

    private static GitOps bootstrap(Environments environments) {
        Cluster cluster = environments.cluster();
        Workspace workspace = environments.workspace();
        Provisioning provisioning = environments.provisioning();
        String installUrl = installUrl(workspace);
        GitServer gitServer = GitServer.reserve();
        int argoCdPort = Ports.free();

        // What a user does with a Git server of their own, and the mirrors (only the URLs differ).
        script(environments, "scripts/set-repo-url.sh", gitServer.repoUrl()).ok();
        replaceInArgoCd(workspace, Map.of(installUrl, gitServer.mirrorUrl(installUrl),
                                          GitServer.CHART_REPOSITORY, gitServer.mirrorUrl(GitServer.CHART_REPOSITORY)));
        workspace.commitAll("Argo CD follows the cluster stage's Git server and mirrors");

        gitServer.start(cluster, provisioning, "https://127.0.0.1:" + argoCdPort, installUrl);
        script(environments, "scripts/git-remote.sh", "--url", gitServer.repoUrl()).ok();

        long started = System.nanoTime();
        cluster.apply(cluster.kubectl("", "create", "namespace", ArgoCd.NAMESPACE, "--dry-run=client", "-o", "yaml")
                              .ok());
        cluster.kubectl("", "apply", "--server-side", "--force-conflicts", "-k",
                        workspace.path("argocd/install").toString()).ok();
        provisioning.require(true, "ensure_argocd_webhook_secret");
        String rendered = cluster.kubectl("", "kustomize", workspace.path("argocd/install").toString()).ok();
        ArgoCd argoCd = ArgoCd.start(cluster, rendered, argoCdPort);
        SealedSecretsController.startWhenDeployed(cluster);
        cluster.report("Argo CD installed and running", started);
        return new GitOps(environments, gitServer, argoCd);
    }

    Environments environments() {
        return environments;
    }

    Cluster cluster() {
        return environments.cluster();
    }

    Workspace workspace() {
        return environments.workspace();
    }

    GitServer gitServer() {
        return gitServer;
    }

    ArgoCd argoCd() {
        return argoCd;
    }

    /** The last step of provisioning: the platform AppProject and the root Application, applied once. */
    void applyRoot() {
        cluster().kubectl("", "apply", "-f", workspace().path("argocd/project-platform.yaml").toString(),
                          "-f", workspace().path("argocd/root-application.yaml").toString()).ok();
    }

    /** Asks Argo CD to compare APPLICATION with Git and the cluster now (what the UI's Refresh does). */
    void refresh(String application) {
        cluster().kubectl("", "-n", ArgoCd.NAMESPACE, "annotate", "--overwrite", "application", application,
                          "argocd.argoproj.io/refresh=normal").ok();
    }

    ApplicationState state(String application) {
        return ApplicationState.of(cluster().client(), application);
    }

    /** Waits until every Application is Synced, Healthy and Succeeded; fails with the states of those that are not. */
    void awaitSettled(Duration timeout) {
        Awaitility.await("every Application Synced and Healthy")
                .atMost(timeout)
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> APPLICATIONS.stream().map(this::state).allMatch(ApplicationState::settled));
    }

    /** The commit main of the Git server points at. */
    String headOfMain() {
        return workspace().git("ls-remote", "vm", "refs/heads/main").ok().split("\\s+")[0];
    }

    /** A script of the repository run in the clone, as a user runs it there (against the stage's cluster). */
    static Run script(Environments environments, String script, String... args) {
        return script(environments, Map.of(), "", script, args);
    }

    /** The same with ENV added and STDIN fed to the script. */
    static Run script(Environments environments, Map<String, String> env, String stdin, String script,
                      String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(environments.workspace().path(script).toString()));
        command.addAll(List.of(args));
        Map<String, String> all = new java.util.HashMap<>(environments.cluster().env());
        all.putAll(Workspace.gitIdentity());
        all.put("GIT_CONFIG_GLOBAL", environments.cluster().work().resolve("gitconfig").toString());
        all.putAll(env);
        return Run.of(command, all, environments.workspace().dir(), stdin, Duration.ofMinutes(3));
    }

    private static String installUrl(Workspace workspace) {
        Matcher matcher = INSTALL_URL.matcher(Cluster.read(workspace.path("argocd/install/kustomization.yaml")));
        if (!matcher.find()) {
            throw new ClusterException("argocd/install/kustomization.yaml names no upstream install.yaml");
        }
        return matcher.group(1);
    }

    private static void replaceInArgoCd(Workspace workspace, Map<String, String> replacements) {
        try (Stream<Path> files = Files.walk(workspace.path("argocd"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                String text = Cluster.read(file);
                String replaced = text;
                for (Map.Entry<String, String> entry : replacements.entrySet()) {
                    replaced = replaced.replace(entry.getKey(), entry.getValue());
                }
                if (!replaced.equals(text)) {
                    Cluster.write(file, replaced);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
