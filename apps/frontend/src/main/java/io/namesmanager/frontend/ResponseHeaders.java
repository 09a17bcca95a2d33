package io.namesmanager.frontend;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Security headers on every response the frontend sends, routed or answered by a direct handler.
 */
final class ResponseHeaders {
    /**
     * Only this origin's files may run or style the page: no inline script or style, no framing, no plugins. Trusted
     * Types make any HTML sink ({@code innerHTML} and friends) throw, so names can only ever be rendered as text.
     */
    static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self'",
            "connect-src 'self'",
            "manifest-src 'self'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
            "require-trusted-types-for 'script'",
            "trusted-types 'none'");

    private static final Header[] SECURITY_HEADERS = {
            HeaderValues.create(HeaderNames.create("Content-Security-Policy"), CONTENT_SECURITY_POLICY),
            HeaderValues.create(HeaderNames.create("X-Content-Type-Options"), "nosniff"),
            HeaderValues.create(HeaderNames.create("Referrer-Policy"), "no-referrer"),
            // Older browsers ignore frame-ancestors; X-Frame-Options covers them.
            HeaderValues.create(HeaderNames.create("X-Frame-Options"), "DENY"),
            HeaderValues.create(HeaderNames.create("Cross-Origin-Opener-Policy"), "same-origin"),
            HeaderValues.create(HeaderNames.create("Permissions-Policy"), "camera=(), geolocation=(), microphone=()")
    };

    private ResponseHeaders() {
    }

    /**
     * Routing filter: sets the security headers before any handler runs, so proxied and static responses get them.
     *
     * @param chain filter chain
     * @param req   request
     * @param res   response
     */
    static void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        addSecurityHeaders(res.headers());
        chain.proceed();
    }

    /**
     * Sets the security headers, replacing any value already present.
     *
     * @param headers headers to update
     */
    static void addSecurityHeaders(WritableHeaders<?> headers) {
        for (Header header : SECURITY_HEADERS) {
            headers.set(header);
        }
    }
}
