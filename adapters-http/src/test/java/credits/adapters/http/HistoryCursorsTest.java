package credits.adapters.http;

import credits.domain.HistoryCursor;
import credits.domain.InvalidValueException;
import credits.domain.UserId;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** History cursors are sealed for one user with the server key: they open that user's history and nothing else. */
class HistoryCursorsTest {

    private static final UserId ALICE = UserId.of("alice");
    private static final UserId BOB = UserId.of("bob");
    private static final HistoryCursors CURSORS = new HistoryCursors(HistoryCursorKey.random());
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder BASE64URL_DECODER = Base64.getUrlDecoder();
    // Digits that do not occur by chance in a short text, so finding them would mean the position leaked.
    private static final long POSITION = 987_654_321_987L;

    private static String b64(String text) {
        return BASE64URL.encodeToString(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static void assertRefused(UserId owner, String cursor) {
        assertThrows(InvalidValueException.class, () -> CURSORS.decode(owner, cursor), cursor);
    }

    @Test
    void everyPositionComesBackFromItsCursorForTheUserItWasMadeFor() {
        for (long position : List.of(0L, 1L, 123L, 1L << 40, Long.MAX_VALUE)) {
            for (UserId owner : List.of(ALICE, UserId.of("ユーザー 🙂"), UserId.of("x".repeat(UserId.MAX_LENGTH)))) {
                String cursor = CURSORS.encode(owner, new HistoryCursor(position));
                assertThat(CURSORS.decode(owner, cursor).position(), is(position));
            }
        }
    }

    @Test
    void cursorIsFiftyUrlSafeCharacters() {
        String cursor = CURSORS.encode(ALICE, new HistoryCursor(POSITION));

        assertThat(cursor, cursor.matches("[A-Za-z0-9_-]{50}"), is(true));
    }

    @Test
    void cursorOfAnotherUserIsRefused() {
        String alices = CURSORS.encode(ALICE, new HistoryCursor(POSITION));

        assertRefused(BOB, alices);
        assertRefused(UserId.of("Alice"), alices);
        assertRefused(UserId.of("alice "), alices);
    }

    @Test
    void cursorMadeWithAnotherKeyIsRefused() {
        String foreign = new HistoryCursors(HistoryCursorKey.random()).encode(ALICE, new HistoryCursor(POSITION));

        assertRefused(ALICE, foreign);
    }

    @Test
    void cursorsOfOneKeyOpenWithAnotherInstanceOfTheSameKey() {
        byte[] shared = new byte[HistoryCursorKey.LENGTH_BYTES];
        shared[0] = 42;
        String cursor = new HistoryCursors(HistoryCursorKey.of(shared)).encode(ALICE, new HistoryCursor(POSITION));

        assertThat(new HistoryCursors(HistoryCursorKey.of(shared)).decode(ALICE, cursor).position(), is(POSITION));
    }

    @Test
    void everyFlippedBitOfTheSealedBytesIsRefused() {
        byte[] sealed = BASE64URL_DECODER.decode(CURSORS.encode(ALICE, new HistoryCursor(POSITION)));
        for (int bit = 0; bit < sealed.length * 8; bit++) {
            byte[] altered = sealed.clone();
            altered[bit / 8] ^= (byte) (1 << (bit % 8));
            assertRefused(ALICE, BASE64URL.encodeToString(altered));
        }
    }

    @Test
    void everyChangedCharacterOfTheTextIsRefused() {
        String cursor = CURSORS.encode(ALICE, new HistoryCursor(POSITION));
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (int at = 0; at < cursor.length(); at++) {
            for (char c : alphabet.toCharArray()) {
                if (c != cursor.charAt(at)) {
                    assertRefused(ALICE, cursor.substring(0, at) + c + cursor.substring(at + 1));
                }
            }
        }
    }

    @Test
    void everyTruncatedOrExtendedCursorIsRefused() {
        String cursor = CURSORS.encode(ALICE, new HistoryCursor(POSITION));
        byte[] sealed = BASE64URL_DECODER.decode(cursor);
        for (int length = 0; length < cursor.length(); length++) {
            assertRefused(ALICE, cursor.substring(0, length));
            assertRefused(ALICE, cursor.substring(cursor.length() - length));
        }
        for (int length = 0; length < sealed.length; length++) {
            assertRefused(ALICE, BASE64URL.encodeToString(Arrays.copyOf(sealed, length)));
        }
        for (String extra : List.of("A", "AA", "=", "==", " ", "\n")) {
            assertRefused(ALICE, cursor + extra);
        }
        assertRefused(ALICE, BASE64URL.encodeToString(Arrays.copyOf(sealed, sealed.length + 1)));
    }

    @Test
    void oldReadableV1CursorsAreRefused() {
        for (String old : List.of(b64("v1:0"), b64("v1:3"), b64("v1:123"), b64("v1:" + POSITION), b64("v1:" + Long.MAX_VALUE))) {
            assertRefused(ALICE, old);
        }
    }

    @Test
    void textThatIsNoCursorIsRefused() {
        for (String text : List.of("", "abc", "!!!!", "null", "x".repeat(50), "=".repeat(50), "A".repeat(50), "_".repeat(50),
                "A".repeat(49) + "=", "A".repeat(500), "+".repeat(50), "/".repeat(50), "é".repeat(50))) {
            assertRefused(ALICE, text);
        }
    }

    @Test
    void theSamePositionGetsADifferentCursorEachTime() {
        String first = CURSORS.encode(ALICE, new HistoryCursor(POSITION));
        String second = CURSORS.encode(ALICE, new HistoryCursor(POSITION));

        assertThat(first, is(not(second)));
        assertThat(CURSORS.decode(ALICE, second).position(), is(POSITION));
    }

    @Test
    void decodingTheBase64ShowsThePositionInNoForm() {
        String cursor = CURSORS.encode(ALICE, new HistoryCursor(POSITION));
        byte[] sealed = BASE64URL_DECODER.decode(cursor);
        String latin1 = new String(sealed, StandardCharsets.ISO_8859_1);
        String hex = HexFormat.of().formatHex(sealed);

        assertThat(latin1, not(containsString(Long.toString(POSITION))));
        assertThat(hex, not(containsString(Long.toHexString(POSITION))));
        for (ByteOrder order : List.of(ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN)) {
            byte[] binary = ByteBuffer.allocate(Long.BYTES).order(order).putLong(POSITION).array();
            // The six significant bytes of the position, in either byte order.
            String significant = HexFormat.of().formatHex(binary, order == ByteOrder.BIG_ENDIAN ? 2 : 0, order == ByteOrder.BIG_ENDIAN ? 8 : 6);
            assertThat(hex, not(containsString(significant)));
        }
    }

    @Test
    void cursorsOfConsecutivePositionsShareNoStructure() {
        for (long position = POSITION; position < POSITION + 50; position++) {
            byte[] one = BASE64URL_DECODER.decode(CURSORS.encode(ALICE, new HistoryCursor(position)));
            byte[] next = BASE64URL_DECODER.decode(CURSORS.encode(ALICE, new HistoryCursor(position + 1)));
            // Only the version byte is shared; the rest differs in about half its bits, as unrelated random bytes do.
            BitSet difference = BitSet.valueOf(Arrays.copyOfRange(one, 1, one.length));
            difference.xor(BitSet.valueOf(Arrays.copyOfRange(next, 1, next.length)));
            int bits = (one.length - 1) * 8;
            assertThat("bits differing between the cursors of " + position + " and the next", difference.cardinality(), greaterThan(bits / 4));
        }
    }

    @Test
    void keyMustBeThirtyTwoBytesAndIsNeverShown() {
        for (int length : List.of(0, 16, 31, 33, 64)) {
            assertThrows(IllegalArgumentException.class, () -> HistoryCursorKey.of(new byte[length]));
        }
        assertThat(HistoryCursorKey.random().toString(), is("HistoryCursorKey[***]"));
    }
}
