package io.namesmanager.backend;

import java.util.logging.Logger;

import io.helidon.dbclient.DbClientService;
import io.helidon.dbclient.DbClientServiceContext;

/**
 * {@code DB_ECHO=true}: logs every statement the service runs (name and SQL; parameter values only at FINE,
 * since they are user data).
 */
final class StatementEcho implements DbClientService {

    private static final Logger LOGGER = Logger.getLogger("io.namesmanager.backend.sql");

    @Override
    public DbClientServiceContext statement(DbClientServiceContext context) {
        LOGGER.info(() -> context.statementName() + ": " + context.statement());
        LOGGER.fine(() -> context.statementName() + " parameters: " + context.statementParameters());
        return context;
    }
}
