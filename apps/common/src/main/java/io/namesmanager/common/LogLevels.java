package io.namesmanager.common;

import java.util.Locale;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@code LOG_LEVEL} variable: the original app's Python level names mapped onto JUL levels.
 */
public final class LogLevels {

    private LogLevels() {
    }

    /**
     * Maps a level name, case-insensitively: DEBUG, INFO, WARNING, ERROR, CRITICAL.
     *
     * @param name the level name
     * @return the JUL level
     * @throws IllegalArgumentException for any other name
     */
    public static Level parse(String name) {
        return switch (name.trim().toUpperCase(Locale.ROOT)) {
            case "DEBUG" -> Level.FINE;
            case "INFO" -> Level.INFO;
            case "WARNING", "WARN" -> Level.WARNING;
            case "ERROR", "CRITICAL" -> Level.SEVERE;
            default -> throw new IllegalArgumentException(
                    "LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, not '" + name + "'");
        };
    }

    /**
     * Sets the root logger and its handlers to the level.
     *
     * @param level the level
     */
    public static void apply(Level level) {
        Logger root = Logger.getLogger("");
        root.setLevel(level);
        for (Handler handler : root.getHandlers()) {
            handler.setLevel(level);
        }
    }
}
