package io.namesmanager.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Where the repository's files are, as seen from the test JVM. */
final class Repo {

    /** The environments, one overlay each. */
    static final List<String> ENVIRONMENTS = List.of("dev", "prod");

    private Repo() {
    }

    /** The repository root: set by the POM (repo.root), else the nearest parent holding base/ and pom.xml. */
    static Path root() {
        String configured = System.getProperty("repo.root");
        if (configured != null) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("base")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new AssertionError("Cannot find the repository root (a directory with base/ and pom.xml): "
                                 + "run the tests through Maven (./mvnw verify -pl deploy-tests)");
    }

    static Path resolve(String relative) {
        return root().resolve(relative);
    }

    /** The project version from the POM, e.g. 1.0.0-SNAPSHOT. */
    static String projectVersion() {
        String version = System.getProperty("project.version");
        if (version == null) {
            throw new AssertionError("System property project.version is not set: run the tests through Maven");
        }
        return version;
    }
}
