package io.namesmanager.frontend;

import java.util.Locale;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Maps {@code LOG_LEVEL} (the Python-style names the original app used) to java.util.logging levels.
 */
final class LogLevels {
    private static final Map<String, Level> LEVELS = Map.of(
            "DEBUG", Level.FINE,
            "INFO", Level.INFO,
            "WARNING", Level.WARNING,
            "ERROR", Level.SEVERE,
            "CRITICAL", Level.SEVERE);

    private LogLevels() {
    }

    /**
     * Parses a level name, case-insensitively.
     *
     * @param name one of DEBUG, INFO, WARNING, ERROR, CRITICAL
     * @return the JUL level
     * @throws IllegalArgumentException for any other name, so a typo fails start-up instead of being ignored
     */
    static Level parse(String name) {
        Level level = LEVELS.get(name.strip().toUpperCase(Locale.ROOT));
        if (level == null) {
            throw new IllegalArgumentException("LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, not '"
                                                       + name + "'");
        }
        return level;
    }

    /**
     * Sets the root logger and its handlers to the parsed level.
     *
     * @param name level name, see {@link #parse(String)}
     */
    static void apply(String name) {
        Level level = parse(name);
        Logger root = Logger.getLogger("");
        root.setLevel(level);
        for (Handler handler : root.getHandlers()) {
            handler.setLevel(level);
        }
    }
}
