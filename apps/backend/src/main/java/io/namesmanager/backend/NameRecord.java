package io.namesmanager.backend;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import jakarta.json.JsonObject;

/**
 * A stored name.
 *
 * @param id        database id
 * @param name      the name
 * @param createdAt when it was added
 */
record NameRecord(long id, String name, Instant createdAt) {

    /** UTC with milliseconds and a {@code Z}, e.g. {@code 2026-11-22T10:15:30.123Z}. */
    private static final DateTimeFormatter CREATED_AT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    JsonObject toJson() {
        return JsonBodies.JSON.createObjectBuilder()
                .add("id", id)
                .add("name", name)
                .add("created_at", CREATED_AT.format(createdAt))
                .build();
    }
}
