package credits.adapters.http;

import credits.adapters.http.auth.Authenticator;
import credits.adapters.http.error.ProblemDirectHandler;
import credits.adapters.http.error.ProblemErrorHandler;
import credits.adapters.http.limit.RateLimiter;
import credits.adapters.http.observe.LedgerMetrics;
import credits.adapters.http.observe.ObservabilityFilter;
import credits.adapters.http.cors.CorsFilter;
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
    private final LotCursors lotCursors;
    private final HistoryCursors holdCursors;
    private final DeliveryCursors deliveryCursors;
    private final Clock clock;

    private CreditsApi(Builder builder) {
        this.settings = builder.settings;
        this.useCases = builder.useCases;
        // Built here, not per request, so bad settings fail at start-up and buckets outlive requests.
        this.admission = new Admission(new Authenticator(builder.auth, builder.clock),
                new RateLimiter(settings.userRateLimit(), builder.clock), new RateLimiter(settings.serviceRateLimit(), builder.clock));
        this.meterRegistry = builder.meterRegistry;
        this.ledgerMetrics = LedgerMetrics.create(meterRegistry);
        this.cursors = new HistoryCursors(builder.historyCursorKey);
        // One key, four purposes: a lot, hold or delivery cursor never opens a history page, nor any the other listings.
        this.lotCursors = new LotCursors(builder.historyCursorKey);
        this.holdCursors = HistoryCursors.forHolds(builder.historyCursorKey);
        this.deliveryCursors = new DeliveryCursors(builder.historyCursorKey);
        this.clock = builder.clock;
    }

    /** The one way to build the adapter: the use cases and how callers are authenticated, then what differs from the defaults. */
    public static Builder builder(UseCases useCases, AuthSettings auth) {
        return new Builder(useCases, auth);
    }

    /** Defaults: no rate limits and no CORS, the system clock, nothing measured (the access log still follows its logger's level). */
    public static final class Builder {

        private final UseCases useCases;
        private final AuthSettings auth;
        private ApiSettings settings = ApiSettings.unlimited();
        private Clock clock = Clock.systemUTC();
        private Optional<MeterRegistry> meterRegistry = Optional.empty();
        private HistoryCursorKey historyCursorKey = HistoryCursorKey.random();

        private Builder(UseCases useCases, AuthSettings auth) {
            this.useCases = Objects.requireNonNull(useCases, "useCases");
            this.auth = Objects.requireNonNull(auth, "auth");
        }

        /** Rate limits and the CORS allow-list. */
        public Builder settings(ApiSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * What token times ({@code exp}, {@code nbf}, {@code iat}), rate-limit refills and a grant's {@code expires_at}
         * are read from: the use cases' clock.
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Where request timings and ledger outcomes are recorded: the registry that {@code /metrics}
         * serves (e.g. {@code Services.get(MeterRegistry.class)}).
         */
        public Builder meterRegistry(MeterRegistry meterRegistry) {
            this.meterRegistry = Optional.of(Objects.requireNonNull(meterRegistry, "meterRegistry"));
            return this;
        }

        /**
         * The key history, lot and hold cursors are sealed with, which every instance on one database shares.
         * Without it the adapter makes a key of its own, so its cursors work only on this instance:
         * fine for one process (and tests), wrong for several instances on one database.
         */
        public Builder historyCursorKey(HistoryCursorKey historyCursorKey) {
            this.historyCursorKey = Objects.requireNonNull(historyCursorKey, "historyCursorKey");
            return this;
        }

        /** @throws IllegalArgumentException when the auth settings are unusable (secret too short, JWKS unreadable) */
        public CreditsApi build() {
            return new CreditsApi(this);
        }
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
                new LotsHttpService(useCases.listLots(), admission, lotCursors),
                new HoldsHttpService(useCases, admission, ledgerMetrics, holdCursors),
                // Routes match in registration order: the literal admin paths (grant, refunds) must come
                // before /api/admin/billing/credits/{user_id}, which would otherwise take "grant" for a user id.
                new MoneyMovesHttpService(useCases, admission, ledgerMetrics, clock),
                new AdminCreditsHttpService(useCases, admission, cursors, lotCursors, holdCursors),
                new AlertsHttpService(useCases, admission),
                new WebhooksHttpService(useCases, admission, deliveryCursors));
    }
}
