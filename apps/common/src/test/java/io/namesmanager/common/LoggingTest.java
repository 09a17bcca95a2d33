package io.namesmanager.common;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LoggingTest {

    private static final String LOGGER = "io.namesmanager.backend.ApiErrors";

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
    void unknownFormatFails() {
        var e = assertThrows(IllegalArgumentException.class, () -> Logging.configure(Map.of("LOG_FORMAT", "xml")));
        assertThat(e.getMessage(), is("LOG_FORMAT must be text or json, not 'xml'"));
    }

    @Test
    void jsonLinesCarryTheDocumentedFields() {
        Instant before = Instant.now();
        List<JsonObject> lines = jsonLines(() -> {
            LogRecord failure = record(Level.WARNING, "Database call failed: {0}");
            failure.setParameters(new Object[] {"\"refused\"\n"});
            failure.setThrown(shortTrace(new IllegalStateException("boom")));
            HelidonMdc.set(RequestIds.MDC_KEY, "req-42");
            try {
                Logger.getLogger(LOGGER).log(failure);
            } finally {
                HelidonMdc.remove(RequestIds.MDC_KEY);
            }
            Logger.getLogger(LOGGER).info("started");
        });
        assertThat(lines.toString(), lines.size(), is(2));

        JsonObject failure = lines.get(0);
        assertThat(failure.keySet(),
                   is(Set.of("timestamp", "level", "logger", "message", "thread", "request_id", "exception")));
        Instant timestamp = Instant.parse(failure.getString("timestamp"));
        assertThat(failure.getString("timestamp"), endsWith("Z"));
        assertThat(Duration.between(before, timestamp).abs(), lessThan(Duration.ofMinutes(1)));
        assertThat(failure.getString("level"), is("WARNING"));
        assertThat(failure.getString("logger"), is(LOGGER));
        assertThat(failure.getString("message"), is("Database call failed: \"refused\"\n"));
        assertThat(failure.getString("thread"), is(Thread.currentThread().getName()));
        assertThat(failure.getString("request_id"), is("req-42"));
        assertThat(failure.getString("exception"),
                   containsString("java.lang.IllegalStateException: boom\n\tat " + LoggingTest.class.getName()));

        JsonObject outsideARequest = lines.get(1);
        assertThat(outsideARequest.keySet(), is(Set.of("timestamp", "level", "logger", "message", "thread")));
        assertThat(outsideARequest.getString("level"), is("INFO"));
        assertThat(outsideARequest.getString("message"), is("started"));
    }

    @Test
    void jsonLinesStayValidWhateverTheTextHolds() {
        List<String> messages = List.of("a\\b", "C:\\temp\\new", "\\\"", "tab\there\r\n",
                                        "bell \u0007 nul \u0000 esc \u001b", "100% ${x} $1", "",
                                        "\u00fcn\u00efc\u00f6d\u00e9 \u2713 \uD83D\uDE00");
        List<JsonObject> lines = jsonLines(() -> {
            for (String message : messages) {
                LogRecord record = record(Level.INFO, message);
                record.setThrown(shortTrace(new IllegalArgumentException("bad path \\x\"")));
                Logger.getLogger(LOGGER).log(record);
            }
        });
        assertThat(lines.toString(), lines.size(), is(messages.size()));
        for (int i = 0; i < messages.size(); i++) {
            assertThat(lines.get(i).getString("message"), is(messages.get(i)));
            assertThat(lines.get(i).getString("exception"), containsString("bad path \\x\""));
        }
    }

    @Test
    void jsonLinesCarryAnyThreadName() {
        String name = "worker 100% $1 \\ \"x\"";
        List<JsonObject> lines = jsonLines(() -> {
            Thread thread = new Thread(() -> Logger.getLogger(LOGGER).info("from a worker"), name);
            thread.start();
            try {
                thread.join();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(lines.toString(), lines.size(), is(1));
        assertThat(lines.get(0).getString("thread"), is(name));
    }

    private static Throwable shortTrace(Throwable e) {
        e.setStackTrace(new StackTraceElement[] {e.getStackTrace()[0]});
        return e;
    }

    private static LogRecord record(Level level, String message) {
        LogRecord record = new LogRecord(level, message);
        record.setLoggerName(LOGGER);
        return record;
    }

    /**
     * Configures {@code LOG_FORMAT=json} (the console handler then writes to a captured standard output), runs the
     * logging and parses each line written as one JSON object.
     */
    private static List<JsonObject> jsonLines(Runnable logging) {
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        String output;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            Logging.configure(Map.of("LOG_FORMAT", "json"));
            logging.run();
            // The console handler writes in the platform's default charset, UTF-8 from Java 18 on.
            output = captured.toString(StandardCharsets.UTF_8);
        } finally {
            System.setOut(stdout);
        }
        assertThat(output, endsWith(System.lineSeparator()));
        List<JsonObject> lines = new ArrayList<>();
        for (String line : output.split(System.lineSeparator())) {
            try (var reader = Json.createReader(new StringReader(line))) {
                lines.add(reader.readObject());
            } catch (RuntimeException e) {
                throw new AssertionError("Not one JSON object: " + line, e);
            }
        }
        return lines;
    }
}
