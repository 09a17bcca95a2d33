package io.namesmanager.frontend;

import java.time.Duration;
import java.util.Map;

import io.helidon.http.HeaderValues;
import io.helidon.webclient.api.WebClient;
import io.helidon.webserver.WebServer;

/**
 * Starts the frontend as {@link Main} does, on a free port.
 */
final class TestFrontend {
    private TestFrontend() {
    }

    /**
     * Starts a frontend proxying to the given backend.
     *
     * @param backendUrl  value of {@code BACKEND_URL}
     * @param readTimeout backend read timeout
     * @return the started server; the caller stops it
     */
    static WebServer start(String backendUrl, Duration readTimeout) {
        // Through the same variables as in a container; the test JVM's own environment is not read.
        return NamesFrontend.start(EnvironmentConfig.config(Map.of("SERVER_HOST", "127.0.0.1",
                                             "SERVER_PORT", "0",
                                             "MANAGEMENT_PORT", "0",
                                             "BACKEND_URL", backendUrl,
                                             "BACKEND_TIMEOUT_READ", readTimeout.toString()))).server();
    }

    /**
     * A client for a started server. It does not follow redirects, so tests see what the server answered, and closes
     * each connection, so stopping the server need not wait out the grace period for idle keep-alive connections.
     *
     * @param server started server
     * @return client with the server as base URI
     */
    static WebClient client(WebServer server) {
        return client(server.port());
    }

    /**
     * A client like {@link #client(WebServer)} for the server's management port ({@code /observe/*}).
     *
     * @param server started server
     * @return client with the management socket as base URI
     */
    static WebClient managementClient(WebServer server) {
        return client(server.port("management"));
    }

    private static WebClient client(int port) {
        return WebClient.builder()
                .baseUri("http://127.0.0.1:" + port)
                .followRedirects(false)
                .addHeader(HeaderValues.CONNECTION_CLOSE)
                .build();
    }
}
