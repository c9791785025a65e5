package credits.adapters.http;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import credits.adapters.http.support.ApiFixture;
import credits.adapters.http.support.Tokens;
import credits.adapters.persistence.memory.InMemoryCreditsAdapter;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webserver.testing.junit5.DirectClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static credits.adapters.http.support.ApiFixture.CREDITS;
import static credits.adapters.http.support.ApiFixture.NOW;
import static credits.adapters.http.support.ApiFixture.SECRET;
import static credits.adapters.http.support.Problems.assertProblem;
import static credits.adapters.http.support.Problems.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Authentication under each deployment setting: JWKS keys, required issuer/audience, a trusted gateway. */
class CreditsApiAuthTest {

    private static final HeaderName X_USER_ID = HeaderNames.create("X-User-Id");

    @TempDir
    static Path dir;
    private static RSAKey rsa;
    private static ECKey ec;
    private static Path jwksFile;

    @BeforeAll
    static void keys() throws JOSEException, IOException {
        rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        jwksFile = dir.resolve("jwks.json");
        Files.writeString(jwksFile, new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK())).toString());
    }

    private static AuthSettings settings(Optional<String> secret, Optional<String> jwks, Optional<String> issuer,
                                         Optional<String> audience, boolean trustUserHeader) {
        return new AuthSettings(secret, jwks, issuer, audience, trustUserHeader);
    }

    private static DirectClient client(AuthSettings auth) {
        return ApiFixture.client(ApiFixture.useCases(new InMemoryCreditsAdapter()), auth);
    }

    private static ClientResponseTyped<String> get(DirectClient client, String token) {
        return client.get(CREDITS).header(HeaderNames.AUTHORIZATION, "Bearer " + token).request(String.class);
    }

    @Test
    void rs256TokenVerifiedWithAKeyFromTheJwksFileIsAccepted() {
        DirectClient client = client(settings(Optional.empty(), Optional.of(jwksFile.toString()), Optional.empty(), Optional.empty(), false));

        ClientResponseTyped<String> response = get(client, Tokens.rs256(rsa, Tokens.validClaims("rsa_user", NOW).build()));

        assertThat(response.entity(), response.status().code(), is(200));
        assertThat(json(response.entity()).path("user_id").asText(), is("rsa_user"));
    }

    @Test
    void es256TokenVerifiedWithAKeyFromTheJwksFileIsAccepted() {
        DirectClient client = client(settings(Optional.empty(), Optional.of(jwksFile.toString()), Optional.empty(), Optional.empty(), false));

        ClientResponseTyped<String> response = get(client, Tokens.es256(ec, Tokens.validClaims("ec_user", NOW).build()));

        assertThat(response.entity(), response.status().code(), is(200));
    }

    @Test
    void hs256TokenSignedWithTheRsaPublicKeyIsRefused() throws JOSEException {
        DirectClient jwksOnly = client(settings(Optional.empty(), Optional.of(jwksFile.toString()), Optional.empty(), Optional.empty(), false));
        DirectClient both = client(settings(Optional.of(SECRET), Optional.of(jwksFile.toString()), Optional.empty(), Optional.empty(), false));
        byte[] publicKeyDer = rsa.toRSAPublicKey().getEncoded();
        byte[] publicJwk = rsa.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);

        for (byte[] confusedKey : List.of(publicKeyDer, publicJwk)) {
            String forged = Tokens.hs256(confusedKey, Tokens.validClaims("victim", NOW).build());
            assertProblem(get(jwksOnly, forged), 401, "INVALID_TOKEN");
            assertProblem(get(both, forged), 401, "INVALID_TOKEN");
        }
    }

    @Test
    void rs256TokenIsRefusedWhenOnlyTheSharedSecretIsConfigured() {
        DirectClient client = client(AuthSettings.hmac(SECRET));

        assertProblem(get(client, Tokens.rs256(rsa, Tokens.validClaims("rsa_user", NOW).build())), 401, "INVALID_TOKEN");
    }

    @Test
    void configuredIssuerIsRequired() {
        DirectClient client = client(settings(Optional.of(SECRET), Optional.empty(), Optional.of("https://issuer.example"), Optional.empty(), false));

        String right = Tokens.hs256(SECRET, Tokens.validClaims("u1", NOW).issuer("https://issuer.example").build());
        String wrong = Tokens.hs256(SECRET, Tokens.validClaims("u1", NOW).issuer("https://evil.example").build());
        String none = Tokens.hs256(SECRET, Tokens.validClaims("u1", NOW).build());

        assertThat(get(client, right).status().code(), is(200));
        assertProblem(get(client, wrong), 401, "INVALID_TOKEN");
        assertProblem(get(client, none), 401, "INVALID_TOKEN");
    }

    @Test
    void configuredAudienceMustBeAmongTheTokenAudiences() {
        DirectClient client = client(settings(Optional.of(SECRET), Optional.empty(), Optional.empty(), Optional.of("credits"), false));

        String single = Tokens.hs256(SECRET, Tokens.validClaims("u1", NOW).audience("credits").build());
        String several = Tokens.hs256(SECRET, Tokens.validClaims("u1", NOW).audience(List.of("other", "credits")).build());
        String wrong = Tokens.hs256(SECRET, Tokens.validClaims("u1", NOW).audience("other").build());
        String none = Tokens.hs256(SECRET, Tokens.validClaims("u1", NOW).build());

        assertThat(get(client, single).status().code(), is(200));
        assertThat(get(client, several).status().code(), is(200));
        assertProblem(get(client, wrong), 401, "INVALID_TOKEN");
        assertProblem(get(client, none), 401, "INVALID_TOKEN");
    }

    @Test
    void issuerAndAudienceAreNotCheckedWhenNotConfigured() {
        DirectClient client = client(AuthSettings.hmac(SECRET));

        String token = Tokens.hs256(SECRET, Tokens.validClaims("u1", NOW).issuer("anyone").audience("anything").build());

        assertThat(get(client, token).status().code(), is(200));
    }

    @Test
    void trustedGatewayUserHeaderAuthenticatesThatUser() {
        DirectClient client = client(settings(Optional.of(SECRET), Optional.empty(), Optional.empty(), Optional.empty(), true));

        ClientResponseTyped<String> response = client.get(CREDITS).header(X_USER_ID, "gateway_user").request(String.class);

        assertThat(response.entity(), response.status().code(), is(200));
        assertThat(json(response.entity()).path("user_id").asText(), is("gateway_user"));
    }

    @Test
    void trustedGatewayWorksWithoutAnyTokenConfiguration() {
        DirectClient client = client(settings(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), true));

        assertThat(client.get(CREDITS).header(X_USER_ID, "gateway_user").request(String.class).status().code(), is(200));
    }

    @Test
    void invalidUserHeaderFromATrustedGatewayIsAnInvalidAuthHeader() {
        DirectClient client = client(settings(Optional.of(SECRET), Optional.empty(), Optional.empty(), Optional.empty(), true));

        ClientResponseTyped<String> tooLong = client.get(CREDITS).header(X_USER_ID, "u".repeat(256)).request(String.class);

        assertProblem(tooLong, 401, "INVALID_AUTH_HEADER");
    }

    @Test
    void authorizationHeaderWinsOverTheTrustedUserHeader() {
        DirectClient client = client(settings(Optional.of(SECRET), Optional.empty(), Optional.empty(), Optional.empty(), true));
        String token = Tokens.hs256(SECRET, Tokens.validClaims("token_user", NOW).build());

        ClientResponseTyped<String> valid = client.get(CREDITS)
                .header(HeaderNames.AUTHORIZATION, "Bearer " + token)
                .header(X_USER_ID, "header_user")
                .request(String.class);
        ClientResponseTyped<String> invalid = client.get(CREDITS)
                .header(HeaderNames.AUTHORIZATION, "Bearer invalid.jwt.token")
                .header(X_USER_ID, "header_user")
                .request(String.class);

        assertThat(json(valid.entity()).path("user_id").asText(), is("token_user"));
        assertProblem(invalid, 401, "INVALID_TOKEN");
    }

    @Test
    void tooShortSecretIsRefusedAtStartUpWithoutRevealingIt() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> CreditsApi.builder(ApiFixture.useCases(new InMemoryCreditsAdapter()), AuthSettings.hmac("short-secret-xyz")).build());

        assertThat(refused.getMessage().contains("short-secret-xyz"), is(false));
    }

    @Test
    void unreadableJwksFileIsRefusedAtStartUp() {
        assertThrows(IllegalArgumentException.class,
                () -> CreditsApi.builder(ApiFixture.useCases(new InMemoryCreditsAdapter()),
                        settings(Optional.empty(), Optional.of(dir.resolve("missing.json").toString()), Optional.empty(), Optional.empty(), false))
                        .build());
    }

    @Test
    void settingsNeverShowTheSecret() {
        assertThat(AuthSettings.hmac(SECRET).toString().contains(SECRET), is(false));
    }
}
