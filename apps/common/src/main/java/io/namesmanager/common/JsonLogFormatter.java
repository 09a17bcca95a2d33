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
 * {@code LOG_FORMAT=json}: one JSON object per line (timestamp, level, logger, message, thread, request id, stack
 * trace), for {@code kubectl logs} piped to a collector.
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
