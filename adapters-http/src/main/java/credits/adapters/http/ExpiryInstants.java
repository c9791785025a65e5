package credits.adapters.http;

import credits.domain.InvalidValueException;
import credits.domain.LotTerms;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code expires_at} as the contract accepts it: an RFC 3339 date-time with seconds, with {@code Z} or an
 * offset, with at most millisecond precision (finer would be rounded by storage, so it is refused), strictly in
 * the future and at most ten years ahead ({@link LotTerms#requireExpiryFrom}).
 */
final class ExpiryInstants {

    // The shape first: ISO_OFFSET_DATE_TIME alone would also take "10:30Z" (no seconds) and nanoseconds.
    private static final Pattern RFC_3339 = Pattern.compile(
            "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})");
    private static final String FORMAT_MESSAGE =
            "must be an RFC 3339 date-time with Z or an offset, e.g. \"2027-01-01T00:00:00.000Z\"";
    private static final int MAX_FRACTION_DIGITS = 3;

    private ExpiryInstants() {
    }

    /** @throws InvalidValueException when {@code text} is not such a date-time, or not an expiry allowed at {@code now} */
    static Instant parse(String text, Instant now) {
        Matcher shape = RFC_3339.matcher(text);
        if (!shape.matches()) {
            throw new InvalidValueException(FORMAT_MESSAGE);
        }
        String fraction = shape.group(1); // the dot and the digits, if any
        if (fraction != null && fraction.length() - 1 > MAX_FRACTION_DIGITS) {
            throw new InvalidValueException("must not be more precise than milliseconds");
        }
        Instant expiresAt;
        try {
            // Strict resolving: February 30th or hour 24 is refused, not rolled over.
            expiresAt = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidValueException(FORMAT_MESSAGE);
        }
        return LotTerms.requireExpiryFrom(expiresAt, now);
    }
}
