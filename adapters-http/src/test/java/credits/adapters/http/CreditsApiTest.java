package credits.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import credits.adapters.http.auth.DevTokens;
import credits.adapters.http.support.ApiFixture;
import credits.adapters.http.support.SeededCredits;
import credits.adapters.http.support.Tokens;
import credits.domain.Credit;
import credits.domain.Usdc;
import credits.domain.UserId;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static credits.adapters.http.support.ApiFixture.CLOCK;
import static credits.adapters.http.support.ApiFixture.CREDITS;
import static credits.adapters.http.support.ApiFixture.NOW;
import static credits.adapters.http.support.ApiFixture.SECRET;
import static credits.adapters.http.support.Problems.X_REQUEST_ID;
import static credits.adapters.http.support.Problems.assertProblem;
import static credits.adapters.http.support.Problems.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/** GET /api/billing/credits through the real routing (no socket), HS256 auth, gateway header not trusted. */
@RoutingTest
class CreditsApiTest {

    private static final SeededCredits ACCOUNTS = new SeededCredits()
            .with(new Credit(UserId.of("user_123"), Usdc.parse("100.50"), Usdc.ZERO,
                    Instant.parse("2024-01-15T10:30:00Z"), Instant.parse("2024-01-20T14:22:00.123Z")))
            .with(new Credit(UserId.of("tiny"), Usdc.parse("0.0000001"), Usdc.ZERO, NOW, NOW))
            .with(new Credit(UserId.of("large"), Usdc.parse("999999.9999999"), Usdc.parse("0.5"), NOW, NOW));

    private final DirectClient client;

    CreditsApiTest(DirectClient client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        ApiFixture.route(routing, ApiFixture.useCases(ACCOUNTS), AuthSettings.hmac(SECRET));
    }

    private static String bearer(String userId) {
        return "Bearer " + DevTokensFor.user(userId);
    }

    private ClientResponseTyped<String> getCredits(String authorization) {
        return client.get(CREDITS).header(HeaderNames.AUTHORIZATION, authorization).request(String.class);
    }

    @Test
    void existingUserGetsTheirExactBalanceAndTimes() {
        ClientResponseTyped<String> response = getCredits(bearer("user_123"));

        assertThat(response.status().code(), is(200));
        assertThat(response.headers().contentType().map(Object::toString).orElse(""), is("application/json"));
        assertThat(response.entity(), is("{\"user_id\":\"user_123\",\"balance_usdc\":\"100.50\",\"available_usdc\":\"100.50\","
                + "\"held_usdc\":\"0.00\",\"paid_usdc\":\"0.00\",\"promotional_usdc\":\"100.50\",\"next_expiry_at\":null,"
                + "\"next_expiry_usdc\":null,\"created_at\":\"2024-01-15T10:30:00.000Z\",\"updated_at\":\"2024-01-20T14:22:00.123Z\"}"));
    }

    @Test
    void newUserGetsAnAccountAtZero() {
        JsonNode body = json(getCredits(bearer("brand_new_user")).entity());

        assertThat(body.path("user_id").asText(), is("brand_new_user"));
        assertThat(body.path("balance_usdc").asText(), is("0.00"));
        assertThat(body.path("available_usdc").asText(), is("0.00"));
        assertThat(body.path("created_at").asText(), is("2024-01-20T14:22:00.000Z"));
        assertThat(body.path("updated_at").asText(), is("2024-01-20T14:22:00.000Z"));
    }

    @Test
    void smallestAmountIsReturnedExactly() {
        JsonNode body = json(getCredits(bearer("tiny")).entity());

        assertThat(body.path("balance_usdc").asText(), is("0.0000001"));
        assertThat(body.path("balance_usdc").isTextual(), is(true));
    }

    @Test
    void largeAmountIsReturnedExactlyAndAvailableExcludesHolds() {
        JsonNode body = json(getCredits(bearer("large")).entity());

        assertThat(body.path("balance_usdc").asText(), is("999999.9999999"));
        assertThat(body.path("available_usdc").asText(), is("999999.4999999"));
    }

    @Test
    void requestWithoutCredentialsIsUnauthorized() {
        ClientResponseTyped<String> response = client.get(CREDITS).request(String.class);

        assertProblem(response, 401, "UNAUTHORIZED");
        assertThat(response.headers().first(HeaderNames.WWW_AUTHENTICATE).orElse(""), startsWith("Bearer"));
    }

