package io.namesmanager.frontend;

import java.util.Map;

import io.helidon.config.Config;
import io.helidon.config.ConfigException;
import io.helidon.config.ConfigSources;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Configuration that cannot work fails at start-up with a message naming the variable.
 */
class ConfigurationTest {
    @Test
    void backendUrlDefaultsToTheClusterService() {
        assertThat(BackendClient.baseUri(EnvironmentConfig.config(Map.of()).get("backend")).toString(),
                   is("http://api:8000"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"api:8000", "ftp://api:8000", "http://", "http://bad host:80", " "})
    void refusesBackendUrlsThatCannotWork(String url) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                                                  () -> BackendClient.baseUri(backend(Map.of("url", url))));
        assertThat(e.getMessage(), containsString("BACKEND_URL"));
    }

    @Test
    void refusesTimeoutsThatAreNotDurations() {
        assertThrows(ConfigException.class, () -> BackendClient.create(backend(Map.of("url", "http://api:8000", "timeout.connect", "PT1S", "timeout.read", "10s"))));
    }

    @Test
    void backendTimeoutsBeyondTheGracePeriodStopStartUp() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NamesFrontend.start(
                EnvironmentConfig.config(Map.of("SERVER_PORT", "0", "MANAGEMENT_PORT", "0",
                                                "BACKEND_TIMEOUT_CONNECT", "PT3S", "BACKEND_TIMEOUT_READ", "PT40S"))));
        assertThat(e.getMessage(), is("BACKEND_TIMEOUT_CONNECT + BACKEND_TIMEOUT_READ must be at most "
                                      + "server.shutdown-grace-period (PT12S), not PT43S"));
    }

    /** A stand-in for the {@code backend} node: its keys are {@code url}, {@code timeout.read}, ... */
    private static Config backend(Map<String, String> keys) {
        return Config.just(ConfigSources.create(keys));
    }
}
