package io.namesmanager.common;

import java.io.StringReader;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.helidon.logging.common.HelidonMdc;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LoggingTest {

    @AfterEach
    void reset() {
        Logging.configure(Map.of());
    }

    @ParameterizedTest
    @CsvSource({"DEBUG,FINE", "debug,FINE", "INFO,INFO", "Warning,WARNING", "ERROR,SEVERE", "CRITICAL,SEVERE"})
    void logLevelsMapToJul(String name, String julLevel) {
        assertThat(LogLevels.parse(name), is(Level.parse(julLevel)));
    }

    @Test
    void unknownLogLevelFailsWithTheAllowedNames() {
        var e = assertThrows(IllegalArgumentException.class, () -> LogLevels.parse("verbose"));
        assertThat(e.getMessage(), containsString("DEBUG, INFO, WARNING, ERROR, CRITICAL"));
    }

    @Test
    void levelAppliesToTheRootLogger() {
        Logging.configure(Map.of("LOG_LEVEL", "debug"));
        assertThat(Logger.getLogger("").getLevel(), is(Level.FINE));
    }

    @Test
    void jsonFormatInstallsTheJsonFormatter() {
        Logging.configure(Map.of("LOG_FORMAT", "JSON"));
        for (var handler : Logger.getLogger("").getHandlers()) {
            assertThat(handler.getFormatter(), instanceOf(JsonLogFormatter.class));
        }
    }

    @Test
    void unknownFormatFails() {
        var e = assertThrows(IllegalArgumentException.class, () -> Logging.configure(Map.of("LOG_FORMAT", "xml")));
        assertThat(e.getMessage(), is("LOG_FORMAT must be text or json, not 'xml'"));
    }

    @Test
    void jsonLinesCarryTheFieldsAndTheRequestId() {
        LogRecord record = new LogRecord(Level.WARNING, "Database call failed: {0}");
        record.setParameters(new Object[] {"\"refused\"\n"});
        record.setLoggerName("io.namesmanager.backend.ApiErrors");
        record.setThrown(new IllegalStateException("boom"));
        HelidonMdc.set(RequestIds.MDC_KEY, "req-42");
        String line;
        try {
            line = new JsonLogFormatter().format(record);
        } finally {
            HelidonMdc.remove(RequestIds.MDC_KEY);
        }
        assertThat(line, endsWith(System.lineSeparator()));
        assertThat(line.strip().contains("\n"), is(false));
        JsonObject json = Json.createReader(new StringReader(line)).readObject();
        assertThat(json.getString("level"), is("WARNING"));
        assertThat(json.getString("logger"), is("io.namesmanager.backend.ApiErrors"));
        assertThat(json.getString("message"), is("Database call failed: \"refused\"\n"));
        assertThat(json.getString("request_id"), is("req-42"));
        assertThat(json.getString("exception"), containsString("IllegalStateException: boom"));
        assertThat(json.getString("timestamp"), endsWith("Z"));
    }

    @Test
    void noRequestIdOutsideARequest() {
        String line = new JsonLogFormatter().format(new LogRecord(Level.INFO, "started"));
        assertThat(Json.createReader(new StringReader(line)).readObject().containsKey("request_id"), is(false));
    }
}
