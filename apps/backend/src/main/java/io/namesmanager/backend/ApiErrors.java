package io.namesmanager.backend;

import java.util.logging.Level;
import java.util.logging.Logger;

import io.helidon.dbclient.DbClientException;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;

import io.namesmanager.common.JsonErrors;

/**
 * Every error the API answers is {@code {"error": "…"}}: errors raised in handlers are mapped once here, and the
 * direct handlers cover what the server refuses before routing (bodies over the size limit, malformed requests).
 */
final class ApiErrors {

    private static final Logger LOGGER = Logger.getLogger(ApiErrors.class.getName());

    private ApiErrors() {
    }

    /**
     * Registers the error handlers on a routing.
     *
     * @param routing the routing
     */
    static void register(HttpRouting.Builder routing) {
        routing.error(ApiException.class, (req, res, e) -> JsonErrors.send(res, e.status(), e.getMessage()))
                .error(DbClientException.class, (req, res, e) -> {
                    if (transientFailure(e)) {
                        LOGGER.warning(() -> "Database call failed: " + SchemaMigrator.rootCause(e));
                        LOGGER.log(Level.FINE, "Database call failure", e);
                        JsonErrors.send(res, Status.SERVICE_UNAVAILABLE_503, ApiException.databaseUnavailable().getMessage());
                    } else {
                        // A mistyped statement or a schema that does not match is a bug, not an outage.
                        JsonErrors.internalError(req, res, e);
                    }
                });
        JsonErrors.register(routing);
    }

    /**
     * Whether a failed database call is worth retrying later: no connection (or none free in the pool), a timeout,
     * or a server that is shutting down or overloaded — SQL states 08 (connection), 53 (insufficient resources),
     * 57 (operator intervention: admin shutdown, cannot connect now, statement cancelled) and 40001/40P01
     * (serialisation failure, deadlock).
     */
    static boolean transientFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.sql.SQLTransientException || t instanceof java.sql.SQLRecoverableException
                || t instanceof java.net.SocketTimeoutException || t instanceof java.net.ConnectException) {
                return true;
            }
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                return state.startsWith("08") || state.startsWith("53") || state.startsWith("57")
                       || state.equals("40001") || state.equals("40P01");
            }
        }
        return false;
    }
}
