package io.namesmanager.frontend;

import java.util.Map;
import java.util.logging.Logger;

import io.helidon.config.Config;
import io.helidon.config.ConfigException;
import io.helidon.config.ConfigSources;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;

import io.namesmanager.common.Drain;
import io.namesmanager.common.GracefulExit;
import io.namesmanager.common.Logging;
import io.namesmanager.common.RequestIds;

/**
 * Starts the frontend: the web UI and the {@code /api} proxy to the backend.
 */
public final class Main {
    private static final Logger LOGGER = Logger.getLogger(Main.class.getName());

    private Main() {
    }

    /**
     * Starts the server configured by the environment over {@code application.yaml}, logging as {@code LOG_LEVEL} and
     * {@code LOG_FORMAT} ask. SIGTERM or Ctrl-C stop it gracefully and exit with status 0; a configuration error exits
     * with status 2.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        Config config;
        Drain drain = new Drain();
        WebServer server;
        try {
            // Every variable checked before logging starts: a bad value is the only line printed.
            config = config(env);
            Logging.configure(env);
            Config.global(config);
            server = start(config, drain);
        } catch (IllegalArgumentException | ConfigException e) {
            System.err.println("names-frontend: configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        LOGGER.info(() -> "names-frontend listening on port " + server.port() + ", proxying /api to "
                + BackendClient.baseUri(config.get("backend")));
        GracefulExit.onSignals("names-frontend", () -> {
            drain.begin();
            server.stop();
        });
    }

    /**
     * The configuration: the variables {@link EnvironmentConfig} maps over {@code application.yaml}, then system
     * properties ({@code -Dserver.port=...}). No other environment variable is read.
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

    /**
     * Builds and starts the server: {@code config.get("server")} binds it, {@code config.get("backend")} points the
     * proxy. The caller stops it ({@link #main} does so on SIGTERM and Ctrl-C).
     *
     * @param config root configuration
     * @return the started server
     */
    public static WebServer start(Config config) {
        return start(config, new Drain());
    }

    /**
     * Builds and starts the server with DRAIN among its filters; {@link Drain#begin()} before stopping it.
     *
     * @param config root configuration
     * @param drain  the drain filter
     * @return the started server
     */
    static WebServer start(Config config, Drain drain) {
        // Built first: a bad BACKEND_URL or timeout fails here, before the port is bound.
        BackendClient backend = BackendClient.create(config.get("backend"));
        return WebServer.builder()
                .config(config.get("server"))
                .directHandlers(JsonResponses.directHandlers())
                .routing(routing -> routing(routing.addFilter(drain), backend))
                .build()
                .start();
    }

    /**
     * Registers the header filter, the proxy, liveness and the static UI, in the order they must match. Helidon's
     * observe endpoints ({@code /observe/health}, {@code /observe/metrics}) are added by their features.
     *
     * @param routing routing to configure
     * @param backend client for the proxied backend
     */
    static void routing(HttpRouting.Builder routing, BackendClient backend) {
        routing.addFilter(new RequestIds())
                .addFilter(ResponseHeaders::filter)
                .register("/api", new ProxyService(backend))
                .get("/healthz", (req, res) -> JsonResponses.send(res, Status.OK_200, "status", "ok"));
        // Anything unmatched ends in Helidon's NotFoundException, answered as JSON by the direct handlers.
        WebContent.register(routing);
    }
}
