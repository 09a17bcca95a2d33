package io.namesmanager.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonElement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Files of the repository: no plaintext secrets anywhere; every object under argocd/ and sealed-secrets/ valid. */
class RepositoryFilesTest {

    @Test
    void noPlainSecretOrPrivateKeyInTheTree() {
        List<String> problems = RepositoryFiles.secretsInTree(Repo.root());
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void aPlainSecretOrAPrivateKeyIsFound(@TempDir Path tree) throws Exception {
        Files.createDirectories(tree.resolve("overlays/dev"));
        Files.writeString(tree.resolve("overlays/dev/db.yaml"), """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: db-credentials
                stringData:
                  POSTGRES_PASSWORD: hunter2
                """);
        String begin = "-----BEGIN " + "PRIVATE KEY-----"; // split, or this file would be flagged
        Files.writeString(tree.resolve("tls.key"), begin + "\nMIIE\n-----END PRIVATE KEY-----\n");
        Files.createDirectories(tree.resolve("target"));
        Files.writeString(tree.resolve("target/ignored.yaml"), "apiVersion: v1\nkind: Secret\nmetadata: {name: x}\n");
        assertEquals(List.of("overlays/dev/db.yaml: a plain Secret (db-credentials); commit a SealedSecret instead "
                             + "(scripts/seal.sh)",
                             "tls.key: holds a private key; keep it out of Git (sealed-secrets/README.md)"),
                     RepositoryFiles.secretsInTree(tree));
    }

    /** Everything under argocd/ (when it exists) and sealed-secrets/ is valid; Applications' paths render. */
    @Test
    void objectsUnderArgocdAndSealedSecretsAreValid() {
        List<String> problems = new ArrayList<>();
        for (String dir : List.of("argocd", "sealed-secrets")) {
            problems.addAll(SchemaValidator.validateAll(RepositoryFiles.objectsUnder(Repo.root(), Repo.resolve(dir))));
        }
        problems.addAll(applicationPathsRender(RepositoryFiles.objectsUnder(Repo.root(), Repo.resolve("argocd"))));
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertEquals(2, RepositoryFiles.objectsUnder(Repo.root(), Repo.resolve("sealed-secrets")).size(),
                     "one SealedSecret per environment");
    }

    @Test
    void theArgocdScanValidatesObjectsAndSkipsPatches(@TempDir Path tree) throws Exception {
        Path argocd = Files.createDirectories(tree.resolve("argocd"));
        Files.writeString(argocd.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources: [project.yaml, app.yaml]
                patches:
                  - path: argocd-cm.yaml
                """);
        Files.writeString(argocd.resolve("project.yaml"), Files.readString(fixture("appproject.yaml")));
        Files.writeString(argocd.resolve("app.yaml"), Files.readString(fixture("application.yaml"))
                .replace("selfHeal: true", "selfheal: true").replace("path: overlays/dev", "path: overlays/missing"));
        // A partial object: only valid as a patch, so not validated on its own.
        Files.writeString(argocd.resolve("argocd-cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n"
                                                            + "  name: argocd-cm\ndata:\n  timeout.reconciliation: 1\n");
        Files.writeString(argocd.resolve("values.yaml"), "replicas: 1\n");
        List<K8sObject> objects = RepositoryFiles.objectsUnder(tree, argocd);
        assertEquals(List.of("AppProject/names-manager", "Application/names-dev"),
                     objects.stream().map(K8sObject::id).sorted().toList());
        assertEquals(List.of("Application/names-dev spec.syncPolicy.automated.selfheal: unknown field (not in "
                             + "Automated)"), SchemaValidator.validateAll(objects));
        assertEquals(List.of("Application/names-dev spec.source.path: overlays/missing is not a directory of "
                             + "this repository"), applicationPathsRender(objects));
    }

    /** Each Application whose source path is a directory here renders, and its objects are valid. */
    static List<String> applicationPathsRender(List<K8sObject> objects) {
        List<String> problems = new ArrayList<>();
        for (K8sObject app : objects.stream().filter(o -> o.kind().equals("Application")).toList()) {
            String path = K8sObject.path(app.json(), "spec.source.path").map(JsonElement::getAsString).orElse(null);
            if (path == null || K8sObject.path(app.json(), "spec.source.chart").isPresent()) {
                continue; // a Helm chart from a chart repository
            }
            Path dir = Repo.resolve(path);
            if (!Files.isDirectory(dir)) {
                problems.add(app.id() + " spec.source.path: " + path + " is not a directory of this repository");
            } else if (Files.exists(dir.resolve("kustomization.yaml")) && !hasRemoteResources(dir)) {
                problems.addAll(SchemaValidator.validateAll(Kustomize.objects(dir)));
            }
            // A kustomization over a remote manifest (argocd/install) needs the network to render: offline, its
            // patches are checked against a stand-in by test/bats/consistency.bats.
        }
        return problems;
    }

    /** Whether a kustomization lists a resource by URL. */
    static boolean hasRemoteResources(Path dir) {
        try {
            return Files.readAllLines(dir.resolve("kustomization.yaml")).stream()
                    .map(String::strip)
                    .anyMatch(line -> line.startsWith("- ") && line.contains("://"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Path fixture(String name) throws Exception {
        return Path.of(RepositoryFilesTest.class.getResource("/fixtures/" + name).toURI());
    }
}
