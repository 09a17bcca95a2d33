package io.namesmanager.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import com.google.gson.JsonObject;

/**
 * Renders a kustomization with the real {@code kubectl kustomize}, as Argo CD does. kubectl comes from PATH, or
 * from the KUBECTL environment variable. A missing kubectl fails the test with the fix, it never skips it.
 */
final class Kustomize {

    private static final Map<Path, String> CACHE = new ConcurrentHashMap<>();

    private Kustomize() {
    }

    /** The objects of a rendered overlay (cached: several test classes read the same render). */
    static List<K8sObject> objects(Path kustomization) {
        String source = "kubectl kustomize " + Repo.root().relativize(kustomization.toAbsolutePath().normalize());
        List<K8sObject> objects = new ArrayList<>();
        for (JsonObject json : Yaml.documents(render(kustomization), source)) {
            objects.add(new K8sObject(json, source));
        }
        return objects;
    }

    /** The objects of overlays/ENV. */
    static List<K8sObject> overlay(String env) {
        return objects(Repo.resolve("overlays/" + env));
    }

    /** The YAML that {@code kubectl kustomize DIR} prints; fails with kubectl's own message otherwise. */
    static String render(Path kustomization) {
        Path dir = kustomization.toAbsolutePath().normalize();
        return CACHE.computeIfAbsent(dir, d -> run(kubectl(), d));
    }

    /** The kubectl to run: $KUBECTL, else the first kubectl on PATH. */
    static String kubectl() {
        String configured = System.getenv("KUBECTL");
        return configured != null && !configured.isBlank() ? configured : "kubectl";
    }

    static String run(String kubectl, Path dir) {
        Process process;
        Path stderr;
        try {
            stderr = Files.createTempFile("kustomize", ".err");
            process = new ProcessBuilder(kubectl, "kustomize", dir.toString())
                    .redirectError(stderr.toFile())
                    .start();
        } catch (IOException e) {
            throw new AssertionError("Cannot run '" + kubectl + "' (" + e.getMessage() + "). These tests render the "
                                     + "overlays with the real kubectl kustomize: install kubectl 1.27 or newer "
                                     + "(kustomize v5) and put it on PATH, or set KUBECTL=/path/to/kubectl. "
                                     + "See deploy-tests/README.md.", e);
        }
        try {
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError(kubectl + " kustomize " + dir + " did not finish within 2 minutes");
            }
            String err = Files.readString(stderr);
            if (process.exitValue() != 0) {
                throw new AssertionError(kubectl + " kustomize " + dir + " failed (exit " + process.exitValue()
                                         + "):\n" + err);
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError("Reading the output of " + kubectl + " kustomize " + dir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while rendering " + dir, e);
        } finally {
            try {
                Files.deleteIfExists(stderr);
            } catch (IOException ignored) {
                // a temp file; nothing to do
            }
        }
    }
}
