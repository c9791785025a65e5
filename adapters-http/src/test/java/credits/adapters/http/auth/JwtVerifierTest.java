package credits.adapters.http.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import credits.adapters.http.AuthSettings;
import credits.adapters.http.error.ApiException;
import credits.adapters.http.error.ErrorCode;
import credits.adapters.http.support.StepClock;
import credits.adapters.http.support.Tokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static credits.adapters.http.support.ApiFixture.NOW;
import static credits.adapters.http.support.ApiFixture.SECRET;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JwtVerifierTest {

    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final JwtVerifier HMAC = new JwtVerifier(AuthSettings.hmac(SECRET), CLOCK);

    @TempDir
    static Path dir;
    private static RSAKey trusted;
    private static RSAKey attacker;
    private static JwtVerifier jwks;

    @BeforeAll
    static void keys() throws JOSEException, IOException {
        trusted = new RSAKeyGenerator(2048).keyID("trusted").generate();
        attacker = new RSAKeyGenerator(2048).keyID("trusted").generate();
        Path file = dir.resolve("jwks.json");
        Files.writeString(file, new JWKSet(trusted.toPublicJWK()).toString());
        jwks = new JwtVerifier(new AuthSettings(Optional.empty(), Optional.of(file.toUri().toString()),
                Optional.empty(), Optional.empty(), false), CLOCK);
    }

    private static JWTClaimsSet.Builder claims() {
        return Tokens.validClaims("user_1", NOW);
    }

    private static ErrorCode refusal(JwtVerifier verifier, String token) {
        return assertThrows(ApiException.class, () -> verifier.verify(token)).code();
    }

    @Test
    void validTokenYieldsItsSubject() {
        Caller caller = HMAC.verify(Tokens.hs256(SECRET, claims().build()));

        assertThat(caller.userId().value(), is("user_1"));
        assertThat(caller.scopes(), is(Set.of()));
    }

    @Test
    void scopesComeFromTheScopeStringAndTheScpAndRolesArrays() {
        String token = Tokens.hs256(SECRET, claims()
                .claim("scope", "credits:admin  openid")
                .claim("scp", List.of("credits:meter"))
                .claim("roles", List.of("reader"))
                .build());

        assertThat(HMAC.verify(token).scopes(), is(Set.of("credits:admin", "openid", "credits:meter", "reader")));
    }

    @Test
    void scpAsASpaceSeparatedStringIsAcceptedToo() {
        String token = Tokens.hs256(SECRET, claims().claim("scp", "credits:admin credits:meter").build());

        Caller caller = HMAC.verify(token);

        assertThat(caller.hasScope(Caller.SCOPE_ADMIN), is(true));
        assertThat(caller.hasScope(Caller.SCOPE_METER), is(true));
    }

    @Test
    void scopeArrayWithANonStringIsAnInvalidToken() {
        String token = Tokens.hs256(SECRET, claims().claim("roles", List.of("ok", 7)).build());

        assertThat(refusal(HMAC, token), is(ErrorCode.INVALID_TOKEN));
    }

    @Test
    void subjectWinsOverTheLegacyUserIdClaim() {
        String token = Tokens.hs256(SECRET, claims().claim("userId", "legacy").build());

        assertThat(HMAC.verify(token).userId().value(), is("user_1"));
    }

    @Test
    void numericLegacyUserIdIsAccepted() {
        String token = Tokens.hs256(SECRET, claims().subject(null).claim("userId", 42L).build());

        assertThat(HMAC.verify(token).userId().value(), is("42"));
    }

    @Test
    void tokenNamingNoUserIsAnInvalidToken() {
        assertThat(refusal(HMAC, Tokens.hs256(SECRET, claims().subject(null).build())), is(ErrorCode.INVALID_TOKEN));
    }

    @Test
    void subjectThatIsNotAValidUserIdIsAnInvalidToken() {
        assertThat(refusal(HMAC, Tokens.hs256(SECRET, claims().subject("x".repeat(256)).build())), is(ErrorCode.INVALID_TOKEN));
        assertThat(refusal(HMAC, Tokens.hs256(SECRET, claims().subject("").build())), is(ErrorCode.INVALID_TOKEN));
    }

    @Test
    void expiryWithinTheClockSkewIsStillAccepted() {
        String token = Tokens.hs256(SECRET, claims().expirationTime(Date.from(NOW.minusSeconds(30))).build());

        assertThat(HMAC.verify(token).userId().value(), is("user_1"));
    }

    @Test
    void expiryBeyondTheClockSkewIsExpired() {
        String token = Tokens.hs256(SECRET, claims().expirationTime(Date.from(NOW.minusSeconds(61))).build());

        assertThat(refusal(HMAC, token), is(ErrorCode.TOKEN_EXPIRED));
    }

    @Test
    void notBeforeInTheFutureIsRefusedButWithinTheSkewAccepted() {
        String later = Tokens.hs256(SECRET, claims().notBeforeTime(Date.from(NOW.plusSeconds(120))).build());
        String almost = Tokens.hs256(SECRET, claims().notBeforeTime(Date.from(NOW.plusSeconds(30))).build());

        assertThat(refusal(HMAC, later), is(ErrorCode.INVALID_TOKEN));
        assertThat(HMAC.verify(almost).userId().value(), is("user_1"));
    }

    @Test
    void issuedInTheFutureIsRefused() {
        String token = Tokens.hs256(SECRET, claims().issueTime(Date.from(NOW.plusSeconds(600))).build());

        assertThat(refusal(HMAC, token), is(ErrorCode.INVALID_TOKEN));
    }

    @Test
    void nonNumericExpiryIsAnInvalidToken() throws JOSEException {
        JWSObject jwt = new JWSObject(new JWSHeader(JWSAlgorithm.HS256), new Payload("{\"sub\":\"user_1\",\"exp\":\"tomorrow\"}"));
        jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));

        assertThat(refusal(HMAC, jwt.serialize()), is(ErrorCode.INVALID_TOKEN));
    }

    @Test
    void unsignedTokensAreRefusedWhateverTheirSignaturePart() {
        assertThat(refusal(HMAC, Tokens.unsigned(claims().build(), "")), is(ErrorCode.INVALID_TOKEN));
        assertThat(refusal(HMAC, Tokens.unsigned(claims().build(), "c2lnbmF0dXJl")), is(ErrorCode.INVALID_TOKEN));
    }

    @Test
    void otherHmacAlgorithmsAreRefusedEvenWithTheRightSecret() throws JOSEException {
        byte[] longSecret = (SECRET + SECRET).getBytes(StandardCharsets.UTF_8);
        JwtVerifier verifier = new JwtVerifier(AuthSettings.hmac(SECRET + SECRET), CLOCK);
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS512), claims().build());
        jwt.sign(new MACSigner(longSecret));

        assertThat(refusal(verifier, jwt.serialize()), is(ErrorCode.INVALID_TOKEN));
    }

    @Test
    void rs256IsVerifiedOnlyWithTheConfiguredKeysNeverOnesTheTokenPointsTo() throws JOSEException {
        JWSHeader pointingElsewhere = new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID("trusted")
                .jwkURL(URI.create("https://attacker.example/jwks.json"))
                .jwk(attacker.toPublicJWK())
                .build();
        SignedJWT forged = new SignedJWT(pointingElsewhere, claims().build());
        forged.sign(new RSASSASigner(attacker));

        assertThat(refusal(jwks, forged.serialize()), is(ErrorCode.INVALID_TOKEN));
        assertThat(jwks.verify(Tokens.rs256(trusted, claims().build())).userId().value(), is("user_1"));
    }

    @Test
    void hs256IsRefusedWhenNoSecretIsConfigured() {
        assertThat(refusal(jwks, Tokens.hs256(SECRET, claims().build())), is(ErrorCode.INVALID_TOKEN));
    }

    @Test
    void overlongTokenIsRefusedBeforeParsing() {
        String huge = "a".repeat(JwtVerifier.MAX_TOKEN_LENGTH + 1);

        assertThat(refusal(HMAC, huge), is(ErrorCode.INVALID_TOKEN));
    }

    @Test
    void encryptedOrGarbageTokensAreInvalid() {
        assertThat(refusal(HMAC, "a.b.c.d.e"), is(ErrorCode.INVALID_TOKEN));
        assertThat(refusal(HMAC, "not-a-jwt"), is(ErrorCode.INVALID_TOKEN));
        assertThat(refusal(HMAC, "invalid.jwt.token"), is(ErrorCode.INVALID_TOKEN));
    }

    @Test
    void anyGarbageIsAnInvalidTokenNeverAServerError() {
        String deep = "[".repeat(5000) + "]".repeat(5000);
        List<String> garbage = List.of(".", "..", "...", "a..b", "eyJ.eyJ.", "e30.e30.", "e30.e30.e30",
                b64("{\"alg\":\"HS256\"}") + "." + b64(deep) + ".c2ln",
                b64(deep) + "." + b64("{}") + ".c2ln",
                b64("{\"alg\":\"HS256\",\"crit\":[\"exp\"]}") + "." + b64("{\"sub\":\"u\"}") + ".c2ln",
                b64("{\"alg\":\"HS256\"}") + "." + b64("not json") + ".c2ln",
                b64("{\"alg\":\"HS256\"}") + ".%%%." + "c2ln",
                b64("{\"alg\":7}") + "." + b64("{}") + ".c2ln");
        for (String token : garbage) {
            assertThat(token, refusal(HMAC, token), is(ErrorCode.INVALID_TOKEN));
        }
    }

    private static String b64(String json) {
        return com.nimbusds.jose.util.Base64URL.encode(json).toString();
    }

    @Test
    void devTokensCarryScopesIssuerAndAudienceAndVerify() {
        JwtVerifier strict = new JwtVerifier(new AuthSettings(Optional.of(SECRET), Optional.empty(),
                Optional.of("credits-dev"), Optional.of("credits"), false), CLOCK);

        String token = DevTokens.mintHs256(SECRET, "alice", List.of(Caller.SCOPE_ADMIN), Duration.ofMinutes(5), CLOCK,
                Optional.of("credits-dev"), Optional.of("credits"));

        Caller caller = strict.verify(token);
        assertThat(caller.userId().value(), is("alice"));
        assertThat(caller.scopes(), is(Set.of(Caller.SCOPE_ADMIN)));
    }

    @Test
    void devTokenExpiresAfterItsTimeToLive() {
        String token = DevTokens.mintHs256(SECRET, "alice", List.of(), Duration.ofMinutes(5), CLOCK);
        JwtVerifier later = new JwtVerifier(AuthSettings.hmac(SECRET), Clock.fixed(NOW.plus(Duration.ofMinutes(7)), ZoneOffset.UTC));

        assertThat(refusal(later, token), is(ErrorCode.TOKEN_EXPIRED));
    }

    @Test
    void aRememberedTokenIsStillRefusedOnceItExpires() {
        StepClock clock = new StepClock(NOW);
        JwtVerifier verifier = new JwtVerifier(AuthSettings.hmac(SECRET), clock);
        String token = DevTokens.mintHs256(SECRET, "alice", List.of(), Duration.ofMinutes(5), clock);
        assertThat(verifier.verify(token).userId().value(), is("alice"));

        clock.advance(Duration.ofMinutes(5).plus(JwtVerifier.CLOCK_SKEW));

        assertThat(refusal(verifier, token), is(ErrorCode.TOKEN_EXPIRED));
    }

    @Test
    void onlyTheExactTextThatWasVerifiedIsRemembered() {
        JwtVerifier verifier = new JwtVerifier(AuthSettings.hmac(SECRET), CLOCK);
        String token = Tokens.hs256(SECRET, claims().claim("scope", "credits:meter").build());
        assertThat(verifier.verify(token).scopes(), is(Set.of("credits:meter")));
        String[] parts = token.split("\\.");
        String otherClaims = Tokens.hs256(SECRET, claims().subject("user_2").claim("scope", "credits:admin").build()).split("\\.")[1];

        String newPayloadOldSignature = parts[0] + "." + otherClaims + "." + parts[2];
        String changedSignature = parts[0] + "." + parts[1] + "." + flipLast(parts[2]);

        assertThat(refusal(verifier, newPayloadOldSignature), is(ErrorCode.INVALID_TOKEN));
        assertThat(refusal(verifier, changedSignature), is(ErrorCode.INVALID_TOKEN));
        assertThat(verifier.verify(token).scopes(), is(Set.of("credits:meter")));
    }

    @Test
    void aRefusedTokenIsRefusedAgainOnItsNextUse() {
        JwtVerifier verifier = new JwtVerifier(AuthSettings.hmac(SECRET), CLOCK);
        String forged = Tokens.hs256(SECRET + "-not-ours", claims().build());

        assertThat(refusal(verifier, forged), is(ErrorCode.INVALID_TOKEN));
        assertThat(refusal(verifier, forged), is(ErrorCode.INVALID_TOKEN));
    }

    private static String flipLast(String part) {
        char last = part.charAt(part.length() - 1);
        return part.substring(0, part.length() - 1) + (last == 'A' ? 'B' : 'A');
    }

    @Test
    void mintingWithAShortSecretIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> DevTokens.mintHs256("short", "alice", List.of(), Duration.ofMinutes(5), CLOCK));
    }
}
