package credits.adapters.http.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import credits.adapters.http.AuthSettings;
import credits.adapters.http.error.ApiException;
import credits.adapters.http.error.ErrorCode;
import credits.adapters.http.support.StepClock;
import credits.adapters.http.support.Tokens;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.Optional;
import java.util.stream.Stream;

import static credits.adapters.http.support.ApiFixture.NOW;
import static credits.adapters.http.support.ApiFixture.SECRET;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * What a client is told when Nimbus refuses a token's claims: our own words naming the claim, never
 * Nimbus's message or a value from the token. Pinned here so a Nimbus upgrade that rewords its
 * exceptions shows up as a failing test, not as a vaguer detail in production.
 */
class JwtRefusalDetailsTest {

    private static final String ISSUER = "https://issuer.example";
    private static final String AUDIENCE = "credits";
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final JwtVerifier STRICT = new JwtVerifier(new AuthSettings(Optional.of(SECRET), Optional.empty(),
            Optional.of(ISSUER), Optional.of(AUDIENCE), false), CLOCK);

    private static JWTClaimsSet.Builder valid() {
        return Tokens.validClaims("user_1", NOW).issuer(ISSUER).audience(AUDIENCE);
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of(valid().expirationTime(Date.from(NOW.minusSeconds(120))), ErrorCode.TOKEN_EXPIRED, "The token has expired"),
                Arguments.of(valid().expirationTime(null), ErrorCode.INVALID_TOKEN, "The token has no exp claim"),
                Arguments.of(valid().notBeforeTime(Date.from(NOW.plusSeconds(120))), ErrorCode.INVALID_TOKEN, "The token is not valid yet (nbf)"),
                Arguments.of(valid().issueTime(Date.from(NOW.plusSeconds(600))), ErrorCode.INVALID_TOKEN, "The token was issued in the future (iat)"),
                Arguments.of(valid().issuer("https://evil.example"), ErrorCode.INVALID_TOKEN, "The token issuer is not accepted"),
                Arguments.of(valid().issuer(null), ErrorCode.INVALID_TOKEN, "The token issuer is not accepted"),
                Arguments.of(valid().audience("someone-else"), ErrorCode.INVALID_TOKEN, "The token audience is not accepted"),
                Arguments.of(valid().audience((String) null), ErrorCode.INVALID_TOKEN, "The token audience is not accepted"));
    }

    @ParameterizedTest
    @MethodSource("refusals")
    void eachRefusedClaimIsNamedInTheDetailWithoutItsValue(JWTClaimsSet.Builder claims, ErrorCode code, String detail) {
        ApiException refusal = assertThrows(ApiException.class, () -> STRICT.verify(Tokens.hs256(SECRET, claims.build())));

        assertThat(refusal.code(), is(code));
        assertThat(refusal.detail(), is(detail));
    }

    @Test
    void aRememberedTokenIsRefusedWithTheSameDetailAsAFreshOne() {
        StepClock clock = new StepClock(NOW);
        JwtVerifier verifier = new JwtVerifier(AuthSettings.hmac(SECRET), clock);
        String token = Tokens.hs256(SECRET, Tokens.validClaims("user_1", NOW).build());
        verifier.verify(token);

        clock.advance(Duration.ofHours(2));

        ApiException refusal = assertThrows(ApiException.class, () -> verifier.verify(token));
        assertThat(refusal.detail(), is("The token has expired"));
    }

    @Test
    void anHs256TokenNamingAKidIsStillCheckedWithTheOneSecret() throws JOSEException {
        String token = hs256(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("some-key-id").build());

        assertThat(STRICT.verify(token).userId().value(), is("user_1"));
    }

    @Test
    void anAccessTokenTypedAtJwtIsAcceptedLikeAnUntypedOne() throws JOSEException {
        String token = hs256(new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType("at+jwt")).build());

        assertThat(STRICT.verify(token).userId().value(), is("user_1"));
    }

    private static String hs256(JWSHeader header) throws JOSEException {
        SignedJWT jwt = new SignedJWT(header, valid().build());
        jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }
}
