package credits.adapters.http;

import credits.adapters.http.auth.DevTokens;
import credits.adapters.http.support.ApiFixture;
import credits.adapters.http.support.LogCapture;
import credits.adapters.http.support.RawHttp;
import credits.adapters.persistence.memory.InMemoryCreditsAdapter;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import static credits.adapters.http.support.ApiFixture.CLOCK;
import static credits.adapters.http.support.ApiFixture.SECRET;
import static credits.adapters.http.support.Problems.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

/** The wire itself, on a real port: HEAD framing on a kept-alive connection, raw query strings. */
@ServerTest
class OverRealSocketTest {

    private static final String TOKEN = DevTokens.mintHs256(SECRET, "socket_user", List.of(), Duration.ofHours(1), CLOCK);
    private static final String ADMIN_TOKEN = DevTokens.mintHs256(SECRET, "socket_admin", List.of("credits:admin"), Duration.ofHours(1), CLOCK);
    private static final String GRANT_BODY = "{\"user_id\":\"u1\",\"amount_usdc\":\"1\"}";

    private final int port;

    OverRealSocketTest(WebServer server) {
        this.port = server.port();
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        server.directHandlers(CreditsApi.directHandlers());
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        ApiFixture.route(routing, ApiFixture.useCases(new InMemoryCreditsAdapter()), AuthSettings.hmac(SECRET));
    }

    private static String request(String method, String target, String... headers) {
        StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: localhost\r\n");
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        return head.append("\r\n").toString();
    }

    @Test
    void headSendsNoBodySoTheNextResponseOnTheConnectionIsIntact() throws IOException {
        try (RawHttp http = new RawHttp(port)) {
            http.send(request("HEAD", "/api/billing/credits", "Authorization: Bearer " + TOKEN));
            RawHttp.Response head = http.read(false);
            http.send(request("GET", "/api/billing/credits", "Authorization: Bearer " + TOKEN));
            RawHttp.Response get = http.read(true);

            assertThat(head.status(), is(200));
            assertThat(get.status(), is(200));
            assertThat(get.body(), startsWith("{\"user_id\":\"socket_user\""));
            assertThat(head.header("Content-Length"), is(Integer.toString(get.body().length())));
        }
    }

    @Test
    void headOnAnErrorSendsNoBodyEither() throws IOException {
        try (RawHttp http = new RawHttp(port)) {
            http.send(request("HEAD", "/api/billing/credits"));
            RawHttp.Response unauthorized = http.read(false);
            http.send(request("HEAD", "/nowhere"));
            RawHttp.Response notFound = http.read(false);
            http.send(request("GET", "/api/billing/credits", "Authorization: Bearer " + TOKEN));
            RawHttp.Response get = http.read(true);

            assertThat(unauthorized.status(), is(401));
            assertThat(unauthorized.header("Content-Type"), is("application/problem+json"));
            assertThat(notFound.status(), is(404));
            assertThat(get.status(), is(200));
            assertThat(get.body(), startsWith("{\"user_id\":\"socket_user\""));
        }
    }

    @Test
    void rawQueryStringIsRejectedNamingTheParameter() throws IOException {
        try (RawHttp http = new RawHttp(port)) {
            http.send(request("GET", "/api/billing/credits?invalid=param", "Authorization: Bearer " + TOKEN));
            RawHttp.Response response = http.read(true);

            assertThat(response.status(), is(400));
            assertThat(json(response.body()).path("code").asText(), is("VALIDATION_ERROR"));
            assertThat(json(response.body()).path("errors").get(0).path("field").asText(), is("invalid"));
        }
    }

    @Test
    void requestHelidonRefusesBeforeRoutingIsStillProblemJsonWithRequestId() throws IOException {
        try (RawHttp http = new RawHttp(port)) {
            http.send(request("GET", "/api/billing/credits?%zz=1", "Authorization: Bearer " + TOKEN, "X-Request-Id: bad-query-1"));
            RawHttp.Response response = http.read(true);

            assertThat(response.body(), response.status(), is(400));
            assertThat(response.header("Content-Type"), is("application/problem+json"));
            // The request line fails before Helidon reads any header, so the caller's id is not known yet: a fresh one.
            assertThat(response.header("X-Request-Id"), startsWith("req_"));
            assertThat(json(response.body()).path("code").asText(), is("VALIDATION_ERROR"));
            assertThat(json(response.body()).path("request_id").asText(), is(response.header("X-Request-Id")));
        }
    }

    @Test
    void requestHelidonRefusesBeforeRoutingStillGetsAnAccessRecord() throws Exception {
        try (LogCapture access = LogCapture.of("credits.access", Level.INFO); RawHttp http = new RawHttp(port)) {
            http.send(request("GET", "/api/billing/credits?%zz=1", "Authorization: Bearer " + TOKEN));
            RawHttp.Response response = http.read(true);

            Map<?, ?> fields = (Map<?, ?>) access.next(1).getFirst().getParameters()[0];
            assertThat(fields.get("request_id"), is(response.header("X-Request-Id")));
            assertThat(fields.get("method"), is("GET"));
            assertThat(fields.get("route"), is("unmatched"));
            assertThat(fields.get("status"), is(400));
            assertThat(fields.get("user_id"), is(nullValue()));
            assertThat(fields.get("bytes"), is((long) response.body().getBytes(StandardCharsets.UTF_8).length));
            assertThat(fields.toString(), not(containsString(TOKEN)));
        }
    }

