package io.namesmanager.backend;

import java.util.Map;
import java.util.logging.Logger;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import io.namesmanager.common.GracefulExit;
import io.namesmanager.common.Logging;

/**
 * Starts the names backend.
 */
public final class Main {

    private static final Logger LOGGER = Logger.getLogger(Main.class.getName());

    private Main() {
    }

    /**
     * Starts the server; SIGTERM or Ctrl-C stop it gracefully and exit with status 0.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        Config config;
        try {
            // Every variable checked before logging starts: a bad value is the only line printed.
            config = config(env);
            Logging.configure(env);
        } catch (IllegalArgumentException e) {
            System.err.println("names-backend: configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        Config.global(config);

        NamesBackend backend = NamesBackend.start(config);
        LOGGER.info(() -> "names-backend " + NamesBackend.version() + " listening on port " + backend.port());
        GracefulExit.onSignals("names-backend", backend::close);
    }

    /**
     * The configuration: the variables {@link EnvironmentConfig} maps over {@code application.yaml}, then system
     * properties. No other environment variable is read: Helidon's own mapping would pass a raw {@code SERVER_PORT}
     * past the checks.
     *
     * @param env the environment
     * @return the configuration
     */
    static Config config(Map<String, String> env) {
        return Config.builder()
                .addSource(ConfigSources.create(EnvironmentConfig.toConfig(env)))
                .addSource(ConfigSources.classpath("application.yaml"))
                .disableEnvironmentVariablesSource()
                .build();
    }
}
