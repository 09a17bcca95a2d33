package io.namesmanager.backend;

import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbClientException;
import io.helidon.dbclient.DbRow;

/**
 * The only holder of the database client: names in and out of the {@code names} table, through the named
 * statements of {@code application.yaml} (parameters only, never string-built SQL).
 */
final class NamesRepository {

    private final DbClient db;
    private final BooleanSupplier schemaReady;

    /**
     * @param db          the database client
     * @param schemaReady whether the schema is migrated; until then every call answers 503
     */
    NamesRepository(DbClient db, BooleanSupplier schemaReady) {
        this.db = db;
        this.schemaReady = schemaReady;
    }

    /**
     * A page of names with ids greater than {@code after}.
     *
     * @param after last id seen, 0 for the first page
     * @param limit page size
     * @return the page
     */
    NamesPage list(long after, int limit) {
        // One extra row tells whether another page follows.
        List<NameRecord> rows = call(() -> db.execute()
                .createNamedQuery("list-names-after")
                .addParam("after", after)
                .addParam("limit", limit + 1)
                .execute()
                .map(NamesRepository::toRecord)
                .toList());
        if (rows.size() <= limit) {
            return new NamesPage(rows, null);
        }
        List<NameRecord> page = rows.subList(0, limit);
        return new NamesPage(page, page.getLast().id());
    }

    Optional<NameRecord> find(long id) {
        return call(() -> db.execute()
                .createNamedGet("get-name-by-id")
                .addParam("id", id)
                .execute()
                .map(NamesRepository::toRecord));
    }

    NameRecord insert(String name) {
        return call(() -> db.execute()
                .createNamedQuery("insert-name")
                .addParam("name", name)
                .execute()
                .map(NamesRepository::toRecord)
                .findFirst()
                .orElseThrow());
    }

    /**
     * @param id id to delete
     * @return whether a row was deleted
     */
    boolean delete(long id) {
        return call(() -> db.execute()
                .createNamedDelete("delete-name-by-id")
                .addParam("id", id)
                .execute()) > 0;
    }

    /**
     * Whether the database answers a trivial query (used by {@code /api/health/db}; independent of the schema).
     *
     * @return {@code true} if it answered
     */
    boolean ping() {
        try {
            db.execute().namedQuery("ping").forEach(row -> { });
            return true;
        } catch (DbClientException e) {
            return false;
        }
    }

    private <T> T call(Supplier<T> statement) {
        if (!schemaReady.getAsBoolean()) {
            throw ApiException.databaseUnavailable();
        }
        return statement.get();
    }

    private static NameRecord toRecord(DbRow row) {
        return new NameRecord(row.column("id").get(Long.class),
                              row.column("name").get(String.class),
                              row.column("created_at").get(Timestamp.class).toInstant());
    }
}
