package credits.adapters.http;

import credits.adapters.http.auth.Authenticator;
import credits.adapters.http.error.ProblemDirectHandler;
import credits.adapters.http.error.ProblemErrorHandler;
import credits.adapters.http.limit.RateLimiter;
import credits.adapters.http.observe.LedgerMetrics;
import credits.adapters.http.observe.ObservabilityFilter;
import credits.adapters.http.request.CorsFilter;
import credits.adapters.http.request.RequestIdFilter;
import io.helidon.http.DirectHandler;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpService;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The HTTP adapter as one piece for {@code bootstrap} to wire: the observability, request-id and CORS
 * filters, the problem+json error mapping and the API routes, with their rate limits.
 *
 * <p>Unknown paths need no catch-all route: Helidon raises its own 404 when nothing matches, and the
 * error mapping turns it into problem+json. A catch-all would shadow routes that features such as
 * health, metrics and OpenAPI add after the main routing (they carry lower weights).
 */
public final class CreditsApi {

    private final UseCases useCases;
    private final Admission admission;
    private final ApiSettings settings;
    private final Optional<MeterRegistry> meterRegistry;
    private final LedgerMetrics ledgerMetrics;
    private final HistoryCursors cursors;

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

    /** Without metrics: nothing is measured (the access log still follows its logger's level). */
    public CreditsApi(UseCases useCases, AuthSettings auth, ApiSettings settings, Clock clock) {
        this(useCases, auth, settings, clock, Optional.empty(), HistoryCursorKey.random());
    }

    /**
     * @param clock         token times and rate-limit refills are read from it
     * @param meterRegistry where request timings and ledger outcomes are recorded: the registry that
     *                      {@code /metrics} serves (e.g. {@code Services.get(MeterRegistry.class)})
     */
    public CreditsApi(UseCases useCases, AuthSettings auth, ApiSettings settings, Clock clock, MeterRegistry meterRegistry) {
        this(useCases, auth, settings, clock, Optional.of(Objects.requireNonNull(meterRegistry, "meterRegistry")),
                HistoryCursorKey.random());
    }

    /**
     * As bootstrap builds it. The constructors without a {@code cursorKey} seal history cursors with a key
     * of their own, so their cursors work only on that instance: fine for one process, wrong for several
     * instances on one database.
     *
     * @param cursorKey the key every instance on the database shares, which history cursors are sealed with
     */
    public CreditsApi(UseCases useCases, AuthSettings auth, ApiSettings settings, Clock clock, MeterRegistry meterRegistry,
                      HistoryCursorKey cursorKey) {
        this(useCases, auth, settings, clock, Optional.of(Objects.requireNonNull(meterRegistry, "meterRegistry")), cursorKey);
    }

    /** Without metrics, with the given cursor key: for tests that make cursors of their own. */
    public CreditsApi(UseCases useCases, AuthSettings auth, Clock clock, HistoryCursorKey cursorKey) {
        this(useCases, auth, ApiSettings.unlimited(), clock, Optional.empty(), cursorKey);
    }

    private CreditsApi(UseCases useCases, AuthSettings auth, ApiSettings settings, Clock clock,
                       Optional<MeterRegistry> meterRegistry, HistoryCursorKey cursorKey) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.useCases = Objects.requireNonNull(useCases, "useCases");
        Objects.requireNonNull(clock, "clock");
        // Built here, not per request, so bad settings fail at start-up and buckets outlive requests.
        this.admission = new Admission(new Authenticator(Objects.requireNonNull(auth, "auth"), clock),
                new RateLimiter(settings.userRateLimit(), clock), new RateLimiter(settings.serviceRateLimit(), clock));
        this.meterRegistry = meterRegistry;
        this.ledgerMetrics = LedgerMetrics.create(meterRegistry);
        this.cursors = new HistoryCursors(Objects.requireNonNull(cursorKey, "cursorKey"));
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

    /**
     * Adds the filters (observability first, so it times and logs everything, refusals by later filters
     * included; then request id; then CORS when origins are configured), the error mapping and the routes.
     */
    public void register(HttpRouting.Builder routing) {
        routing.addFilter(new ObservabilityFilter(meterRegistry))
                .addFilter(new RequestIdFilter());
        if (!settings.corsOrigins().isEmpty()) {
            routing.addFilter(new CorsFilter(settings.corsOrigins()));
        }
        routing.error(Throwable.class, new ProblemErrorHandler())
                .register(services().toArray(HttpService[]::new));
    }

    /**
     * The API's routes, in registration order. {@link #register} installs exactly these, and the
     * OpenAPI test records what they register to hold the published document to the real routing.
     */
    List<HttpService> services() {
        return List.of(new CreditsHttpService(useCases.getOrCreateCredit(), admission),
                new TransactionsHttpService(useCases.listTransactions(), admission, cursors),
                new DeductionsHttpService(useCases.deductCredits(), admission, ledgerMetrics),
                // Routes match in registration order: the literal admin paths must come before
                // /api/admin/billing/credits/{user_id}, which would otherwise take "grant" for a user id.
                new GrantsHttpService(useCases.grantCredits(), admission, ledgerMetrics),
                new RefundsHttpService(useCases.refundDeduction(), admission, ledgerMetrics),
                new AdminCreditsHttpService(useCases.findCredit(), useCases.listTransactions(), admission, cursors));
    }
}
