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

    private final Cluster cluster;
    private final Workspace workspace;

    Provisioning(Cluster cluster, Workspace workspace) {
        this.cluster = cluster;
        this.workspace = workspace;
    }

    /** The host's git-ignored secrets folder of the lab (.secrets/), here a folder of the stage. */
    Path secrets() {
        return cluster.work().resolve("secrets");
    }

    /** Runs FUNCTION ARGS of lib.sh in the workspace; the caller judges the exit code (some return 1 for "no change"). */
    Run call(String function, String... args) {
        Map<String, String> env = new HashMap<>(cluster.env());
        env.put("NM_REPO_DIR", workspace.dir().toString());
        env.put("NM_WORK_DIR", workspace.dir().toString());
        env.put("NM_SECRETS_DIR", secrets().toString());
        env.put("NM_STATE_DIR", cluster.work().resolve("state").toString());
        env.put("NM_ETC_DIR", cluster.work().resolve("etc").toString());
        env.put("GIT_AUTHOR_NAME", "provisioning");
        env.put("GIT_AUTHOR_EMAIL", "provisioning@localhost");
        env.put("GIT_COMMITTER_NAME", "provisioning");
        env.put("GIT_COMMITTER_EMAIL", "provisioning@localhost");
        List<String> command = new java.util.ArrayList<>(List.of("bash", "-c",
                "set -euo pipefail; . scripts/lib/common.sh; . scripts/vagrant/config.sh; . scripts/vagrant/lib.sh; "
                + "\"$@\"", "provisioning", function));
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
