package io.namesmanager.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rendering fails loudly: no kubectl, or a kustomization kubectl rejects, is a test failure with the reason. */
class KubectlTest {

    @Test
    void aMissingKubectlFailsWithTheFix() {
        AssertionError error = assertThrows(AssertionError.class,
                                            () -> Kustomize.run("/nonexistent/kubectl", Repo.resolve("overlays/dev")));
        assertTrue(error.getMessage().contains("install kubectl 1.27 or newer")
                   && error.getMessage().contains("KUBECTL=/path/to/kubectl"), error.getMessage());
    }

    @Test
    void aBrokenKustomizationFailsWithKubectlsMessage(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("kustomization.yaml"), "resources:\n  - missing.yaml\n");
        AssertionError error = assertThrows(AssertionError.class, () -> Kustomize.run(Kustomize.kubectl(), dir));
        assertTrue(error.getMessage().contains("failed (exit") && error.getMessage().contains("missing.yaml"),
                   error.getMessage());
    }

    /**
     * kustomize renders a typo without complaint: the schema check is what catches it. Built as a real overlay on
     * top of base/, rendered by kubectl, then validated.
     */
    @Test
    void aTypoInAPatchRendersButFailsValidation(@TempDir Path dir) throws Exception {
        Path overlay = Files.createDirectories(dir.resolve("typo"));
        // kustomize takes no absolute paths
        Path base = overlay.relativize(Repo.resolve("base"));
        Files.writeString(overlay.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - %s
                patches:
                  - path: typo.yaml
                """.formatted(base));
        Files.writeString(overlay.resolve("typo.yaml"), """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: backend
                spec:
                  template:
                    spec:
                      terminationGracePeriodSeconds: "30"
                      containers:
                        - name: backend
                          imagePullPolcy: Always
                """);
        var problems = SchemaValidator.validateAll(Kustomize.objects(overlay));
        assertTrue(problems.contains("Deployment/backend spec.template.spec.containers[0].imagePullPolcy: unknown "
                                     + "field (not in V1Container)"), problems.toString());
        assertTrue(problems.contains("Deployment/backend spec.template.spec.terminationGracePeriodSeconds: expected "
                                     + "integer (int64), got string \"30\""), problems.toString());
    }
}
