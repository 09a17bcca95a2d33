package io.namesmanager.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/** Checks over the repository's files rather than a render: plain Secrets, private keys, argocd/ objects. */
final class RepositoryFiles {

    /** Negative fixtures of this suite: they hold a plain Secret on purpose. */
    static final String FIXTURES = "deploy-tests/src/test/resources/fixtures/";
    /** Build output, VCS, tool state and local data: git-ignored, never committed. */
    private static final Set<String> SKIPPED_DIRS = Set.of(".git", "target", "node_modules", ".vagrant", ".idea",
                                                           ".secrets", ".local-data");
    private static final long MAX_SCANNED_BYTES = 4L * 1024 * 1024;
    private static final Pattern PRIVATE_KEY = Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----");
    private static final Set<String> KUSTOMIZE_KINDS = Set.of("Kustomization", "Component");

    private RepositoryFiles() {
    }

    /** Files under DIR (relative to it), skipping build output and VCS folders. */
    static List<Path> files(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> dir.relativize(p).toString().split("/").length > 0)
                    .filter(p -> {
                        for (Path part : dir.relativize(p)) {
                            if (SKIPPED_DIRS.contains(part.toString())) {
                                return false;
                            }
                        }
                        return true;
                    })
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** No plain Secret in any YAML file, no private key in any file (the suite's own fixtures excepted). */
    static List<String> secretsInTree(Path root) {
        List<String> problems = new ArrayList<>();
        for (Path file : files(root)) {
            String relative = root.relativize(file).toString();
            if (relative.startsWith(FIXTURES)) {
                continue;
            }
            String text;
            try {
                if (Files.size(file) > MAX_SCANNED_BYTES) {
                    problems.add(relative + ": over 4 MiB; large files do not belong in this repository");
                    continue;
                }
                text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
                        .toString();
            } catch (CharacterCodingException e) {
                continue; // binary
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (PRIVATE_KEY.matcher(text).find()) {
                problems.add(relative + ": holds a private key; keep it out of Git (sealed-secrets/README.md)");
            }
            if (relative.endsWith(".yaml") || relative.endsWith(".yml")) {
                for (JsonObject doc : parseLeniently(text)) {
                    if ("Secret".equals(K8sObject.string(doc, "kind").orElse(""))
                            && "v1".equals(K8sObject.string(doc, "apiVersion").orElse(""))) {
                        problems.add(relative + ": a plain Secret ("
                                     + K8sObject.path(doc, "metadata.name").map(JsonElement::getAsString).orElse("?")
                                     + "); commit a SealedSecret instead (scripts/seal.sh)");
                    }
                }
            }
        }
        return problems;
    }

    /**
     * The Kubernetes objects in the YAML files under DIR: documents with apiVersion and kind, except kustomize's own
     * files and the patches a kustomization there applies (partial objects by design). Documents without a kind
     * (values files) are not objects.
     */
    static List<K8sObject> objectsUnder(Path root, Path dir) {
        List<K8sObject> objects = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return objects;
        }
        Set<Path> patches = new HashSet<>();
        for (Path file : files(dir)) {
            if (file.getFileName().toString().matches("kustomization\\.ya?ml")) {
                for (JsonObject k : Yaml.documents(read(file), root.relativize(file).toString())) {
                    for (JsonElement patch : Workloads.array(k, "patches")) {
                        K8sObject.string(patch.getAsJsonObject(), "path")
                                .ifPresent(p -> patches.add(file.getParent().resolve(p).normalize()));
                    }
                    for (JsonElement patch : Workloads.array(k, "patchesStrategicMerge")) {
                        patches.add(file.getParent().resolve(patch.getAsString()).normalize());
                    }
                }
            }
        }
        for (Path file : files(dir)) {
            String name = file.getFileName().toString();
            if (!(name.endsWith(".yaml") || name.endsWith(".yml")) || patches.contains(file.normalize())) {
                continue;
            }
            String relative = root.relativize(file).toString();
            for (JsonObject doc : Yaml.documents(read(file), relative)) {
                if (doc.has("apiVersion") && doc.has("kind")
                        && !KUSTOMIZE_KINDS.contains(K8sObject.string(doc, "kind").orElse(""))) {
                    objects.add(new K8sObject(doc, relative));
                }
            }
        }
        return objects;
    }

    private static List<JsonObject> parseLeniently(String text) {
        try {
            return Yaml.documents(text, "");
        } catch (RuntimeException | AssertionError e) {
            return List.of(); // templates (e.g. Helm) are not plain YAML
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
