package io.namesmanager.common;

import io.helidon.http.Status;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class JsonErrorsTest {
    @Test
    void directHandlerMessagesNeverLeakServerErrors() {
        assertThat(JsonErrors.directMessage(Status.INTERNAL_SERVER_ERROR_500, "NullPointerException at Foo.java:12"),
                   is("Internal server error."));
        assertThat(JsonErrors.directMessage(Status.SERVICE_UNAVAILABLE_503, "pool exhausted at Bar.java:3"),
                   is("Service Unavailable."));
        assertThat(JsonErrors.directMessage(Status.REQUEST_ENTITY_TOO_LARGE_413, null), is("Request body is too large."));
        assertThat(JsonErrors.directMessage(Status.BAD_REQUEST_400, "Content length is not a number"),
                   is("Content length is not a number"));
        assertThat(JsonErrors.directMessage(Status.NOT_FOUND_404, ""), is("Not Found."));
    }

    @Test
    void theBodyIsEscapedJson() {
        assertThat(new String(JsonErrors.body("a \"quoted\"\nline"), java.nio.charset.StandardCharsets.UTF_8),
                   is("{\"error\":\"a \\\"quoted\\\"\\nline\"}"));
    }
}
