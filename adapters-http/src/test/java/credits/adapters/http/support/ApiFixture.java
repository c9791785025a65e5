package credits.adapters.http.support;

import credits.adapters.http.AuthSettings;
import credits.adapters.http.CreditsApi;
import credits.application.port.in.GetOrCreateCredit;
import credits.application.service.GetOrCreateCreditService;
import credits.domain.CreditsPort;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** What the HTTP tests share: a fixed clock, the dev secret, and routings built exactly as bootstrap builds them. */
public final class ApiFixture {

    public static final Instant NOW = Instant.parse("2024-01-20T14:22:00Z");
    public static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    public static final String SECRET = "test-secret-that-is-at-least-32-bytes-long";
    public static final String CREDITS = "/api/billing/credits";

    private ApiFixture() {
    }

    public static GetOrCreateCredit useCase(CreditsPort port) {
        return new GetOrCreateCreditService(port, CLOCK);
    }

    public static void route(HttpRouting.Builder routing, GetOrCreateCredit useCase, AuthSettings auth) {
        new CreditsApi(useCase, auth, CLOCK).register(routing);
    }

    /** A client for a routing other than the test class's own (other auth settings, a failing use case). */
    public static DirectClient client(GetOrCreateCredit useCase, AuthSettings auth) {
        HttpRouting.Builder routing = HttpRouting.builder();
        route(routing, useCase, auth);
        return new DirectClient(routing);
    }
}
