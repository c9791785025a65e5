package credits.adapters.http.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;

/** Hand-made tokens, good and bad, for auth tests. */
public final class Tokens {

    private Tokens() {
    }

    /** Claims for {@code sub} valid for an hour around {@code now}. */
    public static JWTClaimsSet.Builder validClaims(String subject, Instant now) {
        return new JWTClaimsSet.Builder()
                .subject(subject)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(3600)));
    }

    public static String hs256(String secret, JWTClaimsSet claims) {
        return hs256(secret.getBytes(StandardCharsets.UTF_8), claims);
    }

    public static String hs256(byte[] secret, JWTClaimsSet claims) {
        try {
            return sign(new JWSHeader(JWSAlgorithm.HS256), claims, new MACSigner(secret));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String rs256(RSAKey key, JWTClaimsSet claims) {
        try {
            return sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims, new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String es256(ECKey key, JWTClaimsSet claims) {
        try {
            return sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), claims, new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An unsigned token ({@code alg: none}), with an empty or a bogus signature part. */
    public static String unsigned(JWTClaimsSet claims, String signaturePart) {
        return Base64URL.encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + Base64URL.encode(claims.toString()) + "." + signaturePart;
    }

    private static String sign(JWSHeader header, JWTClaimsSet claims, JWSSigner signer) throws JOSEException {
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(signer);
        return jwt.serialize();
    }
}
