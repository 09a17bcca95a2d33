package io.namesmanager.frontend;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment variables of the deployment contract, translated to configuration keys in one place: these are all
 * the variables the frontend reads.
 */
final class EnvironmentConfig {
    private static final Map<String, String> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put("SERVER_HOST", "server.host");
        KEYS.put("SERVER_PORT", "server.port");
        KEYS.put("BACKEND_URL", "backend.url");
        KEYS.put("BACKEND_TIMEOUT_CONNECT", "backend.timeout.connect");
        KEYS.put("BACKEND_TIMEOUT_READ", "backend.timeout.read");
        KEYS.put("LOG_LEVEL", "log.level");
    }

    private EnvironmentConfig() {
    }

    /**
     * Config keys for the variables that are set and not blank, values trimmed.
     *
     * @param env the environment
     * @return config keys and values
     */
    static Map<String, String> toConfig(Map<String, String> env) {
        Map<String, String> config = new HashMap<>();
        KEYS.forEach((variable, key) -> {
            String value = env.get(variable);
            if (value != null && !value.isBlank()) {
                config.put(key, value.strip());
            }
        });
        return config;
    }
}
