package io.namesmanager.backend;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NameRulesTest {

    private final NameRules rules = new NameRules(5);

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"Ada|Ada", "'  Ada  '|Ada", "'a \t\n b'|a b", "'a\u00a0\u2003b'|a b",
            "'\r\nx\r\n'|x", "<b>|<b>"})
    void whitespaceIsNormalised(String raw, String stored) {
        assertThat(rules.normalise(raw), is(stored));
    }

    @Test
    void lengthLimitCountsCodePointsAfterNormalising() {
        assertThat(rules.normalise("  a   b   c  "), is("a b c"));
        assertThat(rules.normalise("\uD83D\uDE00".repeat(5)), is("\uD83D\uDE00".repeat(5)));
        ApiException e = assertThrows(ApiException.class, () -> rules.normalise("abcdef"));
        assertThat(e.getMessage(), is("Max length is 5 characters."));
        assertThat(e.status().code(), is(400));
    }

    @Test
    void emptyAfterTrimmingIsRefused() {
        assertThat(assertThrows(ApiException.class, () -> rules.normalise(" \t ")).getMessage(), is("Name cannot be empty."));
    }

    @Test
    void nulAndUnpairedSurrogatesAreRefused() {
        assertThrows(ApiException.class, () -> rules.normalise("a\u0000b"));
        assertThrows(ApiException.class, () -> rules.normalise("a\uD800b"));
        assertThrows(ApiException.class, () -> rules.normalise("a\uDC00"));
    }

    @Test
    void nonPositiveLimitIsAConfigurationError() {
        assertThrows(IllegalArgumentException.class, () -> new NameRules(0));
    }
}
