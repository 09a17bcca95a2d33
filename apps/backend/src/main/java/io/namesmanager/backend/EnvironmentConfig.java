package io.namesmanager.backend;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The environment variables of the deployment contract, translated to configuration keys in one place.
 */
final class EnvironmentConfig {

    private EnvironmentConfig() {
    }

    /**
     * Config keys for the variables that are set: {@code SERVER_HOST}, {@code SERVER_PORT}, {@code MANAGEMENT_PORT},
     * {@code MAX_NAME_LENGTH},
     * {@code DB_ECHO} and the database connection ({@link DatabaseSettings}).
     *
     * @param env the environment
     * @return config keys and values
     * @throws IllegalArgumentException for values that cannot work
     */
    static Map<String, String> toConfig(Map<String, String> env) {
        Map<String, String> config = new HashMap<>(DatabaseSettings.fromEnvironment(env).toConfig());
        copy(env, "SERVER_HOST", config, "server.host");
        copy(env, "SERVER_PORT", config, "server.port");
        copy(env, "MANAGEMENT_PORT", config, "server.sockets.0.port");
        // One address for both sockets: the management port listens where the server does.
        copy(env, "SERVER_HOST", config, "server.sockets.0.host");
        copy(env, "MAX_NAME_LENGTH", config, "app.max-name-length");
        copy(env, "DB_ECHO", config, "db.echo");
        String maxLength = config.get("app.max-name-length");
        if (maxLength != null && !maxLength.matches("[1-9][0-9]{0,8}")) {
            throw new IllegalArgumentException("MAX_NAME_LENGTH must be a positive integer, not '" + maxLength + "'");
        }
        String echo = config.get("db.echo");
        if (echo != null && !echo.equals("true") && !echo.equals("false")) {
            throw new IllegalArgumentException("DB_ECHO must be true or false, not '" + echo + "'");
        }
        return config;
    }

    private static void copy(Map<String, String> env, String variable, Map<String, String> config, String key) {
        String value = env.get(variable);
        if (value != null && !value.isBlank()) {
            config.put(key, key.equals("db.echo") ? value.trim().toLowerCase(Locale.ROOT) : value.trim());
        }
    }
}
