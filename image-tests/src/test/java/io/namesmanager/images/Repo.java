package io.namesmanager.images;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The repository the tests run in, and facts about its HEAD commit. */
final class Repo {

    private Repo() {
    }

    /** The repository root (system property repo.root, set by the pom). */
    static Path root() {
        String root = System.getProperty("repo.root");
        if (root == null) {
            throw new AssertionError("System property repo.root is not set: run the tests through Maven (-Pimages)");
        }
        return Path.of(root).toAbsolutePath().normalize();
    }

    /** The project version (system property project.version, set by the pom). */
    static String version() {
        return System.getProperty("project.version");
    }

    /** The registry the images are named for (system property image.registry, set by the pom). */
    static String registry() {
        return System.getProperty("image.registry");
    }

    /** Where the tests write their measurements (image sizes, start-up times). */
    static Path reportDir() {
        return Path.of(System.getProperty("report.dir", "target/image-report"));
    }

    /** {@code git ARGS} in the repository, trimmed. */
    static String git(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-C", root().toString()));
        command.addAll(List.of(args));
        return Command.run(Duration.ofMinutes(1), "git is needed to read the commit the images are tagged with.",
                           command).ok();
    }
}
