package credits.adapters.http;

import credits.adapters.http.error.ApiException;
import credits.adapters.http.error.ErrorCode;
import credits.adapters.http.error.FieldError;
import credits.adapters.http.error.FieldErrors;
import credits.domain.HistoryCursor;
import credits.domain.InvalidValueException;
import io.helidon.common.uri.UriQueryWriteable;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.StatisticsReport;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.LongRange;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The history cursor, base64url (unpadded) of {@code "v1:<position>"}: what the service issues comes back
 * as the same position, and any other text a client can send is a 400 naming {@code cursor}.
 */
class HistoryCursorsProperties {

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Pattern URL_SAFE = Pattern.compile("[A-Za-z0-9_-]+");
    /** What decodes, written from the format: the version, then a non-negative decimal without a leading zero. */
    private static final Pattern VERSIONED_POSITION = Pattern.compile("v1:(0|[1-9][0-9]{0,18})");

    @Property(tries = 1000)
    void everyNonNegativePositionComesBackFromItsCursorUnchanged(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long position) {
        String cursor = HistoryCursors.encode(new HistoryCursor(position));

        assertThat(cursor, URL_SAFE.matcher(cursor).matches(), is(true));
        assertThat(HistoryCursors.decode(cursor).position(), is(position));
        assertThat(query(cursor), is(Optional.of(new HistoryCursor(position))));
    }

    @Property(tries = 1000)
    @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
    void anyTextIsEitherACursorTheServiceIssuedOrRefusedAsA400NamingTheCursor(@ForAll("anyText") String text) {
        Statistics.collect(assertDecodedOnlyIfIssued(text) ? "accepted" : "refused");
        bothOutcomesOccur();
    }

    @Property(tries = 1000)
    @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
    void anyBytesInBase64UrlAreAcceptedOnlyAsAVersionedNonNegativePosition(@ForAll("cursorLikeBytes") byte[] bytes) {
        String text = BASE64URL.encodeToString(bytes);
        String decoded = new String(bytes, StandardCharsets.ISO_8859_1);
        boolean wellFormed = VERSIONED_POSITION.matcher(decoded).matches() && fitsInALong(decoded.substring(3));
        Statistics.collect(wellFormed ? "accepted" : "refused");
        bothOutcomesOccur();

        if (wellFormed) {
            assertThat(HistoryCursors.decode(text).position(), is(Long.parseLong(decoded.substring(3))));
        } else {
            assertRefusedNamingTheCursor(text);
        }
    }

    /** Accepted text is exactly what {@link HistoryCursors#encode} makes of the position it decodes to; nothing else is. */
    private static boolean assertDecodedOnlyIfIssued(String text) {
        HistoryCursor cursor;
        try {
            cursor = HistoryCursors.decode(text);
        } catch (InvalidValueException refused) {
            assertRefusedNamingTheCursor(text);
            return false;
        }
        assertThat(cursor.position(), greaterThanOrEqualTo(0L));
        assertThat(HistoryCursors.encode(cursor), is(text));
        return true;
    }

    /** Both outcomes must really occur, or the property proves nothing about one of them. */
    private static void bothOutcomesOccur() {
        Statistics.coverage(coverage -> {
            coverage.check("accepted").percentage(p -> p > 5);
            coverage.check("refused").percentage(p -> p > 5);
        });
    }

    /** The HTTP layer's view: the query is refused with exactly one error, on {@code cursor}, as a 400. */
    private static void assertRefusedNamingTheCursor(String text) {
        assertThrows(InvalidValueException.class, () -> HistoryCursors.decode(text));
        ApiException refusal = assertThrows(ApiException.class, () -> query(text));
        assertThat(refusal.code(), is(ErrorCode.VALIDATION_ERROR));
        assertThat(refusal.status(), is(400));
        assertThat(refusal.fieldErrors().stream().map(FieldError::field).toList(), is(List.of(TransactionsQuery.CURSOR)));
    }

    /** {@code ?cursor=text} through the query parser the history routes use. */
    private static Optional<HistoryCursor> query(String text) {
        FieldErrors errors = new FieldErrors();
        Optional<TransactionsQuery> query = TransactionsQuery.from(UriQueryWriteable.create().set(TransactionsQuery.CURSOR, text), errors);
        errors.throwIfAny();
        return query.orElseThrow().after();
    }

    private static boolean fitsInALong(String digits) {
        return digits.length() < 19 || digits.compareTo(Long.toString(Long.MAX_VALUE)) <= 0;
    }

    @Provide
    Arbitrary<String> anyText() {
        Arbitrary<String> issued = Arbitraries.longs().between(0, Long.MAX_VALUE).map(p -> HistoryCursors.encode(new HistoryCursor(p)));
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.strings().withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/%. ").ofMaxLength(40),
                issued,
                // An issued cursor with one character changed, added or removed: the near misses.
                issued.flatMap(cursor -> Arbitraries.integers().between(0, cursor.length() - 1).flatMap(at ->
                        Arbitraries.strings().withChars("AQgw_-=+/ \u00e9\u0000").ofMaxLength(2)
                                .map(change -> cursor.substring(0, at) + change + cursor.substring(at + 1)))));
    }

    @Provide
    Arbitrary<byte[]> cursorLikeBytes() {
        Arbitrary<String> digits = Arbitraries.oneOf(
                Arbitraries.strings().numeric().ofMaxLength(21),
                Arbitraries.longs().map(n -> Long.toString(n)),
                Arbitraries.strings().withChars("0123456789-+ .e\u0661\u0000").ofMaxLength(21));
        Arbitrary<String> prefix = Arbitraries.of("v1:", "v1:", "v1:", "V1:", "v2:", "v1", "", "v1::");
        return Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(32),
                prefix.flatMap(p -> digits.map(d -> (p + d).getBytes(StandardCharsets.ISO_8859_1))));
    }
}
