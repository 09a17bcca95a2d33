package io.namesmanager.frontend;

import java.util.logging.Logger;

import io.namesmanager.common.ServiceLauncher;

/**
 * Starts the frontend: the web UI and the {@code /api} proxy to the backend.
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
        ServiceLauncher.run("names-frontend", EnvironmentConfig::toConfig, config -> {
            NamesFrontend frontend = NamesFrontend.start(config);
            LOGGER.info(() -> "names-frontend listening on port " + frontend.server().port() + ", proxying /api to "
                    + BackendClient.baseUri(config.get("backend")));
            return frontend::close;
        });
    }
}
