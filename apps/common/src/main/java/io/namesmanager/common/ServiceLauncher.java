package io.namesmanager.common;

import java.util.Map;
import java.util.function.Function;

import io.helidon.config.Config;
import io.helidon.config.ConfigException;
import io.helidon.config.ConfigSources;

/**
 * How both services start: the environment checked and mapped to configuration keys, logging set up, the service
 * started, and SIGTERM/SIGINT bound to its graceful stop. A bad value ends start-up with status 2 and one line on
 * standard error that names the setting; nothing else is printed.
 */
public final class ServiceLauncher {

    private ServiceLauncher() {
    }

    /**
     * The configuration of a service: the keys its environment variables map to, over {@code application.yaml} (where
     * every default lives), then system properties. Helidon's own environment-variable source is off: it would pass a
     * raw {@code SERVER_PORT} past the checks.
     *
     * @param environmentKeys configuration keys from the environment contract
     * @return the configuration
     */
    public static Config config(Map<String, String> environmentKeys) {
        return Config.builder()
                .addSource(ConfigSources.create(environmentKeys))
                .addSource(ConfigSources.classpath("application.yaml"))
                .disableEnvironmentVariablesSource()
                .build();
    }

    /**
     * Starts a service from the process environment and keeps it running until a signal stops it.
     *
     * @param service     name for the log and error lines, e.g. {@code names-backend}
     * @param environment maps the environment to configuration keys; throws {@link IllegalArgumentException} naming a
     *                    variable whose value it does not accept
     * @param start       starts the service from its configuration and returns its graceful stop
     */
    public static void run(String service,
                           Function<Map<String, String>, Map<String, String>> environment,
                           Function<Config, Runnable> start) {
        Map<String, String> env = System.getenv();
        Runnable stop;
        try {
            // Every variable checked before logging starts: a bad value is the only line printed.
            Config config = config(environment.apply(env));
            Logging.configure(env);
            Config.global(config);
            stop = start.apply(config);
        } catch (IllegalArgumentException | ConfigException e) {
            System.err.println(service + ": configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        GracefulExit.onSignals(service, stop);
    }
}
