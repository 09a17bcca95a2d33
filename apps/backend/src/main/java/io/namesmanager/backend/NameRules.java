package io.namesmanager.backend;

import java.util.regex.Pattern;

/**
 * How a submitted name becomes a stored one: whitespace normalised as the original app did, then validated.
 */
final class NameRules {

    /** Any run of Unicode whitespace (spaces, tabs, newlines, no-break spaces). */
    private static final Pattern WHITESPACE_RUN = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);

    private final int maxLength;

    /**
     * @param maxLength longest accepted name, in Unicode code points
     */
    NameRules(int maxLength) {
        if (maxLength < 1) {
            throw new IllegalArgumentException("MAX_NAME_LENGTH must be a positive integer, not " + maxLength);
        }
        this.maxLength = maxLength;
    }

    /**
     * Trims the name, collapses inner whitespace to single spaces and checks what is left.
     *
     * @param raw the name as submitted
     * @return the name to store
     * @throws ApiException 400 if the name is empty, too long or holds characters PostgreSQL cannot store
     */
    String normalise(String raw) {
        String name = WHITESPACE_RUN.matcher(raw).replaceAll(" ").strip();
        if (name.isEmpty()) {
            throw ApiException.badRequest("Name cannot be empty.");
        }
        if (name.codePointCount(0, name.length()) > maxLength) {
            throw ApiException.badRequest("Max length is " + maxLength + " characters.");
        }
        if (name.indexOf('\u0000') >= 0) {
            throw ApiException.badRequest("Name cannot contain the NUL character (U+0000).");
        }
        if (hasUnpairedSurrogate(name)) {
            // Would be stored as '?' by the UTF-8 encoder: refuse rather than corrupt it.
            throw ApiException.badRequest("Name contains an unpaired UTF-16 surrogate.");
        }
        return name;
    }

    int maxLength() {
        return maxLength;
    }

    private static boolean hasUnpairedSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }
}
