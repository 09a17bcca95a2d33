package io.namesmanager.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The cluster provisioned the way the VM's first boot does it, as far as that is API work: a throwaway sealing key
 * per environment brought into kube-system before the Sealed Secrets controller starts, then each environment's
 * db-credentials resealed for it and committed in the workspace. Shared by the tests of one JVM.
 */
final class Environments {

    static final List<String> NAMES = List.of("dev", "prod");
    private static Environments shared;

    private final Cluster cluster;
    private final Workspace workspace;
    private final Provisioning provisioning;

    private Environments(Cluster cluster, Workspace workspace, Provisioning provisioning) {
        this.cluster = cluster;
        this.workspace = workspace;
        this.provisioning = provisioning;
    }

    static synchronized Environments prepared() {
        if (shared == null) {
            shared = prepare(true);
        }
        return shared;
    }

    /**
     * The same without starting the Sealed Secrets controller: for the GitOps loop, where Argo CD installs it (and
     * {@link SealedSecretsController#startWhenDeployed} runs it). Sealing needs only the committed certificates.
     */
    static synchronized Environments sealedForArgoCd() {
        if (shared == null) {
            shared = prepare(false);
        }
        return shared;
    }

    private static Environments prepare(boolean startController) {
        Cluster cluster = Cluster.shared();
        Workspace workspace = Workspace.create(cluster.work().resolve("repo"));
        Provisioning provisioning = new Provisioning(cluster, workspace);
        for (String env : NAMES) {
            provisioning.require(true, "ensure_sealing_key", env);
        }
        provisioning.require(false, "load_sealing_keys");
        if (startController) {
            cluster.sealedSecrets();
        }
        for (String env : NAMES) {
            provisioning.require(true, "reseal_if_needed", env);
        }
        return new Environments(cluster, workspace, provisioning);
    }

    Cluster cluster() {
        return cluster;
    }

    Workspace workspace() {
        return workspace;
    }

    Provisioning provisioning() {
        return provisioning;
    }

    /**
     * Applies overlays/ENV of the workspace as it is now (namespace first, then everything, server-side) and waits
     * until its Deployments and the StatefulSet have rolled out.
     */
    void deploy(String env) {
        String rendered = render("overlays/" + env);
        cluster.apply(Manifests.namespaces(rendered));
        cluster.apply(rendered);
        for (String workload : List.of("statefulset/postgres", "deployment/backend", "deployment/frontend")) {
            cluster.kubectl("", "-n", "names-" + env, "rollout", "status", workload, "--timeout=120s").ok();
        }
    }

    /** The CRDs of the pinned Argo CD release (Application, ApplicationSet, AppProject), one YAML stream. */
    String argoCdCrds() {
        try (Stream<Path> files = Files.list(cluster.share("argocd/crds"))) {
            StringBuilder crds = new StringBuilder();
            files.filter(f -> f.getFileName().toString().endsWith("-crd.yaml")).sorted()
                    .forEach(f -> crds.append("---\n").append(Cluster.read(f)).append('\n'));
            return crds.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The namespace argocd and Argo CD's CRDs, as provisioning installs them before anything else of Argo CD. */
    void installArgoCd() {
        String namespace = cluster.kubectl("", "create", "namespace", "argocd", "--dry-run=client", "-o", "yaml").ok();
        cluster.apply(namespace);
        cluster.apply(argoCdCrds());
    }

    /** {@code kubectl kustomize} of a folder of the workspace, by the control plane's own kubectl. */
    String render(String folder) {
        return cluster.kubectl("", "kustomize", workspace.path(folder).toString()).ok();
    }
}
