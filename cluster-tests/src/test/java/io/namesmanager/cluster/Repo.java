package io.namesmanager.cluster;

import java.nio.file.Path;

/** Paths in this repository (system property {@code repo.root}, set by the module's pom). */
final class Repo {

    private Repo() {
    }

    static Path root() {
        String root = System.getProperty("repo.root");
        if (root == null) {
            throw new ClusterException("system property repo.root is not set: run the stage with ./mvnw verify -Pcluster");
        }
        return Path.of(root).toAbsolutePath().normalize();
    }

    static Path path(String relative) {
        return root().resolve(relative);
    }
}
