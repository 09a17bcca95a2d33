package io.namesmanager.frontend;

import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.logging.Logger;

import io.helidon.config.Config;
import io.helidon.http.Headers;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.http.encoding.ContentEncodingContext;
import io.helidon.webclient.api.HttpClientRequest;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;

/**
 * Sends proxied requests to the backend over Helidon WebClient, which keeps HTTP/1.1 connections alive and reuses them.
 */
final class BackendClient {
    private static final Logger LOGGER = Logger.getLogger(BackendClient.class.getName());

    private final WebClient client;
    private final Duration longestCall;

    private BackendClient(WebClient client, Duration longestCall) {
        this.client = client;
        this.longestCall = longestCall;
    }

    /**
     * Creates a client from the {@code backend} config node: {@code url} ({@code BACKEND_URL}),
     * {@code timeout.connect} and {@code timeout.read} (ISO-8601 durations, {@code BACKEND_TIMEOUT_CONNECT} and
     * {@code BACKEND_TIMEOUT_READ}).
     *
     * @param backend the {@code backend} config node
     * @return a client
     */
    static BackendClient create(Config backend) {
        Duration connect = backend.get("timeout.connect").as(Duration.class).get();
        Duration read = backend.get("timeout.read").as(Duration.class).get();
        return new BackendClient(WebClient.builder()
                .baseUri(baseUri(backend))
                .connectTimeout(connect)
                .readTimeout(read)
                .followRedirects(false)
                // A proxy passes bodies as they are: no decoding of gzip & co., whatever is on the classpath.
                .contentEncoding(ContentEncodingContext.create(it -> it.contentEncodingsDiscoverServices(false)))
                .build(), connect.plus(read));
    }

    /**
     * How long one backend call may take at most: connecting, then waiting for the answer.
     *
     * @return connect plus read timeout
     */
    Duration longestCall() {
        return longestCall;
    }

    /**
     * The backend's base URI from {@code backend.url}, checked so a typo fails start-up rather than every request.
     *
     * @param backend the {@code backend} config node
     * @return base URI such as {@code http://api:8000}
     */
    static URI baseUri(Config backend) {
        String url = backend.get("url").asString().get().strip();
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("BACKEND_URL is not a URL: '" + url + "'", e);
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("BACKEND_URL must look like http://host:port, not '" + url + "'");
        }
        return uri;
    }

    /**
     * Sends one request. Failures are not retried: WebClient already discards pooled connections the backend closed,
     * and repeating a timed-out request would only double the wait.
     *
     * @param method  request method
     * @param target  path and query, already encoded, e.g. {@code /api/names?limit=5}
     * @param headers headers to send as they are
     * @param body    request body, {@code null} for none
     * @return the backend's response; the caller closes it to give the connection back
     * @throws BackendException when the backend cannot be reached (502) or does not answer in time (504)
     */
    HttpClientResponse send(Method method, URI target, Headers headers, byte[] body) {
        HttpClientRequest request = client.method(method)
                .uri(target)
                .headers(it -> headers.forEach(it::set));
        try {
            return body == null ? request.request() : request.submit(body);
        } catch (RuntimeException e) {
            throw failure(method, target, e);
        }
    }

    private static BackendException failure(Method method, URI target, RuntimeException cause) {
        boolean timeout = isTimeout(cause);
        LOGGER.warning(() -> "Backend " + (timeout ? "timed out" : "unreachable") + " for " + method.text() + " "
                + target.getRawPath() + ": " + cause);
        return timeout
                ? new BackendException(Status.GATEWAY_TIMEOUT_504, "The names service did not answer in time.", cause)
                : new BackendException(Status.BAD_GATEWAY_502, "The names service is unreachable.", cause);
    }

    private static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /**
     * The backend could not be reached or did not answer in time; carries the status the proxy answers.
     */
    static final class BackendException extends RuntimeException {
        private final transient Status status;

        BackendException(Status status, String message, RuntimeException cause) {
            super(message, cause);
            this.status = status;
        }

        Status status() {
            return status;
        }
    }
}
