package credits.adapters.http.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import credits.adapters.http.AuthSettings;
import credits.adapters.http.support.ApiFixture;
import credits.adapters.http.support.Tokens;
import credits.adapters.persistence.memory.InMemoryCreditsAdapter;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static credits.adapters.http.support.ApiFixture.ADMIN_CREDITS;
import static credits.adapters.http.support.ApiFixture.CREDITS;
import static credits.adapters.http.support.ApiFixture.NOW;
import static credits.adapters.http.support.ApiFixture.SECRET;
import static credits.adapters.http.support.Problems.assertProblem;
import static credits.adapters.http.support.Problems.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;

/**
 * Issue 6 item 4, as one table: each known JWT attack against the real routing, with an HS256 secret
 * and a JWKS file (RS256, with a kid) both configured and {@code iss}/{@code aud} required, answers the
 * expected 401/403 problem+json without echoing the token; good HS256 and RS256 tokens still pass, so
 * the table cannot be satisfied by refusing everything.
 */
@RoutingTest
class JwtAttackMatrixTest {

    private static final String ISSUER = "https://issuer.example";
    private static final String AUDIENCE = "credits";
    private static final String VICTIM = "victim_user";
    private static final String ATTACKER = "attacker_user";

    private static final RSAKey TRUSTED = rsaKey("trusted-rsa-1");
    private static final RSAKey ATTACKER_KEY = rsaKey("attacker-rsa");
    private static final Path JWKS_FILE = jwksFile();
    private static final AtomicInteger EVIL_FETCHES = new AtomicInteger();
    /** Where the jku/x5u rows point: any accept here means the verifier fetched a key the token named. */
    private static final ServerSocket EVIL_SERVER = evilServer();

    private final DirectClient client;

    JwtAttackMatrixTest(DirectClient client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        AuthSettings auth = new AuthSettings(Optional.of(SECRET), Optional.of(JWKS_FILE.toString()),
                Optional.of(ISSUER), Optional.of(AUDIENCE), false);
        ApiFixture.route(routing, ApiFixture.useCases(new InMemoryCreditsAdapter()), auth);
    }

    @AfterAll
    static void closeEvilServer() throws IOException {
        EVIL_SERVER.close();
        Files.deleteIfExists(JWKS_FILE);
    }

    /** One row: what the attacker sends (a token for {@code Authorization}, on a path) and what must come back. */
    private record Attack(String path, Supplier<String> token, int status, String code) {
    }

