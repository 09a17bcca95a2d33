package io.namesmanager.frontend;

import java.util.logging.Level;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LogLevelsTest {
    @ParameterizedTest
    @CsvSource({"DEBUG, FINE", "info, INFO", " Warning , WARNING", "ERROR, SEVERE", "critical, SEVERE"})
    void mapsTheOriginalLevelNames(String name, String julLevel) {
        assertThat(LogLevels.parse(name), is(Level.parse(julLevel)));
    }

    @Test
    void refusesUnknownNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LogLevels.parse("verbose"));
        assertThat(e.getMessage(), containsString("'verbose'"));
    }
}
