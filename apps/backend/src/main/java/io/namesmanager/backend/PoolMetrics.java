package io.namesmanager.backend;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToIntFunction;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;

import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.metrics.IMetricsTracker;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.metrics.PoolStats;

/**
 * The connection pool in {@code /observe/metrics}, tagged {@code pool=<poolName>}; the names are HikariCP's usual
 * ones, so existing dashboards fit.
 */
final class PoolMetrics implements MetricsTrackerFactory, AutoCloseable {

    private final MeterRegistry registry;
    private final List<Meter> meters = new CopyOnWriteArrayList<>();

    PoolMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * Called by HikariCP while the pool is built: counts connection-acquire timeouts.
     */
    @Override
    public IMetricsTracker create(String poolName, PoolStats poolStats) {
        Counter timeouts = add(Counter.builder("hikaricp.connections.timeout")
                                       .description("Connection acquire timeouts")
                                       .addTag(Tag.create("pool", poolName)));
        return new IMetricsTracker() {
            @Override
            public void recordConnectionTimeout() {
                timeouts.increment();
            }
        };
    }

    /**
     * Gauges read from the running pool.
     *
     * @param poolName the pool's name
     * @param pool     the pool
     */
    void register(String poolName, HikariPoolMXBean pool) {
        gauge("hikaricp.connections.active", "Connections in use", poolName, pool, HikariPoolMXBean::getActiveConnections);
        gauge("hikaricp.connections.idle", "Idle connections", poolName, pool, HikariPoolMXBean::getIdleConnections);
        gauge("hikaricp.connections.pending", "Threads waiting for a connection", poolName, pool,
              HikariPoolMXBean::getThreadsAwaitingConnection);
        gauge("hikaricp.connections", "Open connections", poolName, pool, HikariPoolMXBean::getTotalConnections);
    }

    private void gauge(String name, String description, String poolName, HikariPoolMXBean pool,
                       ToIntFunction<HikariPoolMXBean> value) {
        add(Gauge.builder(name, pool, p -> value.applyAsInt(p))
                    .description(description)
                    .addTag(Tag.create("pool", poolName)));
    }

    private <B extends Meter.Builder<B, M>, M extends Meter> M add(B builder) {
        M meter = registry.getOrCreate(builder);
        meters.add(meter);
        return meter;
    }

    /**
     * Removes the pool's meters: a closed pool must not report, and a new pool of the same name starts afresh.
     */
    @Override
    public void close() {
        meters.forEach(registry::remove);
        meters.clear();
    }
}
