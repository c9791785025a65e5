package credits.adapters.http;

import java.util.Objects;
import java.util.Optional;

/**
 * How callers authenticate (see the contract's "Authentication and roles").
 *
 * @param hmacSecret      shared secret for HS256 tokens, at least 32 bytes (UTF-8)
 * @param jwksLocation    a JWKS for RS256/ES256 tokens: a file path, or an http(s) URL fetched and cached
 * @param issuer          required {@code iss}, checked only when present
 * @param audience        required {@code aud} entry, checked only when present
 * @param trustUserHeader whether {@code X-User-Id} authenticates (only behind a trusted gateway)
 */
public record AuthSettings(Optional<String> hmacSecret, Optional<String> jwksLocation,
                           Optional<String> issuer, Optional<String> audience,
                           boolean trustUserHeader) {

    public AuthSettings {
        // Blank counts as unset: an environment variable set to "" means "not configured".
        hmacSecret = nonBlank(hmacSecret, "hmacSecret");
        jwksLocation = nonBlank(jwksLocation, "jwksLocation");
        issuer = nonBlank(issuer, "issuer");
        audience = nonBlank(audience, "audience");
    }

    /** HS256 with {@code hmacSecret} only, nothing else configured. */
    public static AuthSettings hmac(String hmacSecret) {
        return new AuthSettings(Optional.of(hmacSecret), Optional.empty(), Optional.empty(), Optional.empty(), false);
    }

    private static Optional<String> nonBlank(Optional<String> value, String name) {
        return Objects.requireNonNull(value, name).filter(v -> !v.isBlank());
    }

    /** Never shows the secret: settings end up in start-up logs and exception messages. */
    @Override
    public String toString() {
        return "AuthSettings[hmacSecret=" + hmacSecret.map(s -> "(set)").orElse("(unset)")
                + ", jwksLocation=" + jwksLocation.orElse("(unset)")
                + ", issuer=" + issuer.orElse("(unset)")
                + ", audience=" + audience.orElse("(unset)")
                + ", trustUserHeader=" + trustUserHeader + "]";
    }
}
