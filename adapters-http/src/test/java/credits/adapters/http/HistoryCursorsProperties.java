package credits.adapters.http;

import credits.adapters.http.error.ApiException;
import credits.adapters.http.error.ErrorCode;
import credits.adapters.http.error.FieldError;
import credits.adapters.http.error.FieldErrors;
import credits.domain.HistoryCursor;
import credits.domain.InvalidValueException;
import credits.domain.UserId;
import credits.testing.Gen;
import credits.testing.PropertyCheck;
import io.helidon.common.uri.UriQueryWriteable;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The sealed history cursor over generated inputs: what the service issues comes back as the same position
 * for the same user, and any other text a client can send is a 400 naming {@code cursor}.
 *
 * <p>Each run draws a seed; a failure names it, and {@code -Dproperties.seed=<seed>} replays that run.
 */
class HistoryCursorsProperties {

    private static final String ACCEPTED = "accepted";
    private static final String REFUSED = "refused";
    private static final int TRIES = 1000;

    private static final Pattern URL_SAFE = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder BASE64URL_DECODER = Base64.getUrlDecoder();
    private static final List<UserId> USERS = List.of(UserId.of("alice"), UserId.of("bob"), UserId.of("Alice"),
            UserId.of("user_123"), UserId.of("ユーザー 🙂"), UserId.of("x".repeat(UserId.MAX_LENGTH)));
    private static final HistoryCursors CURSORS = new HistoryCursors(HistoryCursorKey.random());
    private static final HistoryCursors OTHER_KEY = new HistoryCursors(HistoryCursorKey.random());

    /** A text sent as {@code ?cursor=} to one user's history. */
    private record Sent(UserId owner, String text) {
    }

    @Test
    void everyNonNegativePositionComesBackFromItsCursorUnchanged() {
        PropertyCheck.forAll(TRIES, random -> new HistoryCursor(position(random))).check(cursor -> {
            UserId owner = USERS.get(Math.floorMod(cursor.position(), USERS.size()));
            String text = CURSORS.encode(owner, cursor);

            assertThat(text, URL_SAFE.matcher(text).matches(), is(true));
            assertThat(CURSORS.decode(owner, text), is(cursor));
            assertThat(query(owner, text), is(Optional.of(cursor)));
        });
    }

    @Test
    void anyTextIsEitherACursorIssuedForThatUserOrRefusedAsA400NamingTheCursor() {
        Map<Sent, Long> issued = new HashMap<>();
        bothOutcomes(random -> anyText(random, issued)).classify(sent -> {
            Long position = issued.get(sent);
            if (position == null) {
                assertRefusedNamingTheCursor(sent);
                return REFUSED;
            }
            assertThat(CURSORS.decode(sent.owner(), sent.text()).position(), is(position));
            return ACCEPTED;
        });
    }

    @Test
    void anyBytesInBase64UrlAreAcceptedOnlyAsSealedByThisKeyForThatUser() {
        Map<Sent, Long> issued = new HashMap<>();
        bothOutcomes(random -> BASE64URL.encodeToString(cursorLikeBytes(random, issued))).classify(text -> {
            UserId owner = USERS.getFirst();
            Long position = issued.get(new Sent(owner, text));
            if (position == null) {
                assertRefusedNamingTheCursor(new Sent(owner, text));
                return REFUSED;
            }
            assertThat(CURSORS.decode(owner, text).position(), is(position));
            return ACCEPTED;
        });
    }

    // ---- generators ------------------------------------------------------------------------------

    private static long position(SplittableRandom random) {
        return switch (random.nextInt(4)) {
            case 0 -> random.nextLong(1_000);
            case 1 -> Long.MAX_VALUE - random.nextLong(1_000);
            default -> random.nextLong(Long.MAX_VALUE) + (random.nextBoolean() ? 1 : 0);
        };
    }

    private static <T> T pick(SplittableRandom random, List<T> from) {
        return from.get(random.nextInt(from.size()));
    }

    /** Issues a cursor for a random user and position, remembering it. */
    private static Sent issue(SplittableRandom random, UserId owner, Map<Sent, Long> issued) {
        long position = position(random);
        Sent sent = new Sent(owner, CURSORS.encode(owner, new HistoryCursor(position)));
        issued.put(sent, position);
        return sent;
    }

