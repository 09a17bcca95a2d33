package io.namesmanager.deploy;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every object each overlay renders is valid against the Kubernetes 1.36 API and the project's CRD models. */
class SchemaValidationTest {

    @ParameterizedTest(name = "overlays/{0}")
    @ValueSource(strings = {"dev", "prod"})
    void everyRenderedObjectIsValid(String env) {
        List<K8sObject> objects = Kustomize.overlay(env);
        assertFalse(objects.isEmpty(), "overlays/" + env + " rendered no objects");
        List<String> problems = SchemaValidator.validateAll(objects);
        assertTrue(problems.isEmpty(), "overlays/" + env + " has schema problems:\n  " + String.join("\n  ", problems));
    }
}
