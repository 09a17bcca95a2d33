package io.namesmanager.frontend;

import java.util.Map;

import io.helidon.config.Config;

import io.namesmanager.common.EnvironmentContract;
import io.namesmanager.common.ServiceLauncher;

import static io.namesmanager.common.EnvironmentContract.Kind.DURATION;
import static io.namesmanager.common.EnvironmentContract.Kind.HTTP_URL;

/**
 * The environment variables of the deployment contract, translated to configuration keys in one place. With
 * {@code LOG_LEVEL} and {@code LOG_FORMAT}, which {@code names-common}'s {@code Logging} reads, these are all the
 * variables the frontend reads.
 */
final class EnvironmentConfig {

    static final EnvironmentContract CONTRACT = EnvironmentContract.server()
            .variable("BACKEND_URL", HTTP_URL, "backend.url")
            .variable("BACKEND_TIMEOUT_CONNECT", DURATION, "backend.timeout.connect")
            .variable("BACKEND_TIMEOUT_READ", DURATION, "backend.timeout.read");

    private EnvironmentConfig() {
    }

    /**
     * Config keys for the variables that are set and not blank, values trimmed.
     *
     * @param env the environment
     * @return config keys and values
     * @throws IllegalArgumentException for a value a variable does not accept, naming it
     */
    static Map<String, String> toConfig(Map<String, String> env) {
        return CONTRACT.toConfig(env);
    }

    /**
     * The configuration the environment gives: its variables over {@code application.yaml}.
     *
     * @param env the environment
     * @return the configuration
     * @throws IllegalArgumentException for a value a variable does not accept, naming it
     */
    static Config config(Map<String, String> env) {
        return ServiceLauncher.config(toConfig(env));
    }
}
