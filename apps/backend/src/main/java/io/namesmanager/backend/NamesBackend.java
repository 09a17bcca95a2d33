package io.namesmanager.backend;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Properties;

import io.helidon.config.Config;
import io.helidon.dbclient.DbClient;
import io.helidon.health.HealthCheckType;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;

import io.namesmanager.common.Drain;
import io.namesmanager.common.JsonErrors;
import io.namesmanager.common.RequestIds;

/**
 * The running backend: database client, schema migration and web server, started together and closed in order.
 */
final class NamesBackend implements AutoCloseable {

    private final WebServer server;
    private final DbClient db;
    private final SchemaMigrator migrator;
    private final Drain drain;

    private NamesBackend(WebServer server, DbClient db, SchemaMigrator migrator, Drain drain) {
        this.server = server;
        this.db = db;
        this.migrator = migrator;
        this.drain = drain;
    }

    /**
     * Starts the backend. It answers at once; readiness waits for the database and the schema migration.
     *
     * @param config the root configuration ({@code server}, {@code app}, {@code db})
     * @return the running backend
     */
    static NamesBackend start(Config config) {
        Config dbConfig = config.get("db");
        SchemaMigrator migrator = new SchemaMigrator(
                databaseSettings(dbConfig.get("connection")),
                Duration.ofSeconds(dbConfig.get("connection.dataSource.connectTimeout").asInt().get()),
                dbConfig.get("migration.socket-timeout").as(Duration.class).get())
                .startInBackground();
        DbClient.Builder dbBuilder = DbClient.builder().config(dbConfig);
        if (dbConfig.get("echo").asBoolean().get()) {
            dbBuilder.addService(new StatementEcho());
        }
        DbClient db = dbBuilder.build();
        NamesRepository repository = new NamesRepository(db, migrator::migrated);
        NameRules rules = new NameRules(config.get("app.max-name-length").asInt().get());
        String serviceName = config.get("app.name").asString().get();

        ObserveFeature observe = ObserveFeature.builder()
                .config(config.get("server.features.observe"))
                .addObserver(HealthObserver.builder()
                                     .config(config.get("server.features.observe.observers.health"))
                                     // readiness, not liveness: a database outage must not restart pods
                                     .addCheck(new DatabaseHealthCheck(db))
                                     .addCheck(migrator::readiness, HealthCheckType.READINESS, "schema")
                                     .build())
                .build();
        Drain drain = new Drain();
        WebServer server = WebServer.builder()
                .config(config.get("server"))
                .directHandlers(JsonErrors.directHandlers(headers -> { }))
                .addFeature(observe)
                .routing(routing -> routing(routing.addFilter(new RequestIds())
                                                         .addFilter(drain),
                                                  repository, rules, serviceName))
                .build()
                .start();
        return new NamesBackend(server, db, migrator, drain);
    }

    /**
     * The HTTP routes: the names API, the health endpoints, JSON errors.
     *
     * @param routing     routing to fill
     * @param repository  the repository
     * @param rules       name validation
     * @param serviceName name reported by {@code /api/health}
     */
    static void routing(HttpRouting.Builder routing, NamesRepository repository, NameRules rules, String serviceName) {
        routing.register("/", new HealthService(repository, serviceName, version()))
                .register("/api/names", new NamesService(repository, rules));
        ApiErrors.register(routing);
    }

    /**
     * The project version this build was made from.
     *
     * @return the version
     */
    static String version() {
        try (InputStream in = NamesBackend.class.getResourceAsStream("/build-info.properties")) {
            Properties info = new Properties();
            if (in != null) {
                info.load(in);
            }
            return info.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return server.port();
    }

    /**
     * The port of the management socket: {@code /observe/health} and {@code /observe/metrics}.
     *
     * @return the bound port
     */
    int managementPort() {
        return server.port("management");
    }

    boolean migrated() {
        return migrator.migrated();
    }

    /**
     * Graceful stop: no new connections, in-flight requests finish (up to {@code server.shutdown-grace-period}),
     * then the migration is abandoned and the connection pool closed.
     */
    @Override
    public void close() {
        drain.begin();
        server.stop();
        migrator.close();
        db.close();
    }

    private static DatabaseSettings databaseSettings(Config connection) {
        return new DatabaseSettings(connection.get("url").asString().get(),
                                    connection.get("username").asString().orElse(null),
                                    connection.get("password").asString().orElse(null));
    }
}
