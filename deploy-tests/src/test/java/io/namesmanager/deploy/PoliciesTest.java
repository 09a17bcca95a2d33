package io.namesmanager.deploy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each overlay's render follows every rule of {@link Policies}. */
class PoliciesTest {

    @ParameterizedTest(name = "overlays/{0}")
    @ValueSource(strings = {"dev", "prod"})
    void renderFollowsEveryRule(String env) {
        List<String> problems = Policies.check(env, Kustomize.overlay(env));
        assertTrue(problems.isEmpty(), "overlays/" + env + " breaks the rules:\n  " + String.join("\n  ", problems));
    }

    @Test
    void nodePortsAreUniqueAcrossEnvironments() {
        Map<String, List<K8sObject>> all = new LinkedHashMap<>();
        Repo.ENVIRONMENTS.forEach(env -> all.put(env, Kustomize.overlay(env)));
        List<String> problems = Policies.nodePorts(all);
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }
}
