package io.namesmanager.common;

import java.util.concurrent.atomic.AtomicBoolean;

import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Once a stop has begun, every response carries {@code Connection: close}. The server stops accepting connections,
 * but a busy kept-alive connection would go on taking requests until the grace period ends and then be cut
 * mid-request; this way each connection ends cleanly after the request it is serving.
 */
public final class Drain implements Filter {

    private final AtomicBoolean stopping = new AtomicBoolean();

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (stopping.get()) {
            res.header(HeaderValues.CONNECTION_CLOSE);
        }
        chain.proceed();
    }

    /** Call before stopping the server: from now on each connection ends after its current request. */
    public void begin() {
        stopping.set(true);
    }
}
