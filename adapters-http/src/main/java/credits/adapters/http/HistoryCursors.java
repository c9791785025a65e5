package credits.adapters.http;

import credits.domain.HistoryCursor;
import credits.domain.InvalidValueException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque {@code next_cursor}: base64url (no padding) of {@code "v1:<position>"}. The version
 * prefix lets the format change later without misreading cursors clients still hold. Decoding accepts
 * only what {@link #encode} can produce, so any other text is a client error, never a server one.
 */
final class HistoryCursors {

    private static final String VERSION = "v1:";
    // "v1:" + 19 digits (Long.MAX_VALUE) is 22 bytes, 30 characters in base64url.
    private static final int MAX_LENGTH = 32;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final String MESSAGE = "must be a next_cursor returned by a previous page";

    private HistoryCursors() {
    }

    static String encode(HistoryCursor cursor) {
        return ENCODER.encodeToString((VERSION + cursor.position()).getBytes(StandardCharsets.US_ASCII));
    }

    /** @throws InvalidValueException when the text is not a cursor {@link #encode} made */
    static HistoryCursor decode(String text) {
        if (text.isEmpty() || text.length() > MAX_LENGTH) {
            throw new InvalidValueException(MESSAGE);
        }
        byte[] bytes;
        try {
            bytes = DECODER.decode(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidValueException(MESSAGE);
        }
        // Only the canonical spelling: no padding, no alternative final characters.
        if (!ENCODER.encodeToString(bytes).equals(text)) {
            throw new InvalidValueException(MESSAGE);
        }
        String decoded = new String(bytes, StandardCharsets.ISO_8859_1);
        if (!decoded.startsWith(VERSION)) {
            throw new InvalidValueException(MESSAGE);
        }
        String digits = decoded.substring(VERSION.length());
        if (!isCanonicalNumber(digits)) {
            throw new InvalidValueException(MESSAGE);
        }
        try {
            return new HistoryCursor(Long.parseLong(digits));
        } catch (NumberFormatException e) {
            // More than Long.MAX_VALUE.
            throw new InvalidValueException(MESSAGE);
        }
    }

    private static boolean isCanonicalNumber(String digits) {
        if (digits.isEmpty() || digits.length() > 19 || (digits.length() > 1 && digits.charAt(0) == '0')) {
            return false;
        }
        return digits.chars().allMatch(c -> c >= '0' && c <= '9');
    }
}