    private static String randomText(SplittableRandom random, String alphabet, int maxLength) {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(maxLength + 1);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    private static String anyCharacters(SplittableRandom random, int maxLength) {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(maxLength + 1);
        for (int i = 0; i < length; i++) {
            int codePoint = random.nextInt(Character.MAX_CODE_POINT + 1);
            if (codePoint < Character.MIN_SURROGATE || codePoint > Character.MAX_SURROGATE) {
                text.appendCodePoint(codePoint);
            }
        }
        return text.toString();
    }

    private static Sent anyText(SplittableRandom random, Map<Sent, Long> issued) {
        UserId owner = pick(random, USERS);
        return switch (random.nextInt(6)) {
            case 0 -> new Sent(owner, anyCharacters(random, 60));
            case 1 -> new Sent(owner, randomText(random, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/%. ", 60));
            case 2 -> issue(random, owner, issued);
            // Another user's cursor, or one sealed with another key: well formed, and still not this history's.
            case 3 -> new Sent(owner, random.nextBoolean()
                    ? CURSORS.encode(otherThan(random, owner), new HistoryCursor(position(random)))
                    : OTHER_KEY.encode(owner, new HistoryCursor(position(random))));
            // An issued cursor with one character changed, added or removed: the near misses.
            default -> {
                String cursor = issue(random, owner, issued).text();
                int at = random.nextInt(cursor.length());
                String change = randomText(random, "AQgw_-=+/ \u00e9\u0000", 2);
                yield new Sent(owner, cursor.substring(0, at) + change + cursor.substring(at + 1));
            }
        };
    }

    private static UserId otherThan(SplittableRandom random, UserId owner) {
        UserId other = pick(random, USERS);
        return other.equals(owner) ? USERS.get((USERS.indexOf(owner) + 1) % USERS.size()) : other;
    }

    /** Bytes shaped like a cursor, sent to the first user's history: sealed ones, altered ones, old ones, noise. */
    private static byte[] cursorLikeBytes(SplittableRandom random, Map<Sent, Long> issued) {
        UserId owner = USERS.getFirst();
        byte[] sealed = BASE64URL_DECODER.decode(issue(random, owner, issued).text());
        return switch (random.nextInt(7)) {
            case 0 -> sealed;
            case 1 -> {
                byte[] flipped = sealed.clone();
                int bit = random.nextInt(flipped.length * 8);
                flipped[bit / 8] ^= (byte) (1 << (bit % 8));
                yield flipped;
            }
            case 2 -> Arrays.copyOf(sealed, random.nextInt(sealed.length));
            case 3 -> Arrays.copyOf(sealed, sealed.length + 1 + random.nextInt(4));
            case 4 -> BASE64URL_DECODER.decode(CURSORS.encode(otherThan(random, owner), new HistoryCursor(position(random))));
            // The old readable format and its misspellings.
            case 5 -> (pick(random, List.of("v1:", "v1:", "V1:", "v2:", "v1", "", "\u0002")) + randomText(random, "0123456789-+ .e\u0000", 21))
                    .getBytes(StandardCharsets.ISO_8859_1);
            default -> {
                byte[] noise = new byte[random.nextInt(48)];
                random.nextBytes(noise);
                yield noise;
            }
        };
    }

    // ---- checks ----------------------------------------------------------------------------------

    /** Both outcomes must really occur (each in over 5 % of the cases), or the property proves nothing about one of them. */
    private static <T> PropertyCheck<T> bothOutcomes(Gen<T> inputs) {
        return PropertyCheck.forAll(TRIES, inputs).requireMoreThanPercent(5, ACCEPTED, REFUSED);
    }

    /** The HTTP layer's view: the query is refused with exactly one error, on {@code cursor}, as a 400. */
    private static void assertRefusedNamingTheCursor(Sent sent) {
        assertThrows(InvalidValueException.class, () -> CURSORS.decode(sent.owner(), sent.text()));
        ApiException refusal = assertThrows(ApiException.class, () -> query(sent.owner(), sent.text()));
        assertThat(refusal.code(), is(ErrorCode.VALIDATION_ERROR));
        assertThat(refusal.status(), is(400));
        assertThat(refusal.fieldErrors().stream().map(FieldError::field).toList(), is(List.of(TransactionsQuery.CURSOR)));
    }

    /** {@code ?cursor=text} on {@code owner}'s history, through the query parser the history routes use. */
    private static Optional<HistoryCursor> query(UserId owner, String text) {
        FieldErrors errors = new FieldErrors();
        Optional<TransactionsQuery> query = TransactionsQuery.from(UriQueryWriteable.create().set(TransactionsQuery.CURSOR, text),
                Optional.of(owner), CURSORS, errors);
        errors.throwIfAny();
        return query.orElseThrow().after();
    }
}
