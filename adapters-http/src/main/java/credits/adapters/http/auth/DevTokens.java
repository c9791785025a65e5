package credits.adapters.http.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/** HS256 tokens signed with the service's own secret: for the {@code token} command and for tests, never for production identity. */
public final class DevTokens {

    private DevTokens() {
    }

    public static String mintHs256(String hmacSecret, String userId, List<String> scopes, Duration ttl, Clock clock) {
        return mintHs256(hmacSecret, userId, scopes, ttl, clock, Optional.empty(), Optional.empty());
    }

    /** Also sets {@code iss}/{@code aud}, for deployments that require them. */
    public static String mintHs256(String hmacSecret, String userId, List<String> scopes, Duration ttl, Clock clock,
                                   Optional<String> issuer, Optional<String> audience) {
        byte[] secret = VerificationKeys.hmacSecretBytes(hmacSecret, "The HMAC secret");
        // JWT times are whole seconds.
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .subject(userId)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)));
        if (!scopes.isEmpty()) {
            claims.claim("scope", String.join(" ", scopes));
        }
        issuer.ifPresent(claims::issuer);
        audience.ifPresent(claims::audience);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims.build());
        try {
            jwt.sign(new MACSigner(secret));
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot sign the token", e);
        }
        return jwt.serialize();
    }
}
