package io.namesmanager.images;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The podman CLI. A machine without a working podman fails the tests with the fix (.ci/run installs podman, runc and
 * slirp4netns and runs image-tests/podman-config.sh), it never skips them.
 */
final class Podman {

    static final String HINT = "These tests run the images with podman: apt-get install -y podman runc slirp4netns, "
                               + "then image-tests/podman-config.sh (runc with the cgroupfs manager), as .ci/run does "
                               + "(see image-tests/README.md).";

    private Podman() {
    }

    /** Runs {@code podman ARGS} (at most 5 minutes) and returns what it left, whatever its exit code. */
    static Command.Result run(String... args) {
        return run(Duration.ofMinutes(5), args);
    }

    /** Runs {@code podman ARGS} for at most TIMEOUT. */
    static Command.Result run(Duration timeout, String... args) {
        List<String> command = new ArrayList<>();
        command.add("podman");
        command.addAll(List.of(args));
        return Command.run(timeout, HINT, command);
    }

    /** Runs {@code podman ARGS}, asserts success and returns its trimmed standard output. */
    static String ok(String... args) {
        return run(args).ok();
    }

    /** Fails with the fix unless podman runs containers with runc here. */
    static void requireWorking() {
        Command.Result info = run(Duration.ofMinutes(1), "info", "--format", "{{.Host.OCIRuntime.Name}}");
        if (info.exit() != 0) {
            throw new AssertionError("podman does not work here (" + info.err().strip() + "). " + HINT);
        }
        if (!info.out().strip().equals("runc")) {
            throw new AssertionError("podman uses the runtime '" + info.out().strip() + "', not runc (crun fails on "
                                     + "these machines' cgroups). " + HINT);
        }
    }

    /** The value of a Go template over {@code podman inspect CONTAINER}. */
    static String inspect(String container, String template) {
        return ok("inspect", "--type", "container", "--format", template, container);
    }
}
