package io.namesmanager.frontend;

import java.time.Duration;
import java.util.Map;

import io.helidon.config.Config;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class EnvironmentConfigTest {
    @Test
    void mapsTheContractsVariables() {
        Map<String, String> config = EnvironmentConfig.toConfig(Map.of(
                "SERVER_HOST", "127.0.0.1", "SERVER_PORT", " 9090 ", "MANAGEMENT_PORT", "9091",
                "BACKEND_URL", "http://backend:8000", "BACKEND_TIMEOUT_CONNECT", "PT1S", "BACKEND_TIMEOUT_READ", "PT30S"));
        assertThat(config, is(Map.of("server.host", "127.0.0.1", "server.port", "9090",
                                     "server.sockets.0.host", "127.0.0.1", "server.sockets.0.port", "9091",
                                     "backend.url", "http://backend:8000", "backend.timeout.connect", "PT1S",
                                     "backend.timeout.read", "PT30S")));
    }

    @Test
    void ignoresBlankAndUnrelatedVariables() {
        assertThat(EnvironmentConfig.toConfig(Map.of("BACKEND_URL", "  ", "SERVER_FEATURES_OBSERVE_ENABLED", "false",
                                                     "PATH", "/usr/bin")),
                   is(Map.of()));
    }

    @Test
    void variablesOverrideApplicationYaml() {
        Config config = EnvironmentConfig.config(Map.of("SERVER_PORT", "9090", "BACKEND_TIMEOUT_READ", "PT30S"));
        assertThat(config.get("server.port").asInt().get(), is(9090));
        assertThat(config.get("backend.timeout.read").as(Duration.class).get(), is(Duration.ofSeconds(30)));
        assertThat(config.get("backend.url").asString().get(), is("http://api:8000"));
        assertThat(config.get("server.max-payload-size").asLong().get(), is(16_384L));
    }
}
