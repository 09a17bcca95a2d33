package io.namesmanager.backend;

import java.util.HashMap;
import java.util.Map;

import io.helidon.config.Config;

import io.namesmanager.common.EnvironmentContract;
import io.namesmanager.common.ServiceLauncher;

import static io.namesmanager.common.EnvironmentContract.Kind.BOOLEAN;
import static io.namesmanager.common.EnvironmentContract.Kind.HOST;
import static io.namesmanager.common.EnvironmentContract.Kind.PORT;
import static io.namesmanager.common.EnvironmentContract.Kind.POSITIVE_INT;

/**
 * The environment variables of the deployment contract, translated to configuration keys in one place. With the
 * database variables ({@link DatabaseSettings}) and {@code LOG_LEVEL}/{@code LOG_FORMAT} ({@code names-common}'s
 * {@code Logging}), these are all the variables the backend reads.
 */
final class EnvironmentConfig {

    static final EnvironmentContract CONTRACT = EnvironmentContract.server()
            .variable("MAX_NAME_LENGTH", POSITIVE_INT, "app.max-name-length")
            .variable("DB_ECHO", BOOLEAN, "db.echo")
            // Checked here, read by DatabaseSettings (which builds the JDBC URL from them).
            .variable("DB_HOST", HOST)
            .variable("DB_PORT", PORT);

    private EnvironmentConfig() {
    }

    /**
     * Config keys for the variables that are set.
     *
     * @param env the environment
     * @return config keys and values
     * @throws IllegalArgumentException for a value a variable does not accept, naming it
     */
    static Map<String, String> toConfig(Map<String, String> env) {
        Map<String, String> config = new HashMap<>(DatabaseSettings.fromEnvironment(env).toConfig());
        config.putAll(CONTRACT.toConfig(env));
        return config;
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
