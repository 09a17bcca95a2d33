/**
 * The Names Manager backend: a Helidon SE REST API for names stored in PostgreSQL.
 * <p>
 * {@link io.namesmanager.backend.Main} starts it; {@link io.namesmanager.backend.NamesBackend} wires the database,
 * the schema migration and the web server; HTTP services and the repository hold one concern each.
 */
package io.namesmanager.backend;
