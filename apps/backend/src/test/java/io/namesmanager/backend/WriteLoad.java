package io.namesmanager.backend;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Concurrent clients adding uniquely named rows until stopped (or a request bound is reached), recording every outcome.
 */
final class WriteLoad implements AutoCloseable {

    private static final int MAX_REQUESTS_PER_CLIENT = 5_000;

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> clients = new ArrayList<>();
    /** Names the API acknowledged with 201. */
    final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    /** Status code → count, for non-201 answers. */
    final Map<Integer, AtomicLong> otherStatuses = new ConcurrentHashMap<>();
    /** Slowest non-201 answer, in milliseconds. */
    final AtomicLong slowestErrorMillis = new AtomicLong();
    final AtomicLong refusedConnections = new AtomicLong();
    /** Names whose request failed other than by a refused connection (closed or cut exchanges). */
    final Set<String> brokenExchanges = ConcurrentHashMap.newKeySet();

    WriteLoad(int port, int clientCount, String prefix) {
        for (int c = 0; c < clientCount; c++) {
            String client = prefix + "-" + c;
            clients.add(Thread.ofPlatform().name(client).start(() -> run(new ApiClient(port), client)));
        }
    }

    long acknowledgedCount() {
        return acknowledged.size();
    }

    private void run(ApiClient api, String client) {
        for (int i = 0; i < MAX_REQUESTS_PER_CLIENT && running.get(); i++) {
            String name = client + "-" + i;
            long start = System.nanoTime();
            try {
                HttpResponse<String> response = api.postJson("/api/names", "{\"name\":\"" + name + "\"}");
                if (response.statusCode() == 201) {
                    acknowledged.add(name);
                } else {
                    otherStatuses.computeIfAbsent(response.statusCode(), s -> new AtomicLong()).incrementAndGet();
                    slowestErrorMillis.accumulateAndGet(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), Math::max);
                }
            } catch (UncheckedIOException e) {
                if (e.getCause() instanceof ConnectException) {
                    refusedConnections.incrementAndGet();
                    pause();
                } else {
                    brokenExchanges.add(name);
                }
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread client : clients) {
            client.join(TimeUnit.SECONDS.toMillis(60));
        }
    }
}