    static Stream<Arguments> attacks() {
        return Stream.of(
                row("a good HS256 token with the configured iss and aud is accepted",
                        CREDITS, () -> hs256(valid(VICTIM)), 200, null),
                row("a good RS256 token signed by the JWKS key is accepted",
                        CREDITS, () -> Tokens.rs256(TRUSTED, valid(VICTIM).build()), 200, null),
                row("an unsigned alg-none token naming the victim is refused",
                        CREDITS, () -> Tokens.unsigned(valid(VICTIM).build(), ""), 401, "INVALID_TOKEN"),
                row("an alg-none token with a bogus signature part is refused",
                        CREDITS, () -> Tokens.unsigned(valid(VICTIM).build(), "c2lnbmF0dXJl"), 401, "INVALID_TOKEN"),
                row("an HS256 token keyed with the RSA public key's encoded bytes is refused",
                        CREDITS, () -> Tokens.hs256(publicKeyBytes(), valid(VICTIM).build()), 401, "INVALID_TOKEN"),
                row("an HS256 token keyed with the RSA public JWK's JSON is refused",
                        CREDITS, () -> Tokens.hs256(TRUSTED.toPublicJWK().toJSONString(), valid(VICTIM).build()), 401, "INVALID_TOKEN"),
                row("an RS256 token with an unknown kid signed by another key is refused",
                        CREDITS, () -> Tokens.rs256(ATTACKER_KEY, valid(VICTIM).build()), 401, "INVALID_TOKEN"),
                row("an RS256 token with the trusted kid but signed by another key is refused",
                        CREDITS, () -> rs256ByAttacker(header().keyID(TRUSTED.getKeyID())), 401, "INVALID_TOKEN"),
                row("a jku header to a closed local port is refused",
                        CREDITS, () -> rs256ByAttacker(header().keyID(ATTACKER_KEY.getKeyID())
                                .jwkURL(URI.create("http://127.0.0.1:1/evil.json"))), 401, "INVALID_TOKEN"),
                row("a jku header to a listening server is refused without fetching it",
                        CREDITS, () -> rs256ByAttacker(header().keyID(ATTACKER_KEY.getKeyID()).jwkURL(evilUrl("jwks.json"))),
                        401, "INVALID_TOKEN"),
                row("an x5u header to a listening server is refused without fetching it",
                        CREDITS, () -> rs256ByAttacker(header().keyID(ATTACKER_KEY.getKeyID()).x509CertURL(evilUrl("cert.pem"))),
                        401, "INVALID_TOKEN"),
                row("an embedded jwk header carrying the attacker's key is refused",
                        CREDITS, () -> rs256ByAttacker(header().keyID(TRUSTED.getKeyID()).jwk(ATTACKER_KEY.toPublicJWK())),
                        401, "INVALID_TOKEN"),
                row("an expired token is refused as expired",
                        CREDITS, () -> hs256(valid(VICTIM).expirationTime(Date.from(NOW.minus(Duration.ofMinutes(5))))),
                        401, "TOKEN_EXPIRED"),
                row("a token whose nbf is in the future is refused",
                        CREDITS, () -> hs256(valid(VICTIM).notBeforeTime(Date.from(NOW.plus(Duration.ofMinutes(5))))),
                        401, "INVALID_TOKEN"),
                row("a token without exp is refused",
                        CREDITS, () -> hs256(valid(VICTIM).expirationTime(null)), 401, "INVALID_TOKEN"),
                row("a token without sub or userId is refused",
                        CREDITS, () -> hs256(valid(VICTIM).subject(null)), 401, "INVALID_TOKEN"),
                row("a token from the wrong issuer is refused",
                        CREDITS, () -> hs256(valid(VICTIM).issuer("https://evil.example")), 401, "INVALID_TOKEN"),
                row("a token for the wrong audience is refused",
                        CREDITS, () -> hs256(valid(VICTIM).audience("someone-else")), 401, "INVALID_TOKEN"),
                row("an HS256 token whose payload was swapped for the victim's is refused",
                        CREDITS, () -> swapPayload(hs256(valid(ATTACKER)), valid(VICTIM).build()), 401, "INVALID_TOKEN"),
                row("an RS256 token whose payload was swapped for an admin's is refused",
                        CREDITS, () -> swapPayload(Tokens.rs256(TRUSTED, valid(ATTACKER).build()),
                                valid(ATTACKER).claim("scope", ApiFixture.ADMIN).build()), 401, "INVALID_TOKEN"),
                row("a token over the verifier's 8 KiB limit but within the header limit is refused",
                        CREDITS, () -> hs256(valid(VICTIM).claim("padding", "x".repeat(10 * 1024))), 401, "INVALID_TOKEN"),
                row("a token with a 20 KiB claim is refused by the server's header limit before routing",
                        CREDITS, () -> hs256(valid(VICTIM).claim("padding", "x".repeat(20 * 1024))), 400, null),
                row("a user's own valid token on the admin route for another user's account is forbidden",
                        ADMIN_CREDITS + VICTIM, () -> hs256(valid(ATTACKER)), 403, "FORBIDDEN"),
                row("a user's own valid token on the admin route for another user's history is forbidden",
                        ADMIN_CREDITS + VICTIM + "/transactions", () -> hs256(valid(ATTACKER)), 403, "FORBIDDEN"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void eachAttackGetsItsStatusAndCodeAsProblemJsonWithoutEchoingTheToken(String description, Attack attack) {
        String token = attack.token().get();
        long started = System.nanoTime();

        if (attack.code() == null && attack.status() != 200) {
            assertRefusedBeforeRouting(description, attack, token, started);
            return;
        }
        ClientResponseTyped<String> response = client.get(attack.path())
                .header(HeaderNames.AUTHORIZATION, "Bearer " + token)
                .request(String.class);

        assertThat(description + " must never be a 5xx", response.status().code(), lessThan(500));
        if (attack.code() == null) {
            assertThat(response.entity(), response.status().code(), is(attack.status()));
            assertThat(json(response.entity()).path("user_id").asText(), is(VICTIM));
        } else {
            assertProblem(response, attack.status(), attack.code());
            assertNoEcho(response.entity() + "\n" + response.headers(), token);
        }
        assertNoFetchAndQuick(started);
    }

    /**
     * The web server's own header-size limit answers before any route or the verifier runs. In this
     * routing test that is a bare status with {@code Connection: close}; the real server installs
     * {@code CreditsApi.directHandlers()}, which turn such refusals into problem+json (covered over a
     * real socket in {@code OverRealSocketTest}). Here only the status and the absence of an echo are asserted.
     */
    private void assertRefusedBeforeRouting(String description, Attack attack, String token, long started) {
        try (HttpClientResponse response = client.get(attack.path())
                .header(HeaderNames.AUTHORIZATION, "Bearer " + token)
                .request()) {
            String body = response.entity().hasEntity() ? response.as(String.class) : "";
            assertThat(description + " must never be a 5xx", response.status().code(), lessThan(500));
            assertThat(body, response.status().code(), is(attack.status()));
            assertNoEcho(body + "\n" + response.headers(), token);
        }
        assertNoFetchAndQuick(started);
    }

    private static void assertNoFetchAndQuick(long started) {
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat("no key named by a token may be fetched", EVIL_FETCHES.get(), is(0));
        assertThat("answered without waiting on the network (" + took + ")", took.compareTo(Duration.ofSeconds(2)), lessThan(0));
    }

    private static void assertNoEcho(String everything, String token) {
        String[] parts = token.split("\\.", -1);
        assertThat(everything, not(containsString(token)));
        // The payload and signature are what identify this token; the header segment is common to many tokens.
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].length() >= 16) {
                assertThat(everything, not(containsString(parts[i])));
            }
        }
    }

