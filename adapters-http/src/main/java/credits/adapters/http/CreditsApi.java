package credits.adapters.http;

import credits.adapters.http.auth.Authenticator;
import credits.adapters.http.error.ProblemDirectHandler;
import credits.adapters.http.error.ProblemErrorHandler;
import credits.adapters.http.request.RequestIdFilter;
import io.helidon.http.DirectHandler;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.HttpRouting;

import io.helidon.webserver.http.HttpService;

import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * The HTTP adapter as one piece for {@code bootstrap} to wire: the request-id filter, the problem+json
 * error mapping and the API routes.
 *
 * <p>Unknown paths need no catch-all route: Helidon raises its own 404 when nothing matches, and the
 * error mapping turns it into problem+json. A catch-all would shadow routes that features such as
 * health, metrics and OpenAPI add after the main routing (they carry lower weights).
 */
public final class CreditsApi {

    private final UseCases useCases;
    private final Authenticator authenticator;
    private final ApiSettings settings;

    /**
     * @throws IllegalArgumentException when the auth settings are unusable (secret too short, JWKS unreadable)
     */
    public CreditsApi(UseCases useCases, AuthSettings auth) {
        this(useCases, auth, ApiSettings.unlimited(), Clock.systemUTC());
    }

    public CreditsApi(UseCases useCases, AuthSettings auth, ApiSettings settings) {
        this(useCases, auth, settings, Clock.systemUTC());
    }

    /** With the clock that token times ({@code exp}, {@code nbf}, {@code iat}) are checked against. */
    public CreditsApi(UseCases useCases, AuthSettings auth, Clock clock) {
        this(useCases, auth, ApiSettings.unlimited(), clock);
    }

    public CreditsApi(UseCases useCases, AuthSettings auth, ApiSettings settings, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.useCases = Objects.requireNonNull(useCases, "useCases");
        // Built here, not per request, so bad settings fail at start-up.
        this.authenticator = new Authenticator(Objects.requireNonNull(auth, "auth"), Objects.requireNonNull(clock, "clock"));
    }

    /**
     * Problem+json (with a request id) also for requests Helidon refuses before routing, e.g. a malformed
     * query string; install with {@code WebServer.builder().directHandlers(CreditsApi.directHandlers())}.
     */
    public static DirectHandlers directHandlers() {
        ProblemDirectHandler handler = new ProblemDirectHandler();
        DirectHandlers.Builder handlers = DirectHandlers.builder();
        for (DirectHandler.EventType type : DirectHandler.EventType.values()) {
            handlers.addHandler(type, handler);
        }
        return handlers.build();
    }

    /** Adds request-id filter, error mapping, the API routes, and problem+json 404/405 fallbacks. */
    public void register(HttpRouting.Builder routing) {
        routing.addFilter(new RequestIdFilter())
                .error(Throwable.class, new ProblemErrorHandler())
                .register(services().toArray(HttpService[]::new));
    }

    /**
     * The API's routes, in registration order. {@link #register} installs exactly these, and the
     * OpenAPI test records what they register to hold the published document to the real routing.
     */
    List<HttpService> services() {
        return List.of(new CreditsHttpService(useCases.getOrCreateCredit(), authenticator),
                new TransactionsHttpService(useCases.listTransactions(), authenticator),
                new DeductionsHttpService(useCases.deductCredits(), authenticator),
                // Routes match in registration order: the literal admin paths must come before
                // /api/admin/billing/credits/{user_id}, which would otherwise take "grant" for a user id.
                new GrantsHttpService(useCases.grantCredits(), authenticator),
                new RefundsHttpService(useCases.refundDeduction(), authenticator),
                new AdminCreditsHttpService(useCases.findCredit(), useCases.listTransactions(), authenticator));
    }
}
