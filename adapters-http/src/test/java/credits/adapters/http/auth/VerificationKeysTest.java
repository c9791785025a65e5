package credits.adapters.http.auth;

import credits.adapters.http.AuthSettings;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

class VerificationKeysTest {

    private static final String SHORT = "thirty-one-bytes-of-secret-text";

    @Test
    void aSecretOfThirtyTwoBytesIsLongEnough() {
        assertThat(VerificationKeys.hmacSecretBytes(SHORT + "!", "S").length, is(VerificationKeys.MIN_HMAC_SECRET_BYTES));
    }

    @Test
    void aShorterSecretIsRefusedNamingTheSettingAndItsLengthNeverItsText() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> VerificationKeys.hmacSecretBytes(SHORT, "CREDITS_JWT_HMAC_SECRET"));

        assertThat(refused.getMessage(), is("CREDITS_JWT_HMAC_SECRET must be at least 32 bytes; it has 31"));
        assertThat(refused.getMessage(), not(containsString(SHORT)));
    }

    @Test
    void theLengthIsCountedInUtf8Bytes() {
        // 16 characters, 32 bytes.
        assertThat(VerificationKeys.hmacSecretBytes("é".repeat(16), "S").length, is(32));
    }

    @Test
    void neitherTheVerifierNorTheDevTokensAcceptAShortSecret() {
        assertThrows(IllegalArgumentException.class, () -> new JwtVerifier(AuthSettings.hmac(SHORT), Clock.systemUTC()));
        assertThrows(IllegalArgumentException.class,
                () -> DevTokens.mintHs256(SHORT, "alice", List.of(), Duration.ofMinutes(5), Clock.systemUTC()));
    }
}
