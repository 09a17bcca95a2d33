package io.namesmanager.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

import io.helidon.logging.common.LogConfig;

/**
 * Logging as the environment asks: Helidon's JUL set-up from {@code logging.properties}, then {@code LOG_LEVEL}
 * (default INFO) and {@code LOG_FORMAT} ({@code text}, the default, or {@code json}).
 */
public final class Logging {

    private static final String HELIDON_LOGGING_DISABLED = "io.helidon.logging.config.disabled";

    private Logging() {
    }

    /**
     * Configures logging.
     *
     * @param env the environment
     * @throws IllegalArgumentException for an unknown level or format (start-up should stop with the message)
     */
    public static void configure(Map<String, String> env) {
        String format = env.getOrDefault("LOG_FORMAT", "text").trim().toLowerCase(Locale.ROOT);
        if (!format.equals("text") && !format.equals("json")) {
            throw new IllegalArgumentException("LOG_FORMAT must be text or json, not '" + env.get("LOG_FORMAT") + "'");
        }
        Level level = LogLevels.parse(env.getOrDefault("LOG_LEVEL", "INFO"));
        if (format.equals("json")) {
            // Helidon's set-up logs a plain-text line and may run again later: read the same file ourselves and
            // tell Helidon to leave logging alone, so every line is JSON.
            System.setProperty(HELIDON_LOGGING_DISABLED, "true");
            readClasspathConfiguration();
            for (Handler handler : Logger.getLogger("").getHandlers()) {
                handler.setFormatter(new JsonLogFormatter());
            }
        } else {
            System.clearProperty(HELIDON_LOGGING_DISABLED);
            LogConfig.configureRuntime();
        }
        LogLevels.apply(level);
    }

    private static void readClasspathConfiguration() {
        try (InputStream in = Logging.class.getResourceAsStream("/logging.properties")) {
            if (in != null) {
                LogManager.getLogManager().readConfiguration(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read logging.properties", e);
        }
    }
}
