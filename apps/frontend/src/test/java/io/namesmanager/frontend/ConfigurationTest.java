package io.namesmanager.frontend;

import java.util.Map;

import io.helidon.config.Config;
import io.helidon.config.ConfigException;
import io.helidon.config.ConfigSources;
import io.helidon.http.Status;

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
        assertThat(BackendClient.baseUri(backend(Map.of())).toString(), is("http://api:8000"));
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
        assertThrows(ConfigException.class, () -> BackendClient.create(backend(Map.of("timeout.read", "10s"))));
    }

    @Test
    void directHandlerMessagesNeverLeakServerErrors() {
        assertThat(JsonResponses.directMessage(Status.INTERNAL_SERVER_ERROR_500, "NullPointerException at Foo.java:12"),
                   is("Internal Server Error."));
        assertThat(JsonResponses.directMessage(Status.REQUEST_ENTITY_TOO_LARGE_413, null), is("Request body is too large."));
        assertThat(JsonResponses.directMessage(Status.BAD_REQUEST_400, "Content length is not a number"),
                   is("Content length is not a number"));
        assertThat(JsonResponses.directMessage(Status.NOT_FOUND_404, ""), is("Not Found."));
    }

    /** A stand-in for the {@code backend} node: its keys are {@code url}, {@code timeout.read}, ... */
    private static Config backend(Map<String, String> keys) {
        return Config.just(ConfigSources.create(keys));
    }
}
