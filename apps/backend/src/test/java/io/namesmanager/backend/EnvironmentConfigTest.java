package io.namesmanager.backend;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasEntry;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The deployment contract's variables as configuration keys.
 */
class EnvironmentConfigTest {

    @Test
    void variablesBecomeConfigKeys() {
        Map<String, String> config = EnvironmentConfig.toConfig(Map.of(
                "SERVER_HOST", "127.0.0.1", "SERVER_PORT", "9000", "MANAGEMENT_PORT", "9001", "MAX_NAME_LENGTH", "80",
                "DB_ECHO", "TRUE"));
        assertThat(config, hasEntry("server.host", "127.0.0.1"));
        assertThat(config, hasEntry("server.port", "9000"));
        assertThat(config, hasEntry("server.sockets.0.host", "127.0.0.1"));
        assertThat(config, hasEntry("server.sockets.0.port", "9001"));
        assertThat(config, hasEntry("app.max-name-length", "80"));
        assertThat(config, hasEntry("db.echo", "true"));
        assertThat(config, hasEntry("db.connection.url", "jdbc:postgresql://db:5432/namesdb"));
    }

    @Test
    void configuredMaxNameLengthReachesTheApp() {
        var config = EnvironmentConfig.config(Map.of("MAX_NAME_LENGTH", "7"));
        assertThat(config.get("app.max-name-length").asInt().get(), is(7));
        assertThat(EnvironmentConfig.config(Map.of()).get("app.max-name-length").asInt().get(), is(50));
        assertThat(EnvironmentConfig.config(Map.of()).get("server.port").asInt().get(), is(8000));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-5", "ten", "1.5", "99999999999"})
    void badMaxNameLengthFailsStartUp(String value) {
        var e = assertThrows(IllegalArgumentException.class,
                             () -> EnvironmentConfig.toConfig(Map.of("MAX_NAME_LENGTH", value)));
        assertThat(e.getMessage(), containsString("MAX_NAME_LENGTH"));
    }

    @Test
    void badDbEchoFailsStartUp() {
        assertThrows(IllegalArgumentException.class, () -> EnvironmentConfig.toConfig(Map.of("DB_ECHO", "yes please")));
    }
}
