package io.namesmanager.frontend;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.Optional;

import io.helidon.http.HeaderNames;
import io.helidon.http.HttpPrologue;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.http.WritableHeaders;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import io.namesmanager.common.JsonErrors;
import io.namesmanager.common.RequestIds;

/**
 * Passes every request under {@code /api} to the backend and its answer back: method, path, query, body, status and
 * end-to-end headers. Only plain API paths cross ({@link ProxyPath}): anything else is a 400 that never reaches the
 * backend. Answers 502 when the backend is unreachable and 504 when it does not answer in time.
 */
final class ProxyService implements HttpService {
    private final BackendClient backend;

    ProxyService(BackendClient backend) {
        this.backend = backend;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.any(this::proxy);
    }

    private void proxy(ServerRequest req, ServerResponse res) throws IOException {
        HttpPrologue prologue = req.prologue();
        Optional<URI> target = ProxyPath.forwardable(prologue.uriPath().rawPath()) ? target(prologue)
                : Optional.empty();
        if (target.isEmpty()) {
            JsonErrors.send(res, Status.BAD_REQUEST_400, "Invalid request path.");
            return;
        }
        // Bounded: the server rejects an entity over max-payload-size (16 KiB) with 413 while it is being read.
        byte[] body = req.content().hasEntity() ? req.content().inputStream().readAllBytes() : null;
        WritableHeaders<?> headers = ProxyHeaders.toBackend(req.headers(), client(req));
        // The id RequestIds gave this request (the browser's, or a new one): both services log it.
        RequestIds.current().ifPresent(id -> headers.set(RequestIds.HEADER, id));
        HttpClientResponse upstream;
        try {
            upstream = backend.send(prologue.method(), target.get(), headers, body);
        } catch (BackendClient.BackendException e) {
            JsonErrors.send(res, e.status(), e.getMessage());
            return;
        }
        try (upstream) {
            res.status(upstream.status());
            ProxyHeaders.toClient(upstream.headers(), res.headers());
            ResponseHeaders.addSecurityHeaders(res.headers());
            if (hasBody(prologue.method(), upstream.status())) {
                // Streamed: a large list never sits in memory whole.
                try (InputStream in = upstream.inputStream(); OutputStream out = res.outputStream()) {
                    in.transferTo(out);
                }
            } else {
                res.send();
            }
        }
    }

    /** The path and query as received, or empty when they do not make a URI. */
    private static Optional<URI> target(HttpPrologue prologue) {
        String query = prologue.query().rawValue();
        try {
            return Optional.of(URI.create(prologue.uriPath().rawPath() + (query.isEmpty() ? "" : "?" + query)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static ProxyHeaders.Client client(ServerRequest req) {
        SocketAddress peer = req.remotePeer().address();
        String ip = peer instanceof InetSocketAddress inet ? inet.getAddress().getHostAddress() : peer.toString();
        return new ProxyHeaders.Client(ip, req.isSecure() ? "https" : "http",
                                       req.headers().first(HeaderNames.HOST).orElse(null));
    }

    private static boolean hasBody(Method method, Status status) {
        int code = status.code();
        return !Method.HEAD.equals(method) && code >= 200 && code != 204 && code != 304;
    }
}
