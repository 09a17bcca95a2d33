package io.namesmanager.frontend;

import io.helidon.http.HeaderNames;
import io.helidon.http.WritableHeaders;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class ProxyHeadersTest {
    private static final ProxyHeaders.Client CLIENT = new ProxyHeaders.Client("192.0.2.7", "https", "names.example");

    @Test
    void towardsBackendDropsHopByHopAndHeadersNamedInConnection() {
        WritableHeaders<?> in = WritableHeaders.create();
        in.set(HeaderNames.CONNECTION, "keep-alive, X-Session-Hop");
        in.set(HeaderNames.create("X-Session-Hop"), "1");
        in.set(HeaderNames.TRANSFER_ENCODING, "chunked");
        in.set(HeaderNames.UPGRADE, "websocket");
        in.set(HeaderNames.CONTENT_LENGTH, "12");
        in.set(HeaderNames.ACCEPT, "application/json");

        WritableHeaders<?> out = ProxyHeaders.toBackend(in, CLIENT);

        assertThat(out.contains(HeaderNames.CONNECTION), is(false));
        assertThat(out.contains(HeaderNames.create("X-Session-Hop")), is(false));
        assertThat(out.contains(HeaderNames.TRANSFER_ENCODING), is(false));
        assertThat(out.contains(HeaderNames.UPGRADE), is(false));
        assertThat(out.contains(HeaderNames.CONTENT_LENGTH), is(false));
        assertThat(out.get(HeaderNames.ACCEPT).get(), is("application/json"));
    }

    @Test
    void towardsBackendReplacesClientSuppliedForwardingHeadersButKeepsTheChain() {
        WritableHeaders<?> in = WritableHeaders.create();
        in.set(HeaderNames.X_FORWARDED_FOR, "203.0.113.1", "198.51.100.2");
        in.set(HeaderNames.create("X-Real-IP"), "10.0.0.1");
        in.set(HeaderNames.X_FORWARDED_PROTO, "gopher");

        WritableHeaders<?> out = ProxyHeaders.toBackend(in, CLIENT);

        assertThat(out.get(HeaderNames.X_FORWARDED_FOR).values(), is("203.0.113.1, 198.51.100.2, 192.0.2.7"));
        assertThat(out.get(HeaderNames.create("X-Real-IP")).get(), is("192.0.2.7"));
        assertThat(out.get(HeaderNames.X_FORWARDED_PROTO).get(), is("https"));
        assertThat(out.get(HeaderNames.X_FORWARDED_HOST).get(), is("names.example"));
    }

    @Test
    void towardsClientKeepsEndToEndHeadersOnly() {
        WritableHeaders<?> backend = WritableHeaders.create();
        backend.set(HeaderNames.CONNECTION, "close");
        backend.set(HeaderNames.create("Keep-Alive"), "timeout=5");
        backend.set(HeaderNames.DATE, "Mon, 23 Nov 2026 10:00:00 GMT");
        backend.set(HeaderNames.LOCATION, "/api/names/3");
        backend.set(HeaderNames.CONTENT_LENGTH, "57");

        WritableHeaders<?> response = WritableHeaders.create();
        ProxyHeaders.toClient(backend, response);

        assertThat(response.contains(HeaderNames.CONNECTION), is(false));
        assertThat(response.contains(HeaderNames.create("Keep-Alive")), is(false));
        assertThat(response.contains(HeaderNames.DATE), is(false));
        assertThat(response.get(HeaderNames.LOCATION).get(), is("/api/names/3"));
        assertThat(response.get(HeaderNames.CONTENT_LENGTH).get(), is("57"));
    }
}