    @Test
    void authorizationThatIsNotBearerIsAnInvalidAuthHeader() {
        ClientResponseTyped<String> response = getCredits("InvalidFormat token123");

        assertProblem(response, 401, "INVALID_AUTH_HEADER");
        assertThat(response.headers().first(HeaderNames.WWW_AUTHENTICATE).orElse(""), startsWith("Bearer"));
    }

    @Test
    void bearerWithoutATokenIsAnInvalidAuthHeader() {
        assertProblem(getCredits("Bearer"), 401, "INVALID_AUTH_HEADER");
        assertProblem(getCredits("Bearer two tokens"), 401, "INVALID_AUTH_HEADER");
    }

    @Test
    void bearerSchemeIsCaseInsensitive() {
        assertThat(getCredits("bearer " + DevTokensFor.user("user_123")).status().code(), is(200));
    }

    @Test
    void malformedTokenIsAnInvalidToken() {
        ClientResponseTyped<String> response = getCredits("Bearer invalid.jwt.token");

        assertProblem(response, 401, "INVALID_TOKEN");
        assertThat(response.headers().first(HeaderNames.WWW_AUTHENTICATE).orElse(""), startsWith("Bearer"));
    }

    @Test
    void expiredTokenIsReportedAsExpired() {
        String token = Tokens.hs256(SECRET, Tokens.validClaims("user_123", NOW.minusSeconds(7200))
                .expirationTime(Date.from(NOW.minusSeconds(3600))).build());

        assertProblem(getCredits("Bearer " + token), 401, "TOKEN_EXPIRED");
    }

    @Test
    void expiredTokenWithABadSignatureIsInvalidNotExpired() {
        String token = Tokens.hs256("another-secret-that-is-also-32-bytes-long!", Tokens.validClaims("user_123", NOW.minusSeconds(7200))
                .expirationTime(Date.from(NOW.minusSeconds(3600))).build());

        assertProblem(getCredits("Bearer " + token), 401, "INVALID_TOKEN");
    }

    @Test
    void unsignedTokenIsRefused() {
        String token = Tokens.unsigned(Tokens.validClaims("user_123", NOW).build(), "");

        assertProblem(getCredits("Bearer " + token), 401, "INVALID_TOKEN");
    }

    @Test
    void tokenSignedWithAnotherSecretIsRefused() {
        String token = Tokens.hs256("another-secret-that-is-also-32-bytes-long!", Tokens.validClaims("user_123", NOW).build());

        assertProblem(getCredits("Bearer " + token), 401, "INVALID_TOKEN");
    }

    @Test
    void tokenWithoutExpiryIsRefused() {
        String token = Tokens.hs256(SECRET, Tokens.validClaims("user_123", NOW).expirationTime(null).build());

        assertProblem(getCredits("Bearer " + token), 401, "INVALID_TOKEN");
    }

    @Test
    void legacyUserIdClaimIdentifiesTheUser() {
        String token = Tokens.hs256(SECRET, Tokens.validClaims(null, NOW).claim("userId", "user_123").build());

        ClientResponseTyped<String> response = getCredits("Bearer " + token);

        assertThat(response.status().code(), is(200));
        assertThat(json(response.entity()).path("user_id").asText(), is("user_123"));
    }

    @Test
    void userHeaderIsIgnoredWhenTheGatewayIsNotTrusted() {
        ClientResponseTyped<String> response = client.get(CREDITS)
                .header(HeaderNames.create("X-User-Id"), "user_123")
                .request(String.class);

        assertProblem(response, 401, "UNAUTHORIZED");
    }

    @Test
    void anyQueryParameterIsAValidationErrorNamingIt() {
        ClientResponseTyped<String> response = client.get(CREDITS).queryParam("invalid", "param")
                .header(HeaderNames.AUTHORIZATION, bearer("user_123"))
                .request(String.class);

        JsonNode body = assertProblem(response, 400, "VALIDATION_ERROR");
        assertThat(body.path("errors").size(), is(1));
        assertThat(body.path("errors").get(0).path("field").asText(), is("invalid"));
        assertThat(body.path("errors").get(0).path("message").asText(), is("unknown query parameter"));
    }

    @Test
    void errorsMemberAppearsOnlyForValidationFailures() {
        assertThat(json(getCredits("InvalidFormat token123").entity()).has("errors"), is(false));
    }

    @Test
    void unknownPathIsNotFoundAsProblemJson() {
        ClientResponseTyped<String> response = client.get("/api/billing/nothing-here").request(String.class);

        assertProblem(response, 404, "NOT_FOUND");
    }

