package io.namesmanager.frontend;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.WritableHeaders;

/**
 * Which headers cross the proxy, in each direction, and the forwarding headers it adds as the original nginx did.
 */
final class ProxyHeaders {
    /** Hop-by-hop headers (RFC 9110 §7.6.1) describe one connection and never cross a proxy. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
                                                         "proxy-authorization", "proxy-connection", "te", "trailer",
                                                         "transfer-encoding", "upgrade");
    /** Written by the client for the backend connection (Host, length, 100-continue) or by {@link #toBackend}. */
    private static final Set<String> REPLACED_TOWARDS_BACKEND = Set.of("host", "content-length", "expect", "x-real-ip",
                                                                       "x-forwarded-for", "x-forwarded-proto",
                                                                       "x-forwarded-host");
    /** The server writes its own Date. */
    private static final Set<String> REPLACED_TOWARDS_CLIENT = Set.of("date");

    private ProxyHeaders() {
    }

    /**
     * Headers for the backend request: the browser's end-to-end headers plus {@code X-Forwarded-For} (the incoming
     * chain with the client appended), {@code X-Real-IP}, {@code X-Forwarded-Proto} and {@code X-Forwarded-Host}.
     *
     * @param incoming the browser's request headers
     * @param client   who sent the request, and how
     * @return headers to send to the backend
     */
    static WritableHeaders<?> toBackend(Headers incoming, Client client) {
        WritableHeaders<?> out = WritableHeaders.create();
        copyEndToEnd(incoming, out, REPLACED_TOWARDS_BACKEND);
        String chain = incoming.contains(HeaderNames.X_FORWARDED_FOR)
                ? String.join(", ", incoming.get(HeaderNames.X_FORWARDED_FOR).allValues()) + ", " + client.ip()
                : client.ip();
        out.set(HeaderNames.X_FORWARDED_FOR, chain);
        out.set(HeaderNames.create("X-Real-IP"), client.ip());
        out.set(HeaderNames.X_FORWARDED_PROTO, client.scheme());
        if (client.host() != null) {
            out.set(HeaderNames.X_FORWARDED_HOST, client.host());
        }
        return out;
    }

    /**
     * Copies the backend's end-to-end response headers onto the browser's response.
     *
     * @param backend  the backend's response headers
     * @param response the response to the browser
     */
    static void toClient(Headers backend, WritableHeaders<?> response) {
        copyEndToEnd(backend, response, REPLACED_TOWARDS_CLIENT);
    }

    private static void copyEndToEnd(Headers from, WritableHeaders<?> to, Set<String> replaced) {
        Set<String> dropped = new HashSet<>(HOP_BY_HOP);
        dropped.addAll(replaced);
        // A sender may name further hop-by-hop headers in Connection ("Connection: close, X-Trace").
        if (from.contains(HeaderNames.CONNECTION)) {
            for (String value : from.get(HeaderNames.CONNECTION).allValues()) {
                for (String token : value.split(",")) {
                    dropped.add(token.strip().toLowerCase(Locale.ROOT));
                }
            }
        }
        for (Header header : from) {
            if (!dropped.contains(header.name().toLowerCase(Locale.ROOT))) {
                to.set(header);
            }
        }
    }

    /**
     * The browser side of a request.
     *
     * @param ip     the peer address
     * @param scheme {@code http} or {@code https}, as received
     * @param host   the {@code Host} header as received, {@code null} if absent
     */
    record Client(String ip, String scheme, String host) {
    }
}
