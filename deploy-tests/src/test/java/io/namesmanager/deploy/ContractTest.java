package io.namesmanager.deploy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each overlay's objects fit together and fit the apps. */
class ContractTest {

    @ParameterizedTest(name = "overlays/{0}")
    @ValueSource(strings = {"dev", "prod"})
    void renderKeepsTheContract(String env) {
        List<String> problems = Contract.check(Kustomize.overlay(env));
        assertTrue(problems.isEmpty(), "overlays/" + env + " breaks the contract:\n  " + String.join("\n  ", problems));
    }

    @Test
    void backendVariablesComeFromItsSourcesOnceItIsInTheTree() {
        AppContract backend = AppContract.backend();
        if (backend.sources().isPresent()) {
            assertTrue(backend.envSource().startsWith("string literals in apps/backend/src/main"), backend.envSource());
            assertTrue(backend.env().containsAll(List.of("DATABASE_URL", "LOG_LEVEL", "SERVER_PORT", "MAX_NAME_LENGTH",
                                                         "DB_ECHO")),
                       "the backend's sources should name the agreed variables: " + backend.env());
        } else {
            assertTrue(backend.envSource().startsWith("the agreed contract"));
        }
    }
}
