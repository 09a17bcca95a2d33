package io.namesmanager.frontend;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Which raw request paths the proxy forwards: only plain paths under {@code /api/}. The backend decodes and
 * normalises a path again after the frontend has routed it, so anything that means one thing here and another
 * there is refused: dot segments ({@code .}, {@code ..}), empty segments, and any character that is percent-encoded
 * although it never needs to be — every ASCII character, which covers an encoded {@code .}, {@code /}, {@code \},
 * {@code ;} and {@code %} (a double encoding). Path parameters ({@code ;}), backslashes and other characters
 * outside the unreserved set are refused as they are. Encoded non-ASCII characters pass when they are valid UTF-8
 * (an overlong {@code %c0%ae} is not).
 */
final class ProxyPath {
    static final String PREFIX = "/api/";

    private ProxyPath() {
    }

    /**
     * Whether the proxy may forward RAW_PATH, the path exactly as the request line carried it (still encoded).
     *
     * @param rawPath the encoded path, without the query
     * @return true for a plain path under {@code /api/}
     */
    static boolean forwardable(String rawPath) {
        if (!rawPath.startsWith(PREFIX)) {
            return false;
        }
        for (String segment : rawPath.substring(1).split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..") || !plain(segment)) {
                return false;
            }
        }
        return true;
    }

    /** Unreserved characters, and percent-encoded bytes that are valid UTF-8 above ASCII. */
    private static boolean plain(String segment) {
        ByteBuffer encoded = ByteBuffer.allocate(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '%') {
                if (i + 2 >= segment.length()) {
                    return false;
                }
                int value = hex(segment.charAt(i + 1)) << 4 | hex(segment.charAt(i + 2));
                if (value < 0x80) {
                    return false; // an encoded ASCII character (or a malformed escape: hex() is negative)
                }
                encoded.put((byte) value);
                i += 2;
            } else if (unreserved(c)) {
                encoded.put((byte) c);
            } else {
                return false;
            }
        }
        return validUtf8(encoded.flip());
    }

    private static boolean unreserved(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
               || c == '-' || c == '.' || c == '_' || c == '~';
    }

    private static int hex(char c) {
        int digit = Character.digit(c, 16);
        return digit < 0 ? -0x1000 : digit;
    }

    private static boolean validUtf8(ByteBuffer bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes);
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
