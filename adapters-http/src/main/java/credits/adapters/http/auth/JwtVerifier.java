package credits.adapters.http.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimNames;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.ExpiredJWTException;
import com.nimbusds.jwt.proc.JWTClaimsSetVerifier;
import com.nimbusds.jwt.proc.JWTProcessor;
import com.nimbusds.jwt.util.DateUtils;
import credits.adapters.http.AuthSettings;
import credits.adapters.http.error.ApiException;
import credits.adapters.http.error.ErrorCode;
import credits.domain.InvalidValueException;
import credits.domain.UserId;
import io.helidon.http.HeaderNames;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Verifies a bearer JWT with Nimbus's {@link DefaultJWTProcessor} and turns it into a {@link Caller}.
 *
 * <p>The algorithm decides the key, never the token ({@link VerificationKeys}): only signed tokens
 * are processed ({@code alg: none} and JWE are refused), and Nimbus checks the signature before any
 * claim, so {@code TOKEN_EXPIRED} is only said of tokens we issued or trust. Claims are checked by
 * {@link DefaultJWTClaimsVerifier} on the injected clock: {@code exp} required, {@code nbf}, and
 * {@code iss}/{@code aud} when configured, plus {@code iat} not in the future.
 *
 * <p>A token that passed every check is remembered for a short while: the same client sends the
 * same bearer token on every call, and parsing and verifying it again was a fifth of the CPU of a
 * balance read. The cache key is the {@link TokenDigest} of the token's exact text, so only the very
 * string that was verified is served from memory (one changed character, signature included, is
 * another key). {@code exp} and {@code nbf} are checked again on every use, so an expired token is
 * refused as before. What a cached token outlives is the removal of its signing key from the JWKS:
 * by at most {@link #VERIFIED_TOKEN_TTL}. Refusals are never cached.
 */
public final class JwtVerifier {

    /** Far above any real token; refuses huge inputs before any parsing or base64 decoding. */
    static final int MAX_TOKEN_LENGTH = 8 * 1024;
    /** Tolerated clock difference with the token issuer for {@code exp}, {@code nbf} and {@code iat}. */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(60);
    /** Enough for every client active on one instance within the TTL; a few hundred bytes each. */
    static final int MAX_VERIFIED_TOKENS = 20_000;
    /** How long a verified token is trusted without checking its signature again. */
    static final Duration VERIFIED_TOKEN_TTL = Duration.ofSeconds(60);

    private static final System.Logger LOGGER = System.getLogger(JwtVerifier.class.getName());
    private static final String EXPIRED = "The token has expired";
    private static final String NOT_YET_VALID = "The token is not valid yet (nbf)";

    private final Map<JWSAlgorithm, JWTProcessor<SecurityContext>> processors;
    private final Clock clock;
    private final Cache<TokenDigest, Verified> verifiedTokens = Caffeine.newBuilder()
            .maximumSize(MAX_VERIFIED_TOKENS)
            .expireAfterWrite(VERIFIED_TOKEN_TTL)
            .build();

    /**
     * @throws IllegalArgumentException when the secret is too short or the JWKS cannot be read; the
     *                                  message never contains the secret
     */
    public JwtVerifier(AuthSettings settings, Clock clock) {
        JWTClaimsSetVerifier<SecurityContext> claims = new ClaimRules(settings, clock);
        this.processors = VerificationKeys.selectors(settings).entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, keys -> processor(keys.getValue(), claims)));
        this.clock = clock;
    }

    public Caller verify(String token) {
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw invalid("The token is too long");
        }
        TokenDigest digest = TokenDigest.of(token);
        Verified known = verifiedTokens.getIfPresent(digest);
        if (known != null) {
            return known.callerAt(clock.instant());
        }
        JWTClaimsSet claims = process(parseSigned(token));
        Caller caller = new Caller(userId(claims), scopes(claims));
        verifiedTokens.put(digest, Verified.of(caller, claims));
        return caller;
    }

    private static JWTProcessor<SecurityContext> processor(JWSKeySelector<SecurityContext> keys,
                                                           JWTClaimsSetVerifier<SecurityContext> claims) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(keys);
        processor.setJWTClaimsSetVerifier(claims);
        // Identity providers type access tokens JWT, at+jwt or not at all; the type proves nothing the signature does not.
        processor.setJWSTypeVerifier((type, context) -> { });
        return processor;
    }

    private static SignedJWT parseSigned(String token) {
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        } catch (ParseException e) {
            throw invalid("The token is not a well-formed JWT");
        }
        if (jwt instanceof SignedJWT signed) {
            return signed;
        }
        throw invalid("The token must be signed (alg none and encrypted tokens are refused)");
    }

    /** Nimbus's exceptions as client-safe details: none carries token text. */
    private JWTClaimsSet process(SignedJWT jwt) {
        JWSAlgorithm algorithm = jwt.getHeader().getAlgorithm();
        JWTProcessor<SecurityContext> processor = processors.get(algorithm);
        if (processor == null) {
            // The name comes from the token: not echoed.
            throw invalid(JWSAlgorithm.HS256.equals(algorithm)
                    ? "HS256 tokens are not accepted here" : "The token algorithm is not accepted here");
        }
        try {
            jwt.getJWTClaimsSet(); // parsed once and kept by the JWT: a malformed payload is told apart from refused claims
            return processor.process(jwt, null);
        } catch (ParseException e) {
            throw invalid("The token claims are malformed");
        } catch (BadJWTException e) {
            throw claimRefusal(e);
        } catch (KeySourceException e) {
            LOGGER.log(System.Logger.Level.WARNING, "JWKS unavailable: " + e.getMessage());
            throw new ApiException(ErrorCode.SERVICE_UNAVAILABLE, "Token verification keys are unavailable; try again shortly")
                    .withHeader(HeaderNames.RETRY_AFTER_NAME, "5");
        } catch (BadJOSEException | JOSEException e) {
            // No key of the token's kind and kid, a key that cannot check it, or a signature that does not match.
            throw invalid("The token signature is not valid");
        }
    }

    /** Nimbus's message names the claim that failed, never its value; that name picks our words. */
    private static ApiException claimRefusal(BadJWTException e) {
        if (e instanceof ExpiredJWTException) {
            return new ApiException(ErrorCode.TOKEN_EXPIRED, EXPIRED);
        }
        List<String> words = List.of(String.valueOf(e.getMessage()).split("\\W+"));
        if (words.contains(JWTClaimNames.AUDIENCE)) {
            return invalid("The token audience is not accepted");
        }
        if (words.contains(JWTClaimNames.ISSUER)) {
            return invalid("The token issuer is not accepted");
        }
        if (words.contains(JWTClaimNames.EXPIRATION_TIME)) {
            return invalid("The token has no exp claim");
        }
        if (words.contains(JWTClaimNames.ISSUED_AT)) {
            return invalid("The token was issued in the future (iat)");
        }
        if (words.contains("before")) {
            return invalid(NOT_YET_VALID);
        }
        return invalid("The token claims are not accepted");
    }

    /** Nimbus's claim rules on the injected clock, plus one it lacks: a token cannot be issued in the future. */
    private static final class ClaimRules extends DefaultJWTClaimsVerifier<SecurityContext> {

        private final Clock clock;

        ClaimRules(AuthSettings settings, Clock clock) {
            super(settings.audience().map(Set::of).orElse(null),
                    settings.issuer().map(issuer -> new JWTClaimsSet.Builder().issuer(issuer).build()).orElse(null),
                    Set.of(JWTClaimNames.EXPIRATION_TIME), null);
            this.clock = clock;
            setMaxClockSkew(Math.toIntExact(CLOCK_SKEW.toSeconds()));
        }

        @Override
        protected Date currentTime() {
            return Date.from(clock.instant());
        }

        @Override
        public void verify(JWTClaimsSet claims, SecurityContext context) throws BadJWTException {
            super.verify(claims, context);
            Date issuedAt = claims.getIssueTime();
            if (issuedAt != null && !DateUtils.isBefore(issuedAt, currentTime(), getMaxClockSkew())) {
                throw new BadJWTException("JWT iat claim in the future");
            }
        }
    }

    /**
     * What a verified token proved, and the instants (clock skew included) strictly between which it
     * may be used: the same bounds Nimbus applied to {@code nbf} and {@code exp}, without Nimbus.
     */
    private record Verified(Caller caller, Instant usableAfter, Instant usableUntil) {

        static Verified of(Caller caller, JWTClaimsSet claims) {
            Date notBefore = claims.getNotBeforeTime();
            return new Verified(caller, notBefore == null ? Instant.MIN : notBefore.toInstant().minus(CLOCK_SKEW),
                    claims.getExpirationTime().toInstant().plus(CLOCK_SKEW));
        }

        Caller callerAt(Instant now) {
            if (!now.isBefore(usableUntil)) {
                throw new ApiException(ErrorCode.TOKEN_EXPIRED, EXPIRED);
            }
            if (!now.isAfter(usableAfter)) {
                throw invalid(NOT_YET_VALID);
            }
            return caller;
        }
    }

    /** {@code sub}, else the legacy {@code userId} claim of tokens minted by the Callora stack (a string or an integer). */
    private static UserId userId(JWTClaimsSet claims) {
        String subject = claims.getSubject();
        Object raw = subject != null ? subject : claims.getClaim("userId");
        String id = switch (raw) {
            case null -> throw invalid("The token names no user (sub or userId)");
            case String text -> text;
            case Long number -> number.toString();
            case Integer number -> number.toString();
            default -> throw invalid("The token user id must be a string");
        };
        try {
            return UserId.of(id);
        } catch (InvalidValueException e) {
            throw invalid("The token user id is not valid: " + e.getMessage());
        }
    }

    /** Scopes from {@code scope} (space-separated, as OAuth 2 issues it) and from {@code scp}/{@code roles} (arrays, or strings). */
    private static Set<String> scopes(JWTClaimsSet claims) {
        Set<String> scopes = new LinkedHashSet<>();
        for (String claim : List.of("scope", "scp", "roles")) {
            switch (claims.getClaim(claim)) {
                case null -> { }
                case String text -> addSpaceSeparated(text, scopes);
                case Collection<?> items -> {
                    for (Object item : items) {
                        if (!(item instanceof String text)) {
                            throw invalid("The token " + claim + " claim must hold strings");
                        }
                        addSpaceSeparated(text, scopes);
                    }
                }
                default -> throw invalid("The token " + claim + " claim must be a string or an array of strings");
            }
        }
        return scopes;
    }

    private static void addSpaceSeparated(String text, Set<String> into) {
        for (String scope : text.split(" ")) {
            if (!scope.isEmpty()) {
                into.add(scope);
            }
        }
    }

    private static ApiException invalid(String detail) {
        return new ApiException(ErrorCode.INVALID_TOKEN, detail);
    }
}
