package credits.adapters.http.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import credits.adapters.http.AuthSettings;
import credits.adapters.http.error.ApiException;
import credits.adapters.http.error.ErrorCode;
import credits.domain.InvalidValueException;
import credits.domain.UserId;
import io.helidon.http.HeaderNames;

import java.io.IOException;
import java.net.MalformedURLException;
import java.nio.ByteBuffer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Verifies a bearer JWT and turns it into a {@link Caller}.
 *
 * <p>The algorithm decides the key, never the token: HS256 is checked only with the shared secret,
 * RS256/ES256 only with keys of the configured JWKS (so an HS256 token "signed" with a public RSA key
 * is refused), and nothing else is accepted ({@code alg: none}, JWE, other algorithms). Keys named by
 * the token itself ({@code jku}, {@code x5u}, {@code jwk}) are never used. The signature is checked
 * before any claim, so {@code TOKEN_EXPIRED} is only said of tokens we issued or trust.
 *
 * <p>A token that passed every check is remembered for a short while: the same client sends the
 * same bearer token on every call, and parsing and verifying it again was a fifth of the CPU of a
 * balance read. The cache key is the SHA-256 digest of the token's exact text, so only the very
 * string that was verified is served from memory (one changed character, signature included, is
 * another key) and no bearer token is kept in the heap. Time claims are checked again on every
 * use, so an expired token is refused as before. What a cached token outlives is the removal of its
 * signing key from the JWKS: by at most {@link #VERIFIED_TOKEN_TTL}.
 */
public final class JwtVerifier {

    /** Far above any real token; refuses huge inputs before any parsing or base64 decoding. */
    static final int MAX_TOKEN_LENGTH = 8 * 1024;
    /** Tolerated clock difference with the token issuer for {@code exp}, {@code nbf} and {@code iat}. */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(60);
    static final int MIN_HMAC_SECRET_BYTES = 32;

    private static final System.Logger LOGGER = System.getLogger(JwtVerifier.class.getName());
    private static final Set<JWSAlgorithm> JWKS_ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);
    private static final int MAX_CACHED_KEY_VERIFIERS = 64;
    /** Enough for every client active on one instance within the TTL; a few hundred bytes each. */
    static final int MAX_VERIFIED_TOKENS = 20_000;
    /** How long a verified token is trusted without checking its signature again. */
    static final Duration VERIFIED_TOKEN_TTL = Duration.ofSeconds(60);

    private final Optional<JWSVerifier> hmacVerifier;
    private final Optional<JWKSource<SecurityContext>> jwks;
    private final Optional<String> issuer;
    private final Optional<String> audience;
    private final Clock clock;
    // Building a verifier parses the key: done once per JWK, not per request.
    private final ConcurrentMap<JWK, Optional<JWSVerifier>> keyVerifiers = new ConcurrentHashMap<>();
    private final Cache<TokenDigest, Verified> verifiedTokens = Caffeine.newBuilder()
            .maximumSize(MAX_VERIFIED_TOKENS)
            .expireAfterWrite(VERIFIED_TOKEN_TTL)
            .build();

    /**
     * @throws IllegalArgumentException when the secret is too short or the JWKS cannot be read; the
     *                                  message never contains the secret
     */
    public JwtVerifier(AuthSettings settings, Clock clock) {
        this.hmacVerifier = settings.hmacSecret().map(JwtVerifier::hmacVerifier);
        this.jwks = settings.jwksLocation().map(JwtVerifier::jwkSource);
        this.issuer = settings.issuer();
        this.audience = settings.audience();
        this.clock = clock;
    }

    public Caller verify(String token) {
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw invalid("The token is too long");
        }
        TokenDigest digest = TokenDigest.of(token);
        Verified known = verifiedTokens.getIfPresent(digest);
        if (known != null) {
            checkTimes(known.times());
            return known.caller();
        }
        SignedJWT jwt = parseSigned(token);
        verifySignature(jwt);
        JWTClaimsSet claims = claims(jwt);
        TimeClaims times = TimeClaims.of(claims);
        checkTimes(times);
        checkIssuerAndAudience(claims);
        Caller caller = new Caller(userId(claims), scopes(claims));
        verifiedTokens.put(digest, new Verified(caller, times));
        return caller;
    }

    /** SHA-256 of a token's text, as four longs: compact, and equal only for the same text. */
    private record TokenDigest(long a, long b, long c, long d) {
        // Cloned per use: MessageDigest.getInstance looks the provider up each time, which cost more
        // in the balance-read profile than hashing the token.
        private static final MessageDigest SHA256 = newSha256();

        static TokenDigest of(String token) {
            MessageDigest sha256;
            try {
                sha256 = (MessageDigest) SHA256.clone();
            } catch (CloneNotSupportedException e) {
                sha256 = newSha256();
            }
            ByteBuffer digest = ByteBuffer.wrap(sha256.digest(token.getBytes(StandardCharsets.UTF_8)));
            return new TokenDigest(digest.getLong(), digest.getLong(), digest.getLong(), digest.getLong());
        }

        private static MessageDigest newSha256() {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java runtime has SHA-256", e);
            }
        }
    }

    /** What a verified token proved, and the claims that must be checked against the clock on every use. */
    private record Verified(Caller caller, TimeClaims times) {
    }

    /** {@code exp}, {@code nbf} and {@code iat}; null when the token has no such claim. */
    private record TimeClaims(Instant expiration, Instant notBefore, Instant issuedAt) {
        static TimeClaims of(JWTClaimsSet claims) {
            return new TimeClaims(instant(claims.getExpirationTime()), instant(claims.getNotBeforeTime()),
                    instant(claims.getIssueTime()));
        }

        private static Instant instant(Date date) {
            return date == null ? null : date.toInstant();
        }
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

    private void verifySignature(SignedJWT jwt) {
        JWSHeader header = jwt.getHeader();
        for (JWSVerifier verifier : verifiersFor(header)) {
            try {
                if (jwt.verify(verifier)) {
                    return;
                }
            } catch (JOSEException e) {
                // This key cannot check this signature (type or curve mismatch): try the next one.
            }
        }
        throw invalid("The token signature is not valid");
    }

    private List<JWSVerifier> verifiersFor(JWSHeader header) {
        JWSAlgorithm algorithm = header.getAlgorithm();
        if (JWSAlgorithm.HS256.equals(algorithm)) {
            return hmacVerifier.map(List::of).orElseThrow(() -> invalid("HS256 tokens are not accepted here"));
        }
        if (!JWKS_ALGORITHMS.contains(algorithm) || jwks.isEmpty()) {
            // The name comes from the token: not echoed.
            throw invalid("The token algorithm is not accepted here");
        }
        List<JWK> keys;
        try {
            // forJWSHeader matches key type, curve, kid, use and alg against the header.
            keys = jwks.get().get(new JWKSelector(JWKMatcher.forJWSHeader(header)), null);
        } catch (KeySourceException e) {
            LOGGER.log(System.Logger.Level.WARNING, "JWKS unavailable: " + e.getMessage());
            throw new ApiException(ErrorCode.SERVICE_UNAVAILABLE, "Token verification keys are unavailable; try again shortly")
                    .withHeader(HeaderNames.RETRY_AFTER_NAME, "5");
        }
        List<JWSVerifier> verifiers = new ArrayList<>(keys.size());
        for (JWK key : keys) {
            keyVerifier(key).ifPresent(verifiers::add);
        }
        return verifiers;
    }

    private Optional<JWSVerifier> keyVerifier(JWK key) {
        if (keyVerifiers.size() > MAX_CACHED_KEY_VERIFIERS) {
            // A rotating remote JWKS keeps producing new keys; old ones are simply rebuilt if seen again.
            keyVerifiers.clear();
        }
        return keyVerifiers.computeIfAbsent(key, JwtVerifier::newKeyVerifier);
    }

    private static Optional<JWSVerifier> newKeyVerifier(JWK key) {
        try {
            if (key instanceof RSAKey rsa) {
                return Optional.of(new RSASSAVerifier(rsa));
            }
            if (key instanceof ECKey ec) {
                return Optional.of(new ECDSAVerifier(ec));
            }
        } catch (JOSEException e) {
            LOGGER.log(System.Logger.Level.WARNING, "Unusable JWKS key " + key.getKeyID() + ": " + e.getMessage());
        }
        return Optional.empty();
    }

    private static JWTClaimsSet claims(SignedJWT jwt) {
        try {
            return jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw invalid("The token claims are malformed");
        }
    }

    private void checkTimes(TimeClaims claims) {
        Instant now = clock.instant();
        Instant expiration = claims.expiration();
        if (expiration == null) {
            throw invalid("The token has no exp claim");
        }
        if (!now.isBefore(expiration.plus(CLOCK_SKEW))) {
            throw new ApiException(ErrorCode.TOKEN_EXPIRED, "The token has expired");
        }
        Instant notBefore = claims.notBefore();
        if (notBefore != null && now.plus(CLOCK_SKEW).isBefore(notBefore)) {
            throw invalid("The token is not valid yet (nbf)");
        }
        Instant issuedAt = claims.issuedAt();
        if (issuedAt != null && now.plus(CLOCK_SKEW).isBefore(issuedAt)) {
            throw invalid("The token was issued in the future (iat)");
        }
    }

    private void checkIssuerAndAudience(JWTClaimsSet claims) {
        if (issuer.isPresent() && !issuer.get().equals(claims.getIssuer())) {
            throw invalid("The token issuer is not accepted");
        }
        if (audience.isPresent()) {
            List<String> audiences = claims.getAudience();
            if (audiences == null || !audiences.contains(audience.get())) {
                throw invalid("The token audience is not accepted");
            }
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

    private static JWSVerifier hmacVerifier(String secret) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_HMAC_SECRET_BYTES) {
            throw new IllegalArgumentException("The JWT HMAC secret must be at least " + MIN_HMAC_SECRET_BYTES
                    + " bytes; the one configured has " + bytes.length);
        }
        try {
            return new MACVerifier(bytes);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("The JWT HMAC secret cannot be used: " + e.getMessage());
        }
    }

    private static JWKSource<SecurityContext> jwkSource(String location) {
        if (isUrl(location)) {
            try {
                // Cached and rate-limited refreshes; an unknown kid triggers at most one refetch per interval.
                return JWKSourceBuilder.<SecurityContext>create(URI.create(location).toURL()).build();
            } catch (MalformedURLException | IllegalArgumentException e) {
                throw new IllegalArgumentException("The JWKS URL is not valid: " + location);
            }
        }
        Path path = location.toLowerCase(Locale.ROOT).startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
        try {
            JWKSet keys = JWKSet.load(path.toFile()).toPublicJWKSet();
            if (keys.isEmpty()) {
                throw new IllegalArgumentException("The JWKS file " + path + " holds no public keys");
            }
            return new ImmutableJWKSet<>(keys);
        } catch (IOException | ParseException e) {
            throw new IllegalArgumentException("The JWKS file " + path + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static boolean isUrl(String location) {
        String lower = location.toLowerCase(Locale.ROOT);
        return lower.startsWith("http://") || lower.startsWith("https://");
    }
}
