package io.namesmanager.backend;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DatabaseSettingsTest {

    @Test
    void defaultsWithoutAnyVariable() {
        DatabaseSettings settings = DatabaseSettings.fromEnvironment(Map.of());
        assertThat(settings.jdbcUrl(), is("jdbc:postgresql://db:5432/namesdb"));
        assertThat(settings.username(), is(nullValue()));
        assertThat(settings.password(), is(nullValue()));
    }

    @Test
    void partsFromPostgresAndDbVariables() {
        DatabaseSettings settings = DatabaseSettings.fromEnvironment(Map.of(
                "DB_HOST", "postgres.local", "DB_PORT", "6543", "POSTGRES_DB", "names",
                "POSTGRES_USER", "app", "POSTGRES_PASSWORD", "s3cret"));
        assertThat(settings.jdbcUrl(), is("jdbc:postgresql://postgres.local:6543/names"));
        assertThat(settings.username(), is("app"));
        assertThat(settings.password(), is("s3cret"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "postgres", "postgresql+psycopg2", "POSTGRESQL+asyncpg"})
    void urlSchemesOfTheOriginalApp(String scheme) {
        DatabaseSettings settings = DatabaseSettings.fromEnvironment(
                Map.of("DATABASE_URL", scheme + "://user:pw@host:5433/names"));
        assertThat(settings.jdbcUrl(), is("jdbc:postgresql://host:5433/names"));
        assertThat(settings.username(), is("user"));
        assertThat(settings.password(), is("pw"));
    }

    @Test
    void percentEncodedCredentialsAreDecoded() {
        DatabaseSettings settings = DatabaseSettings.fromEnvironment(
                Map.of("DATABASE_URL", "postgresql://us%40er:p%3Aw%2Fd+x%25@db/names"));
        assertThat(settings.username(), is("us@er"));
        assertThat(settings.password(), is("p:w/d+x%"));
        assertThat(settings.jdbcUrl(), is("jdbc:postgresql://db:5432/names"));
    }

    @Test
    void queryParametersArePassedToTheDriver() {
        DatabaseSettings settings = DatabaseSettings.fromEnvironment(
                Map.of("DATABASE_URL", "postgres://u:p@db:5432/names?sslmode=require"));
        assertThat(settings.jdbcUrl(), is("jdbc:postgresql://db:5432/names?sslmode=require"));
    }

    @Test
    void missingDatabaseFallsBackToPostgresDb() {
        assertThat(DatabaseSettings.fromEnvironment(Map.of("DATABASE_URL", "postgresql://u:p@db", "POSTGRES_DB", "other"))
                           .jdbcUrl(), is("jdbc:postgresql://db:5432/other"));
    }

    @Test
    void jdbcUrlTakesCredentialsFromPostgresVariables() {
        DatabaseSettings settings = DatabaseSettings.fromEnvironment(Map.of(
                "DATABASE_URL", "jdbc:postgresql://db:5432/names", "POSTGRES_USER", "app", "POSTGRES_PASSWORD", "pw"));
        assertThat(settings.jdbcUrl(), is("jdbc:postgresql://db:5432/names"));
        assertThat(settings.username(), is("app"));
        assertThat(settings.password(), is("pw"));
    }

    @Test
    void dbUrlIsTheFallbackAndDatabaseUrlWins() {
        assertThat(DatabaseSettings.fromEnvironment(Map.of("DB_URL", "postgresql://u:p@fallback/x")).jdbcUrl(),
                   is("jdbc:postgresql://fallback:5432/x"));
        assertThat(DatabaseSettings.fromEnvironment(Map.of("DB_URL", "postgresql://u:p@fallback/x",
                                                           "DATABASE_URL", "postgresql://u:p@primary/x")).jdbcUrl(),
                   is("jdbc:postgresql://primary:5432/x"));
    }

    @Test
    void ipv6HostsKeepTheirBrackets() {
        assertThat(DatabaseSettings.fromEnvironment(Map.of("DATABASE_URL", "postgresql://u:p@[::1]:5432/x")).jdbcUrl(),
                   is("jdbc:postgresql://[::1]:5432/x"));
    }

    @Test
    void otherSchemesAreRefusedWithoutShowingThePassword() {
        var e = assertThrows(IllegalArgumentException.class, () -> DatabaseSettings.fromEnvironment(
                Map.of("DATABASE_URL", "mysql://user:topsecret@db/names")));
        assertThat(e.getMessage(), containsString("postgresql://"));
        assertThat(e.getMessage(), not(containsString("topsecret")));
    }

    @Test
    void unparsableUrlsAreRefusedWithoutShowingThePassword() {
        var e = assertThrows(IllegalArgumentException.class, () -> DatabaseSettings.fromEnvironment(
                Map.of("DATABASE_URL", "postgresql://user:top secret^@db/names")));
        assertThat(e.getMessage(), not(containsString("top secret")));
    }

    @Test
    void toStringNeverShowsThePassword() {
        String text = new DatabaseSettings("jdbc:postgresql://db/x", "app", "topsecret").toString();
        assertThat(text, not(containsString("topsecret")));
        assertThat(text, containsString("app"));
    }

    @Test
    void configKeysForTheConnectionPool() {
        assertThat(new DatabaseSettings("jdbc:postgresql://db/x", "app", "pw").toConfig(), is(Map.of(
                "db.connection.url", "jdbc:postgresql://db/x",
                "db.connection.username", "app",
                "db.connection.password", "pw")));
    }
}
