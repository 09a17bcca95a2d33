package io.namesmanager.common;

import java.util.UUID;
import java.util.regex.Pattern;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.logging.common.HelidonMdc;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Gives every request an id: the caller's {@code X-Request-Id} when it is a sane token, a new UUID otherwise. The id
 * is echoed in the response, passed on by the frontend's proxy, and written by the JSON log format, so one request
 * can be followed through both services' logs.
 */
public final class RequestIds implements Filter {

    /** The header carrying the id. */
    public static final HeaderName HEADER = HeaderNames.create("X-Request-Id");
    /** The MDC key the log formats read. */
    public static final String MDC_KEY = "request_id";

    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String id = req.headers().first(HEADER).filter(value -> SANE.matcher(value).matches())
                .orElseGet(() -> UUID.randomUUID().toString());
        res.header(HEADER, id);
        HelidonMdc.set(MDC_KEY, id);
        try {
            chain.proceed();
        } finally {
            HelidonMdc.remove(MDC_KEY);
        }
    }

    /**
     * The id of the request being handled on this thread, if any.
     *
     * @return the id
     */
    public static java.util.Optional<String> current() {
        return HelidonMdc.get(MDC_KEY);
    }
}
