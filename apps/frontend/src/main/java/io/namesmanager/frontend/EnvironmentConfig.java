package io.namesmanager.frontend;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment variables of the deployment contract, translated to configuration keys in one place. With
 * {@code LOG_LEVEL} and {@code LOG_FORMAT}, which {@code names-common}'s {@code Logging} reads, these are all the
 * variables the frontend reads.
 */
final class EnvironmentConfig {
    private static final Map<String, String> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put("SERVER_HOST", "server.host");
        KEYS.put("SERVER_PORT", "server.port");
        KEYS.put("MANAGEMENT_PORT", "server.sockets.0.port");
        KEYS.put("BACKEND_URL", "backend.url");
        KEYS.put("BACKEND_TIMEOUT_CONNECT", "backend.timeout.connect");
        KEYS.put("BACKEND_TIMEOUT_READ", "backend.timeout.read");
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
        // One address for both sockets: the management port listens where the server does.
        if (config.containsKey("server.host")) {
            config.put("server.sockets.0.host", config.get("server.host"));
        }
        return config;
    }
}
