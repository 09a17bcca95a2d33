package io.namesmanager.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Git repository made from this working tree (tracked and untracked files, ignored ones left out), the clone the
 * cluster is provisioned from: the sealing step commits into it as the VM's first boot does into its work clone,
 * and the tests render the overlays from it. The working tree itself is never changed.
 */
final class Workspace {

    private static final Map<String, String> GIT_IDENTITY = Map.of(
            "GIT_AUTHOR_NAME", "cluster stage", "GIT_AUTHOR_EMAIL", "cluster-stage@localhost",
            "GIT_COMMITTER_NAME", "cluster stage", "GIT_COMMITTER_EMAIL", "cluster-stage@localhost");

    private final Path dir;

    private Workspace(Path dir) {
        this.dir = dir;
    }

    static Workspace create(Path dir) {
        String files = git(Repo.root(), "ls-files", "-z", "--cached", "--others", "--exclude-standard").ok();
        try {
            for (String file : files.split("\0")) {
                Path source = Repo.root().resolve(file);
                if (file.isEmpty() || !Files.isRegularFile(source)) {
                    continue; // deleted in the working tree
                }
                Path target = dir.resolve(file);
                Files.createDirectories(target.getParent());
                Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        git(dir, "init", "--quiet", "--initial-branch=main").ok();
        git(dir, "add", "--all").ok();
        git(dir, "commit", "--quiet", "-m", "The working tree under test").ok();
        return new Workspace(dir);
    }

    Path dir() {
        return dir;
    }

    Path path(String relative) {
        return dir.resolve(relative);
    }

    /**
     * The remote {@code vm} the ops scripts push to, as scripts/git-remote.sh sets it up on a developer's clone: a
     * bare repository of the stage holding this repository's main. Made on first use.
     */
    synchronized void useRemote() {
        if (git("remote").ok().lines().noneMatch("vm"::equals)) {
            Path bare = dir.resolveSibling("git/names-manager.git");
            git(dir, "init", "--quiet", "--bare", bare.toString()).ok();
            git("remote", "add", "vm", bare.toString()).ok();
        }
        git("push", "--quiet", "vm", "HEAD:refs/heads/main").ok();
    }

    /** Commits every change of the work tree with MESSAGE. */
    void commitAll(String message) {
        git("add", "--all").ok();
        git("commit", "--quiet", "-m", message).ok();
    }

    /** git in this repository, with a fixed identity for the commits it makes. */
    Run git(String... args) {
        return git(dir, args);
    }

    /** The identity of the stage's commits, for the scripts that commit in the workspace. */
    static Map<String, String> gitIdentity() {
        return GIT_IDENTITY;
    }

    private static Run git(Path where, String... args) {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        return Run.of(command, GIT_IDENTITY, where, "", Duration.ofMinutes(1));
    }
}
