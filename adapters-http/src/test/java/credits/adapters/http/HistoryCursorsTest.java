package credits.adapters.http;

import credits.domain.HistoryCursor;
import credits.domain.InvalidValueException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Random;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HistoryCursorsTest {

    private static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void everyPositionSurvivesTheRoundTrip() {
        for (long position : List.of(0L, 1L, 123L, 1L << 40, Long.MAX_VALUE)) {
            String cursor = HistoryCursors.encode(new HistoryCursor(position));
            assertThat(HistoryCursors.decode(cursor).position(), is(position));
        }
    }

    @Test
    void cursorIsUrlSafeBase64OfAVersionedPosition() {
        assertThat(HistoryCursors.encode(new HistoryCursor(123)), is(b64("v1:123")));
    }

    @Test
    void onlyCursorsThisServiceIssuedAreAccepted() {
        List<String> refused = List.of("", "abc", "!!!!", "djE6MTIz=", b64("v1:123") + "=", b64("v1:123") + "==",
                b64("v1:"), b64("v1:-1"), b64("v1:+1"), b64("v1:01"), b64("v1: 1"), b64("v1:1 "), b64("v1:1.5"),
                b64("v1:9223372036854775808"), b64("v1:99999999999999999999"), b64("v2:123"), b64("V1:123"), b64("123"),
                b64("v1:12\u0000"), b64("v1:١٢٣"), b64("\u00ff\u00fe\u00fd"), "djE6MTIz".replace('M', '+'), "djE6MTI/",
                "x".repeat(33), b64("v1:123") + " ", "djE6MTIz\n");
        for (String cursor : refused) {
            assertThrows(InvalidValueException.class, () -> HistoryCursors.decode(cursor), cursor);
        }
    }

    @Test
    void noRandomTextIsEverAServerError() {
        Random random = new Random(42);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/%.~ ";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(40);
            for (int j = 0; j < length; j++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            try {
                HistoryCursor cursor = HistoryCursors.decode(text.toString());
                // Anything accepted is exactly what encode would have produced.
                assertThat(HistoryCursors.encode(cursor), is(text.toString()));
            } catch (InvalidValueException expected) {
                // refused, as a client error
            }
        }
    }
}
