package credits.domain;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class IdempotencyTest {

    private static final String DIGEST = "0123456789abcdef".repeat(4);

    private static Idempotency withFingerprint(String fingerprint) {
        return new Idempotency(UserId.of("meter"), Operation.DEDUCTION, new IdempotencyKey("key-1"), fingerprint);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"})
    void aSha256DigestInLowerCaseHexIsAFingerprint(String fingerprint) {
        assertThat(withFingerprint(fingerprint).fingerprint(), is(fingerprint));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde",
            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0",
            "0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",
            "g123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde "})
    void anythingElseIsRefusedAsAFingerprint(String fingerprint) {
        assertThrows(IllegalArgumentException.class, () -> withFingerprint(fingerprint));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 63})
    void theRefusalDoesNotDependOnWhereTheBadDigitIs(int position) {
        char[] digits = DIGEST.toCharArray();
        digits[position] = 'x';
        assertThrows(IllegalArgumentException.class, () -> withFingerprint(new String(digits)));
    }
}