    @Test
    void unknownPathOverTheWireIsProblemJsonWithRequestId() throws IOException {
        try (RawHttp http = new RawHttp(port)) {
            http.send(request("GET", "/api/unknown", "X-Request-Id: wire-check-1"));
            RawHttp.Response response = http.read(true);

            assertThat(response.status(), is(404));
            assertThat(response.header("Content-Type"), is("application/problem+json"));
            assertThat(response.header("X-Request-Id"), is("wire-check-1"));
            assertThat(response.body(), containsString("\"request_id\":\"wire-check-1\""));
        }
    }

    private static String grantHead(String... moreHeaders) {
        String[] headers = new String[moreHeaders.length + 2];
        headers[0] = "Authorization: Bearer " + ADMIN_TOKEN;
        headers[1] = "Content-Type: application/json";
        System.arraycopy(moreHeaders, 0, headers, 2, moreHeaders.length);
        return request("POST", "/api/admin/billing/credits/grant", headers);
    }

    @Test
    void chunkedBodyOver64KibIsTooLargeWithoutBeingReadToTheEnd() throws IOException {
        try (RawHttp http = new RawHttp(port)) {
            http.send(grantHead("Idempotency-Key: chunked-1", "Transfer-Encoding: chunked"));
            String chunk = " ".repeat(8 * 1024);
            // 9 chunks of 8 KiB: past the limit; the terminating chunk is never sent.
            for (int i = 0; i < 9; i++) {
                http.send(Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n");
            }
            RawHttp.Response response = http.read(true);

            assertThat(response.body(), response.status(), is(413));
            assertThat(json(response.body()).path("code").asText(), is("PAYLOAD_TOO_LARGE"));
        }
    }

    @Test
    void declaredLengthOver64KibIsTooLargeBeforeAnyBodyIsSent() throws IOException {
        try (RawHttp http = new RawHttp(port)) {
            http.send(grantHead("Idempotency-Key: big-1", "Content-Length: " + (10 * 1024 * 1024)));
            RawHttp.Response response = http.read(true);

            assertThat(response.body(), response.status(), is(413));
            assertThat(json(response.body()).path("code").asText(), is("PAYLOAD_TOO_LARGE"));
        }
    }

    @Test
    void idempotencyKeyWithNonAsciiOrControlCharactersIsAValidationErrorNamingTheHeader() throws IOException {
        for (String key : List.of("caf\u00e9", "tab\tinside")) {
            try (RawHttp http = new RawHttp(port)) {
                http.send(grantHead("Idempotency-Key: " + key, "Content-Length: " + GRANT_BODY.length()) + GRANT_BODY);
                RawHttp.Response response = http.read(true);

                assertThat(key, response.status(), is(400));
                assertThat(json(response.body()).path("code").asText(), is("VALIDATION_ERROR"));
                assertThat(json(response.body()).path("errors").get(0).path("field").asText(), is("Idempotency-Key"));
            }
        }
    }

    @Test
    void adminPathUserIdIsPercentDecodedStrictly() throws IOException {
        try (RawHttp http = new RawHttp(port)) {
            for (String raw : List.of("a%00b", "a%0Ab", "%C3", "%C0%AF", "%ED%A0%80")) {
                http.send(request("GET", "/api/admin/billing/credits/" + raw, "Authorization: Bearer " + ADMIN_TOKEN));
                RawHttp.Response account = http.read(true);
                http.send(request("GET", "/api/admin/billing/credits/" + raw + "/transactions", "Authorization: Bearer " + ADMIN_TOKEN));
                RawHttp.Response history = http.read(true);

                assertThat(raw + " " + account.body(), account.status(), is(400));
                assertThat(json(account.body()).path("errors").get(0).path("field").asText(), is("user_id"));
                assertThat(raw + " " + history.body(), history.status(), is(400));
                assertThat(json(history.body()).path("errors").get(0).path("field").asText(), is("user_id"));
            }
            // Well-formed escapes are simply decoded: this user has no account.
            http.send(request("GET", "/api/admin/billing/credits/auth0%7Cnobody%20here", "Authorization: Bearer " + ADMIN_TOKEN));
            RawHttp.Response decoded = http.read(true);
            assertThat(decoded.body(), decoded.status(), is(404));
            assertThat(json(decoded.body()).path("code").asText(), is("NOT_FOUND"));
        }
    }

    @Test
    void historyParameterGivenTwiceIsRefusedNamingIt() throws IOException {
        try (RawHttp http = new RawHttp(port)) {
            http.send(request("GET", "/api/billing/credits/transactions?limit=5&limit=6", "Authorization: Bearer " + TOKEN));
            RawHttp.Response response = http.read(true);

            assertThat(response.status(), is(400));
            assertThat(json(response.body()).path("errors").get(0).path("field").asText(), is("limit"));
        }
    }

    @Test
    void headOnTheHistorySendsNoBody() throws IOException {
        try (RawHttp http = new RawHttp(port)) {
            http.send(request("HEAD", "/api/billing/credits/transactions?limit=1&cursor=garbage", "Authorization: Bearer " + TOKEN));
            RawHttp.Response head = http.read(false);
            http.send(request("GET", "/api/billing/credits", "Authorization: Bearer " + TOKEN));
            RawHttp.Response get = http.read(true);

            assertThat(head.status(), is(400));
            assertThat(get.status(), is(200));
            assertThat(get.body(), startsWith("{\"user_id\":\"socket_user\""));
        }
    }
}