    private static Arguments row(String description, String path, Supplier<String> token, int status, String code) {
        return Arguments.of(description, new Attack(path, token, status, code));
    }

    private static JWTClaimsSet.Builder valid(String subject) {
        return Tokens.validClaims(subject, NOW).issuer(ISSUER).audience(AUDIENCE);
    }

    private static String hs256(JWTClaimsSet.Builder claims) {
        return Tokens.hs256(SECRET, claims.build());
    }

    private static JWSHeader.Builder header() {
        return new JWSHeader.Builder(JWSAlgorithm.RS256);
    }

    private static String rs256ByAttacker(JWSHeader.Builder header) {
        SignedJWT jwt = new SignedJWT(header.build(), valid(VICTIM).build());
        try {
            jwt.sign(new RSASSASigner(ATTACKER_KEY));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    /** The same header and signature, with the payload segment replaced by {@code claims}. */
    private static String swapPayload(String token, JWTClaimsSet claims) {
        String[] parts = token.split("\\.");
        return parts[0] + "." + Base64URL.encode(claims.toString()) + "." + parts[2];
    }

    private static URI evilUrl(String file) {
        return URI.create("http://127.0.0.1:" + EVIL_SERVER.getLocalPort() + "/" + file);
    }

    private static byte[] publicKeyBytes() {
        try {
            return TRUSTED.toRSAPublicKey().getEncoded();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RSAKey rsaKey(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path jwksFile() {
        try {
            Path file = Files.createTempFile("jwt-attack-matrix", ".jwks.json");
            file.toFile().deleteOnExit();
            Files.writeString(file, new JWKSet(TRUSTED.toPublicJWK()).toString());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ServerSocket evilServer() {
        try {
            ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().name("evil-key-server").start(() -> {
                while (!server.isClosed()) {
                    try (Socket ignored = server.accept()) {
                        EVIL_FETCHES.incrementAndGet();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
