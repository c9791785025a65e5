package credits.adapters.http;

import credits.adapters.http.auth.DevTokens;
import credits.adapters.http.support.ApiFixture;
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
import java.time.Duration;
import java.util.List;

import static credits.adapters.http.support.ApiFixture.CLOCK;
import static credits.adapters.http.support.ApiFixture.SECRET;
import static credits.adapters.http.support.Problems.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/** The wire itself, on a real port: HEAD framing on a kept-alive connection, raw query strings. */
@ServerTest
class OverRealSocketTest {

    private static final String TOKEN = DevTokens.mintHs256(SECRET, "socket_user", List.of(), Duration.ofHours(1), CLOCK);

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
        ApiFixture.route(routing, ApiFixture.useCase(new InMemoryCreditsAdapter()), AuthSettings.hmac(SECRET));
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
}
