package credits.adapters.http;

import credits.adapters.http.support.ApiFixture;
import credits.adapters.persistence.memory.InMemoryCreditsAdapter;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Headers;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import org.junit.jupiter.api.Test;

import java.util.List;

import static credits.adapters.http.support.ApiFixture.CLOCK;
import static credits.adapters.http.support.ApiFixture.CREDITS;
import static credits.adapters.http.support.ApiFixture.DEDUCTIONS;
import static credits.adapters.http.support.ApiFixture.SECRET;
import static credits.adapters.http.support.ApiFixture.bearer;
import static credits.adapters.http.support.Problems.assertProblem;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * CORS for an allow-listed browser frontend: preflights answered before authentication and routing,
 * the exact origin echoed (never {@code *}), nothing at all for other origins or when none is configured.
 */
@RoutingTest
class CorsTest {

    private static final String FRONTEND = "https://billing.example.com";
    private static final String ELSEWHERE = "https://evil.example.net";

    private final DirectClient client;

    CorsTest(DirectClient client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        CreditsApi.builder(ApiFixture.useCases(new InMemoryCreditsAdapter()), AuthSettings.hmac(SECRET))
                .settings(new ApiSettings(ApiSettings.RateLimit.DISABLED, ApiSettings.RateLimit.DISABLED, List.of(FRONTEND + "/")))
                .clock(CLOCK).build()
                .register(routing);
    }

    private static ClientResponseTyped<String> preflight(DirectClient client, String path, String origin, String method, String headers) {
        Http1ClientRequest request = client.method(Method.OPTIONS).path(path)
                .header(HeaderNames.ORIGIN, origin)
                .header(HeaderNames.ACCESS_CONTROL_REQUEST_METHOD, method);
        if (headers != null) {
            request.header(HeaderNames.ACCESS_CONTROL_REQUEST_HEADERS, headers);
        }
        return request.request(String.class);
    }

    private static String header(ClientResponseTyped<String> response, HeaderName name) {
        return response.headers().first(name).orElse("(none)");
    }

    private static boolean hasCorsHeaders(Headers headers) {
        return headers.contains(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN) || headers.contains(HeaderNames.ACCESS_CONTROL_ALLOW_METHODS)
                || headers.contains(HeaderNames.ACCESS_CONTROL_ALLOW_HEADERS) || headers.contains(HeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS)
                || headers.contains(HeaderNames.ACCESS_CONTROL_MAX_AGE) || headers.contains(HeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS);
    }

    @Test
    void preflightFromTheFrontendIsAnsweredWithoutCredentialsAndWithoutReachingTheRoutes() {
        ClientResponseTyped<String> response = preflight(client, DEDUCTIONS, FRONTEND, "POST",
                "authorization, content-type, idempotency-key, x-request-id");

        assertThat(response.status().code(), is(204));
        assertThat(header(response, HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN), is(FRONTEND));
        assertThat(header(response, HeaderNames.ACCESS_CONTROL_ALLOW_METHODS), is("GET, HEAD, POST"));
        assertThat(header(response, HeaderNames.ACCESS_CONTROL_ALLOW_HEADERS), is("Authorization, Content-Type, Idempotency-Key, X-Request-Id"));
        assertThat(header(response, HeaderNames.ACCESS_CONTROL_MAX_AGE), is("3600"));
        assertThat(header(response, HeaderNames.VARY), containsString("Origin"));
        assertThat(response.headers().contains(HeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS), is(false));
    }

    @Test
    void preflightForAGetOnAPathWithAParameterIsAnsweredToo() {
        ClientResponseTyped<String> response = preflight(client, "/api/admin/billing/credits/user_1/transactions", FRONTEND, "GET",
                "Authorization");

        assertThat(response.status().code(), is(204));
        assertThat(header(response, HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN), is(FRONTEND));
    }

    @Test
    void preflightFromAnotherOriginIsForbiddenWithoutCorsHeaders() {
        ClientResponseTyped<String> response = preflight(client, CREDITS, ELSEWHERE, "GET", "authorization");

        assertProblem(response, 403, "FORBIDDEN");
        assertThat(hasCorsHeaders(response.headers()), is(false));
    }

