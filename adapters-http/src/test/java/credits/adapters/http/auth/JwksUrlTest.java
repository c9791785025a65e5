package credits.adapters.http.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.sun.net.httpserver.HttpServer;
import credits.adapters.http.AuthSettings;
import credits.adapters.http.error.ApiException;
import credits.adapters.http.error.ErrorCode;
import credits.adapters.http.support.Tokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static credits.adapters.http.support.ApiFixture.NOW;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A JWKS served over HTTP, as an identity provider publishes it: fetched once and cached. */
class JwksUrlTest {

    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final AtomicInteger FETCHES = new AtomicInteger();
    private static HttpServer server;
    private static RSAKey key;

    @BeforeAll
    static void serveJwks() throws IOException, JOSEException {
        key = new RSAKeyGenerator(2048).keyID("idp-1").generate();
        byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.createContext("/jwks.json", exchange -> {
            FETCHES.incrementAndGet();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            exchange.getResponseBody().write(jwks);
            exchange.close();
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    private static JwtVerifier verifierFor(String url) {
        return new JwtVerifier(new AuthSettings(Optional.empty(), Optional.of(url), Optional.empty(), Optional.empty(), false), CLOCK);
    }

    @Test
    void tokensAreVerifiedWithKeysFetchedFromTheUrlWhichIsCached() {
        JwtVerifier verifier = verifierFor("http://localhost:" + server.getAddress().getPort() + "/jwks.json");
        int before = FETCHES.get();

        for (int i = 0; i < 3; i++) {
            assertThat(verifier.verify(Tokens.rs256(key, Tokens.validClaims("idp_user", NOW).build())).userId().value(), is("idp_user"));
        }
        assertThat(FETCHES.get() - before, is(1));
    }

    @Test
    void unreachableJwksIsServiceUnavailableNotTheCallersFault() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        JwtVerifier verifier = verifierFor("http://localhost:" + closedPort + "/jwks.json");

        ApiException refusal = assertThrows(ApiException.class,
                () -> verifier.verify(Tokens.rs256(key, Tokens.validClaims("idp_user", NOW).build())));

        assertThat(refusal.code(), is(ErrorCode.SERVICE_UNAVAILABLE));
        assertThat(refusal.headers().get("Retry-After"), is("5"));
    }
}
