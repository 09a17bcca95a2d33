package io.namesmanager.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The functions of scripts/vagrant/lib.sh that provisioning runs against the cluster's API (sealing keys, reseal),
 * run here as the VM runs them, with every path they use pointing into the stage's own folders.
 */
final class Provisioning {

    private static final java.util.regex.Pattern SAFE_VALUE = java.util.regex.Pattern.compile("[A-Za-z0-9:/._-]*");

    private final Cluster cluster;
    private final Workspace workspace;
    private final Map<String, String> settings = new java.util.LinkedHashMap<>();

    Provisioning(Cluster cluster, Workspace workspace) {
        this.cluster = cluster;
        this.workspace = workspace;
    }

    /**
     * Overrides a setting of scripts/vagrant/config.sh (or a NM_ path of lib.sh) for the functions run from now on,
     * e.g. the stage's loopback addresses instead of the VM's.
     */
    synchronized void set(String variable, String value) {
        if (!variable.matches("[A-Z][A-Z0-9_]*") || !SAFE_VALUE.matcher(value).matches()) {
            throw new IllegalArgumentException(variable + "=" + value);
        }
        settings.put(variable, value);
    }

    /** The host's git-ignored secrets folder of the lab: .secrets/ of the clone provisioning runs from. */
    Path secrets() {
        return workspace.path(".secrets");
    }

    /** The clone provisioning runs from (the VM's /vagrant and work clone). */
    Path workspaceDir() {
        return workspace.dir();
    }

    /** Runs FUNCTION ARGS of lib.sh in the workspace; the caller judges the exit code (some return 1 for "no change"). */
    Run call(String function, String... args) {
        Map<String, String> env = new HashMap<>(cluster.env());
        env.put("NM_REPO_DIR", workspace.dir().toString());
        env.put("NM_WORK_DIR", workspace.dir().toString());
        env.put("NM_SECRETS_DIR", secrets().toString());
        env.put("NM_STATE_DIR", cluster.work().resolve("state").toString());
        env.put("NM_ETC_DIR", cluster.work().resolve("etc").toString());
        // git config --global of a provisioning step lands in the stage's folder, not in the user's ~/.gitconfig.
        env.put("GIT_CONFIG_GLOBAL", cluster.work().resolve("gitconfig").toString());
        env.put("GIT_AUTHOR_NAME", "provisioning");
        env.put("GIT_AUTHOR_EMAIL", "provisioning@localhost");
        env.put("GIT_COMMITTER_NAME", "provisioning");
        env.put("GIT_COMMITTER_EMAIL", "provisioning@localhost");
        StringBuilder overrides = new StringBuilder();
        synchronized (this) {
            settings.forEach((variable, value) -> overrides.append(variable).append("='").append(value).append("'; "));
        }
        List<String> command = new java.util.ArrayList<>(List.of("bash", "-c",
                "set -euo pipefail; . scripts/lib/common.sh; . scripts/vagrant/config.sh; " + overrides
                + ". scripts/vagrant/lib.sh; \"$@\"", "provisioning", function));
        command.addAll(List.of(args));
        return Run.of(command, env, workspace.dir(), "", Duration.ofMinutes(3));
    }

    /** Runs FUNCTION ARGS and asserts it succeeded, or returned 1 for "nothing had to change" where that is allowed. */
    void require(boolean oneMeansUnchanged, String function, String... args) {
        Run run = call(function, args);
        if (run.exit() != 0 && !(oneMeansUnchanged && run.exit() == 1)) {
            throw new AssertionError("provisioning step " + function + " failed: " + run);
        }
    }
}