    @Test
    void preflightForAMethodOrHeaderTheApiDoesNotAcceptIsForbidden() {
        ClientResponseTyped<String> delete = preflight(client, CREDITS, FRONTEND, "DELETE", null);
        ClientResponseTyped<String> cookieHeader = preflight(client, CREDITS, FRONTEND, "GET", "authorization, x-custom-tracking");

        assertProblem(delete, 403, "FORBIDDEN");
        assertThat(hasCorsHeaders(delete.headers()), is(false));
        assertProblem(cookieHeader, 403, "FORBIDDEN");
        assertThat(hasCorsHeaders(cookieHeader.headers()), is(false));
    }

    @Test
    void requestFromTheFrontendCarriesItsOriginAndTheExposedHeaders() {
        ClientResponseTyped<String> response = client.get(CREDITS).header(HeaderNames.ORIGIN, FRONTEND)
                .header(HeaderNames.AUTHORIZATION, bearer("browser_user")).request(String.class);

        assertThat(response.status().code(), is(200));
        assertThat(header(response, HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN), is(FRONTEND));
        assertThat(header(response, HeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS), is("X-Request-Id, Idempotent-Replayed, Retry-After"));
        assertThat(header(response, HeaderNames.VARY), is("Origin"));
    }

    @Test
    void errorsForTheFrontendAreReadableByItToo() {
        ClientResponseTyped<String> response = client.get(CREDITS).header(HeaderNames.ORIGIN, FRONTEND).request(String.class);

        assertProblem(response, 401, "UNAUTHORIZED");
        assertThat(header(response, HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN), is(FRONTEND));
        assertThat(header(response, HeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS), containsString("X-Request-Id"));
    }

    @Test
    void requestFromAnotherOriginIsServedWithoutCorsHeaders() {
        ClientResponseTyped<String> response = client.get(CREDITS).header(HeaderNames.ORIGIN, ELSEWHERE)
                .header(HeaderNames.AUTHORIZATION, bearer("browser_user")).request(String.class);

        assertThat(response.status().code(), is(200));
        assertThat(hasCorsHeaders(response.headers()), is(false));
    }

    @Test
    void optionsWithoutCorsHeadersIsAnOrdinaryMethodNotAllowed() {
        ClientResponseTyped<String> response = client.method(Method.OPTIONS).path(CREDITS).request(String.class);

        assertProblem(response, 405, "METHOD_NOT_ALLOWED");
    }

    @Test
    void withoutConfiguredOriginsNoResponseCarriesCorsHeaders() {
        DirectClient plain = ApiFixture.client(ApiFixture.useCases(new InMemoryCreditsAdapter()), AuthSettings.hmac(SECRET));

        ClientResponseTyped<String> preflight = preflight(plain, CREDITS, FRONTEND, "GET", "authorization");
        ClientResponseTyped<String> request = plain.get(CREDITS).header(HeaderNames.ORIGIN, FRONTEND)
                .header(HeaderNames.AUTHORIZATION, bearer("browser_user")).request(String.class);

        assertThat(hasCorsHeaders(preflight.headers()), is(false));
        assertThat(request.status().code(), is(200));
        assertThat(hasCorsHeaders(request.headers()), is(false));
        assertThat(request.headers().contains(HeaderNames.VARY), is(false));
    }

    @Test
    void anOriginWithAPathIsRefusedAsNoBrowserWouldEverSendIt() {
        for (String notAnOrigin : List.of(FRONTEND + "/app", FRONTEND + "/app/", "*")) {
            assertThrows(IllegalArgumentException.class,
                    () -> ApiSettings.origins(List.of(notAnOrigin)), notAnOrigin);
        }
        assertThat(ApiSettings.origins(List.of(" HTTPS://Billing.Example.com/ ", "", FRONTEND, "http://localhost:5173")),
                is(List.of(FRONTEND, "http://localhost:5173")));
    }
}
