package io.namesmanager.backend;

import java.util.logging.Logger;

import io.namesmanager.common.ServiceLauncher;

/**
 * Starts the names backend.
 */
public final class Main {

    private static final Logger LOGGER = Logger.getLogger(Main.class.getName());

    private Main() {
    }

    /**
     * Starts the server configured by the environment (README: Configuration) over {@code application.yaml}. SIGTERM
     * or Ctrl-C stop it gracefully and exit with status 0; a configuration error exits with status 2.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        ServiceLauncher.run("names-backend", EnvironmentConfig::toConfig, config -> {
            NamesBackend backend = NamesBackend.start(config);
            LOGGER.info(() -> "names-backend " + NamesBackend.version() + " listening on port " + backend.port());
            return backend::close;
        });
    }
}
