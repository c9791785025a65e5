package credits.adapters.http.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.proc.SingleKeyJWSKeySelector;
import credits.adapters.http.AuthSettings;

import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The keys tokens are checked with, loaded once from the settings, each bound to the algorithms it
 * may check: HS256 only with the shared secret, RS256/ES256 only with the configured JWKS. Keys a
 * token names itself ({@code jku}, {@code x5u}, {@code jwk}) are never looked at.
 */
public final class VerificationKeys {

    /** The smallest HS256 key RFC 7518 allows (as long as the hash); the one rule for every HMAC secret. */
    public static final int MIN_HMAC_SECRET_BYTES = 32;

    private static final Set<JWSAlgorithm> JWKS_ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);

    private VerificationKeys() {
    }

    /**
     * The secret's UTF-8 bytes, once it is long enough for HS256.
     *
     * @param name what the secret is called in the message (a setting, a file)
     * @throws IllegalArgumentException when it is too short; the message never contains the secret
     */
    public static byte[] hmacSecretBytes(String secret, String name) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_HMAC_SECRET_BYTES) {
            throw new IllegalArgumentException(name + " must be at least " + MIN_HMAC_SECRET_BYTES
                    + " bytes; it has " + bytes.length);
        }
        return bytes;
    }

    /**
     * Which key selector checks which algorithm; an algorithm not in the map is refused.
     *
     * @throws IllegalArgumentException when the secret is too short or the JWKS cannot be read
     */
    static Map<JWSAlgorithm, JWSKeySelector<SecurityContext>> selectors(AuthSettings settings) {
        Map<JWSAlgorithm, JWSKeySelector<SecurityContext>> selectors = new HashMap<>();
        settings.hmacSecret().ifPresent(secret -> selectors.put(JWSAlgorithm.HS256, hmac(secret)));
        settings.jwksLocation().ifPresent(location -> {
            // Matches key type, curve, kid, use and alg of a JWK against the header.
            JWSKeySelector<SecurityContext> jwks = new JWSVerificationKeySelector<>(JWKS_ALGORITHMS, jwkSource(location));
            JWKS_ALGORITHMS.forEach(algorithm -> selectors.put(algorithm, jwks));
        });
        return Map.copyOf(selectors);
    }

    /** The one shared secret, whatever {@code kid} the token carries (a JWK selector would refuse a kid our secret lacks). */
    private static JWSKeySelector<SecurityContext> hmac(String secret) {
        byte[] bytes = hmacSecretBytes(secret, "The JWT HMAC secret");
        return new SingleKeyJWSKeySelector<>(JWSAlgorithm.HS256, new SecretKeySpec(bytes, "HmacSHA256"));
    }

    private static JWKSource<SecurityContext> jwkSource(String location) {
        if (isUrl(location)) {
            try {
                // Nimbus's defaults: cached, rate-limited refreshes (an unknown kid triggers at most one
                // refetch per interval), short connect/read timeouts and a response size limit.
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
