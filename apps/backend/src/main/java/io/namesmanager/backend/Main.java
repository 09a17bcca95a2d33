package io.namesmanager.backend;

import java.util.Map;
import java.util.logging.Logger;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.logging.common.LogConfig;

import sun.misc.Signal;

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
        LogConfig.configureRuntime();
        Map<String, String> env = System.getenv();
        Config config;
        try {
            LogLevels.apply(LogLevels.parse(env.getOrDefault("LOG_LEVEL", "INFO")));
            config = config(env);
        } catch (IllegalArgumentException e) {
            System.err.println("names-backend: configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        Config.global(config);

        NamesBackend backend = NamesBackend.start(config);
        LOGGER.info(() -> "names-backend " + NamesBackend.version() + " listening on port " + backend.port());

        // The JVM's own SIGTERM handling exits with 143; a rolling update wants a clean 0 after draining.
        for (String signal : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(signal), received -> {
                LOGGER.info(() -> "SIG" + received.getName() + " received: finishing in-flight requests");
                backend.close();
                System.exit(0);
            });
        }
    }

    /**
     * The configuration: environment variables of the deployment contract over {@code application.yaml}.
     *
     * @param env the environment
     * @return the configuration
     */
    static Config config(Map<String, String> env) {
        return Config.builder()
                .addSource(ConfigSources.create(EnvironmentConfig.toConfig(env)))
                .addSource(ConfigSources.classpath("application.yaml"))
                .build();
    }
}
