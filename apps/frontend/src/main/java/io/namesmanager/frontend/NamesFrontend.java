package io.namesmanager.frontend;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.helidon.config.Config;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;

import io.namesmanager.common.Drain;
import io.namesmanager.common.JsonErrors;
import io.namesmanager.common.RequestIds;

/**
 * The running frontend: the web UI and the {@code /api} proxy on one server, stopped with a drain.
 */
final class NamesFrontend implements AutoCloseable {
    private static final byte[] STATUS_OK = "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);

    private final WebServer server;
    private final Drain drain;

    private NamesFrontend(WebServer server, Drain drain) {
        this.server = server;
        this.drain = drain;
    }

    /**
     * Builds and starts the server: {@code config.get("server")} binds it, {@code config.get("backend")} points the
     * proxy.
     *
     * @param config root configuration
     * @return the running frontend; the caller closes it
     */
    static NamesFrontend start(Config config) {
        // Built first: a bad BACKEND_URL or timeout fails here, before the port is bound.
        BackendClient backend = BackendClient.create(config.get("backend"));
        Duration grace = config.get("server.shutdown-grace-period").as(Duration.class).get();
        if (grace.compareTo(backend.longestCall()) < 0) {
            // A request in flight at SIGTERM would be cut while the backend may still answer it.
            throw new IllegalArgumentException("BACKEND_TIMEOUT_CONNECT + BACKEND_TIMEOUT_READ must be at most "
                    + "server.shutdown-grace-period (" + grace + "), not " + backend.longestCall());
        }
        Drain drain = new Drain();
        WebServer server = WebServer.builder()
                .config(config.get("server"))
                .directHandlers(JsonErrors.directHandlers(ResponseHeaders::addSecurityHeaders))
                .routing(routing -> routing(routing.addFilter(drain), backend))
                .build()
                .start();
        return new NamesFrontend(server, drain);
    }

    /**
     * Registers the header filters, the proxy, liveness, the static UI and the JSON errors, in the order they must
     * match. Helidon's observe endpoints ({@code /observe/*}, on the management socket) are added by their features.
     *
     * @param routing routing to configure
     * @param backend client for the proxied backend
     */
    static void routing(HttpRouting.Builder routing, BackendClient backend) {
        routing.addFilter(new RequestIds())
                .addFilter(ResponseHeaders::filter)
                .register("/api", new ProxyService(backend))
                .get("/healthz", (req, res) -> res.status(Status.OK_200).header(JsonErrors.CONTENT_TYPE).send(STATUS_OK));
        // Anything unmatched ends in Helidon's NotFoundException, answered as JSON.
        WebContent.register(routing);
        JsonErrors.register(routing);
    }

    /**
     * The web server, for its ports.
     *
     * @return the server
     */
    WebServer server() {
        return server;
    }

    /**
     * Graceful stop: every response from now on closes its connection, the socket closes, and in-flight requests get
     * the grace period to finish.
     */
    @Override
    public void close() {
        drain.begin();
        server.stop();
    }
}
