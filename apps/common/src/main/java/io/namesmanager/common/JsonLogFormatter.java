package io.namesmanager.common;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

import io.helidon.logging.common.HelidonMdc;

import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;

/**
 * {@code LOG_FORMAT=json}: one JSON object per line, for {@code kubectl logs} piped to a collector. Every line has
 * {@code timestamp} (the record's instant, ISO-8601 in UTC, {@link Instant#toString()}), {@code level} (the JUL name:
 * {@code FINE}, {@code INFO}, {@code WARNING}, {@code SEVERE}), {@code logger}, {@code message} (parameters filled
 * in) and {@code thread} (the logging thread's name); {@code request_id} ({@link RequestIds#MDC_KEY} in
 * {@link HelidonMdc}) only inside a request, {@code exception} (the stack trace) only when the record has one. Any
 * text is escaped as JSON requires, so a line is valid JSON whatever the message holds.
 *
 * <p>Why not Helidon's own {@code io.helidon.logging.jul.HelidonJsonFormatter} (helidon-logging-jul 4.5.0): its
 * field names are configurable ({@code io.helidon.logging.jul.HelidonJsonFormatter.fields}, comma-separated
 * {@code name:format} pairs with {@code SimpleFormatter}'s arguments {@code %1$} to {@code %6$}, {@code !thread!} and
 * {@code %X{key}} for an MDC value), so it could write these names, but not always valid JSON:
 * <ul>
 * <li>its string escaping handles {@code "}, newline, tab, carriage return and form feed only: a single backslash
 * is written as it is and other control characters raw, so a stored name {@code a\b} (its statement's parameters
 * are logged with {@code DB_ECHO} at {@code DEBUG}) or an exception whose message holds a backslash gives a line no
 * JSON parser accepts, and {@code \"} even ends the string early;</li>
 * <li>the thread name and MDC values go into its format string, as a regex replacement, before
 * {@link String#format}: a {@code %} or {@code $} in a thread name makes formatting throw (the record is lost), a
 * backslash is dropped (request ids cannot hold these characters, thread names can);</li>
 * <li>an empty value is left out, so an empty message gives a line without {@code message}.</li>
 * </ul>
 * {@code LoggingTest} pins these cases.
 */
public final class JsonLogFormatter extends Formatter {

    @Override
    public String format(LogRecord record) {
        JsonObjectBuilder line = Json.createObjectBuilder()
                .add("timestamp", Instant.ofEpochMilli(record.getMillis()).toString())
                .add("level", record.getLevel().getName())
                .add("logger", record.getLoggerName() == null ? "" : record.getLoggerName())
                .add("message", formatMessage(record))
                .add("thread", Thread.currentThread().getName());
        HelidonMdc.get(RequestIds.MDC_KEY).ifPresent(id -> line.add("request_id", id));
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            line.add("exception", trace.toString());
        }
        return line.build() + System.lineSeparator();
    }
}
