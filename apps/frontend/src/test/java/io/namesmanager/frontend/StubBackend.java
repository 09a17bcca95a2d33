package io.namesmanager.frontend;

import java.io.StringReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;

/**
 * A backend that shows what the proxy sent it: {@code /api/echo/**} answers the request it received as JSON,
 * {@code /api/status/{code}} answers that status, {@code /api/slow} sleeps past the proxy's read timeout and
 * {@code /api/large} streams {@value #LARGE_SIZE} bytes. {@code /api/names} is a sluggish names API (each answer
 * takes {@link #NAMES_DELAY}) that shows the UI's loading and saving states.
 */
final class StubBackend implements AutoCloseable {
    static final int LARGE_SIZE = 1 << 20;
    static final Header HOP_HEADER = HeaderValues.create("X-Hop", "connection-scoped");
    static final Duration NAMES_DELAY = Duration.ofMillis(1_500);

    private final AtomicInteger requests = new AtomicInteger();
    private final WebServer server;

    private StubBackend(int port) {
        server = WebServer.builder()
                .host("127.0.0.1")
                .port(port)
                .routing(this::routing)
                .build()
                .start();
    }

    /**
     * Starts a stub on a free port.
     *
     * @return running stub
     */
    static StubBackend start() {
        return new StubBackend(0);
    }

    /**
     * Starts a stub on a given port, e.g. to replace one that was stopped.
     *
     * @param port port to bind
     * @return running stub
     */
    static StubBackend startOn(int port) {
        return new StubBackend(port);
    }

    String url() {
        return "http://127.0.0.1:" + server.port();
    }

    int port() {
        return server.port();
    }

    /**
     * Requests received so far.
     *
     * @return count
     */
    int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop();
    }

    private void routing(HttpRouting.Builder routing) {
        routing.addFilter((chain, req, res) -> {
                    requests.incrementAndGet();
                    chain.proceed();
                })
                .any("/api/echo/*", StubBackend::echo)
                .any("/api/status/{code}", StubBackend::status)
                .get("/api/slow", (req, res) -> {
                    Thread.sleep(1_500);
                    res.send("too late");
                })
                .get("/api/names", (req, res) -> {
                    Thread.sleep(NAMES_DELAY);
                    res.header(HeaderNames.CONTENT_TYPE, "application/json").send("{\"names\":[],\"next\":null}");
                })
                .post("/api/names", (req, res) -> {
                    String name = Json.createReader(new StringReader(req.content().as(String.class))).readObject()
                            .getString("name");
                    Thread.sleep(NAMES_DELAY);
                    res.status(Status.CREATED_201)
                            .header(HeaderNames.CONTENT_TYPE, "application/json")
                            .send(Json.createObjectBuilder()
                                          .add("id", 1)
                                          .add("name", name)
                                          .add("created_at", "2026-11-23T10:15:30.123Z")
                                          .build()
                                          .toString());
                })
                .get("/api/large", (req, res) -> {
                    byte[] large = new byte[LARGE_SIZE];
                    for (int i = 0; i < large.length; i++) {
                        large[i] = (byte) ('a' + i % 26);
                    }
                    res.header(HeaderNames.CONTENT_TYPE, "text/plain");
                    try (var out = res.outputStream()) {
                        out.write(large);
                    }
                });
    }

    private static void echo(ServerRequest req, ServerResponse res) {
        JsonObjectBuilder headers = Json.createObjectBuilder();
        req.headers().forEach(h -> headers.add(h.name().toLowerCase(Locale.ROOT), h.values()));
        byte[] body = req.content().hasEntity() ? req.content().as(byte[].class) : new byte[0];
        res.header(HeaderNames.CONTENT_TYPE, "application/json")
                .send(Json.createObjectBuilder()
                              .add("method", req.prologue().method().text())
                              .add("path", req.prologue().uriPath().path())
                              .add("query", req.query().rawValue())
                              .add("peerPort", ((InetSocketAddress) req.remotePeer().address()).getPort())
                              .add("headers", headers)
                              .add("body", new String(body, StandardCharsets.UTF_8))
                              .add("base64", Base64.getEncoder().encodeToString(body))
                              .build()
                              .toString());
    }

    private static void status(ServerRequest req, ServerResponse res) {
        Status status = Status.create(Integer.parseInt(req.path().pathParameters().get("code")));
        res.status(status)
                .header(HeaderValues.create("X-Backend", "stub"))
                .header(HeaderValues.create(HeaderNames.CONNECTION, "X-Hop"))
                .header(HOP_HEADER)
                .header(HeaderValues.create("Keep-Alive", "timeout=5"))
                .header(HeaderNames.LOCATION, "/api/names/7");
        if (status.code() == 204 || status.code() == 304 || req.prologue().method().text().equals("HEAD")) {
            res.send();
        } else {
            res.header(HeaderNames.CONTENT_TYPE, "application/json").send("{\"error\":\"status " + status.code() + "\"}");
        }
    }
}
