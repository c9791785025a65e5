package credits.domain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class UserIdTest {

    @ParameterizedTest
    @ValueSource(strings = {"u", "user_123", "auth0|5f7c8ec7c33c6c004bbafe82", "alice@example.com", "ユーザー"})
    void ordinaryIdsAreAccepted(String value) {
        assertThat(new UserId(value).value(), is(value));
    }

    @Test
    void exactly255CharactersIsAcceptedAnd256IsNot() {
        assertThat(new UserId("a".repeat(255)).value().length(), is(255));
        assertThrows(InvalidValueException.class, () -> new UserId("a".repeat(256)));
    }

    @Test
    void lengthCountsCharactersNotUtf16Units() {
        String emoji = "\uD83D\uDE00"; // one character, two UTF-16 units
        assertThat(new UserId(emoji.repeat(255)).value().codePointCount(0, 510), is(255));
        assertThrows(InvalidValueException.class, () -> new UserId(emoji.repeat(256)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a\u0000b", "line\nbreak", "tab\there", "\uD83D"})
    void emptyControlCharactersAndBrokenUnicodeAreRefused(String value) {
        assertThrows(InvalidValueException.class, () -> new UserId(value));
    }

    @Test
    void nullIsRefused() {
        assertThrows(InvalidValueException.class, () -> new UserId(null));
    }
}