    @Test
    void postOnTheCreditsPathIsMethodNotAllowedWithAllow() {
        ClientResponseTyped<String> response = client.post(CREDITS)
                .header(HeaderNames.AUTHORIZATION, bearer("user_123"))
                .submit("{}", String.class);

        assertProblem(response, 405, "METHOD_NOT_ALLOWED");
        assertThat(response.headers().first(HeaderNames.ALLOW).orElse(""), is("GET, HEAD"));
    }

    @Test
    void headAnswersWithTheHeadersOfGet() {
        ClientResponseTyped<String> get = getCredits(bearer("user_123"));
        // Only headers are read: the Helidon client would wait for Content-Length bytes after a HEAD.
        // That no body follows on the wire is checked over a real socket in HeadOverSocketTest.
        try (Http1ClientResponse head = client.method(Method.HEAD).uri(CREDITS)
                .header(HeaderNames.AUTHORIZATION, bearer("user_123"))
                .request()) {
            assertThat(head.status().code(), is(200));
            assertThat(head.headers().contentType().map(Object::toString).orElse(""), is("application/json"));
            assertThat(head.headers().contentLength().orElse(-1), is((long) get.entity().getBytes().length));
        }
    }

    @Test
    void wellFormedRequestIdIsEchoed() {
        ClientResponseTyped<String> response = client.get(CREDITS)
                .header(HeaderNames.AUTHORIZATION, bearer("user_123"))
                .header(X_REQUEST_ID, "abc-123_XYZ.7")
                .request(String.class);

        assertThat(response.headers().first(X_REQUEST_ID).orElse(""), is("abc-123_XYZ.7"));
    }

    @Test
    void requestIdIsGeneratedWhenNoneIsSent() {
        ClientResponseTyped<String> response = getCredits(bearer("user_123"));

        assertThat(response.headers().first(X_REQUEST_ID).orElse(""), startsWith("req_"));
    }

    @Test
    void overlongRequestIdIsReplaced() {
        String overlong = "a".repeat(200);

        ClientResponseTyped<String> response = client.get(CREDITS)
                .header(HeaderNames.AUTHORIZATION, bearer("user_123"))
                .header(X_REQUEST_ID, overlong)
                .request(String.class);

        assertThat(response.headers().first(X_REQUEST_ID).orElse(""), startsWith("req_"));
        assertThat(response.headers().first(X_REQUEST_ID).orElse(""), not(containsString(overlong)));
    }

    @Test
    void requestIdWithSpacesIsReplaced() {
        ClientResponseTyped<String> response = client.get(CREDITS)
                .header(HeaderNames.AUTHORIZATION, bearer("user_123"))
                .header(X_REQUEST_ID, "has spaces in it")
                .request(String.class);

        assertThat(response.headers().first(X_REQUEST_ID).orElse(""), startsWith("req_"));
    }

    @Test
    void errorResponsesCarryTheCallersRequestIdInHeaderAndBody() {
        ClientResponseTyped<String> unauthorized = client.get(CREDITS).header(X_REQUEST_ID, "trace-401").request(String.class);
        ClientResponseTyped<String> notFound = client.get("/nope").header(X_REQUEST_ID, "trace-404").request(String.class);
        ClientResponseTyped<String> notAllowed = client.delete(CREDITS).header(X_REQUEST_ID, "trace-405").request(String.class);

        assertThat(assertProblem(unauthorized, 401, "UNAUTHORIZED").path("request_id").asText(), is("trace-401"));
        assertThat(assertProblem(notFound, 404, "NOT_FOUND").path("request_id").asText(), is("trace-404"));
        assertThat(assertProblem(notAllowed, 405, "METHOD_NOT_ALLOWED").path("request_id").asText(), is("trace-405"));
    }

    @Test
    void threeConcurrentRequestsAllSucceed() throws Exception {
        Callable<Integer> request = () -> getCredits(bearer("concurrent_user")).status().code();
        try (ExecutorService pool = Executors.newFixedThreadPool(3)) {
            List<Future<Integer>> statuses = pool.invokeAll(List.of(request, request, request));
            for (Future<Integer> status : statuses) {
                assertThat(status.get(), is(200));
            }
        }
    }

    /** Tokens as the {@code token} command mints them. */
    private static final class DevTokensFor {
        static String user(String userId) {
            return DevTokens.mintHs256(SECRET, userId, List.of(), Duration.ofHours(1), CLOCK);
        }
    }
}
