package credits.application.service;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

class RequestFingerprintTest {

    @Test
    void equalPartsGiveEqualFingerprints() {
        assertThat(RequestFingerprint.of("grant", "u", "10"), is(RequestFingerprint.of("grant", "u", "10")));
    }

    @Test
    void partsThatConcatenateAlikeStillDiffer() {
        assertThat(RequestFingerprint.of("ab", "c"), not(RequestFingerprint.of("a", "bc")));
    }

    @Test
    void anAbsentPartDiffersFromAnEmptyOne() {
        assertThat(RequestFingerprint.of("grant", null), not(RequestFingerprint.of("grant", "")));
    }

    @Test
    void theFingerprintIsSixtyFourHexDigits() {
        assertThat(RequestFingerprint.of("x").matches("[0-9a-f]{64}"), is(true));
    }
}
