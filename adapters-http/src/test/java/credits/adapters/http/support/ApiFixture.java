package credits.adapters.http.support;

import credits.adapters.http.AuthSettings;
import credits.adapters.http.CreditsApi;
import credits.adapters.http.HistoryCursorKey;
import credits.adapters.http.UseCases;
import credits.adapters.http.auth.DevTokens;
import credits.application.port.in.CaptureHold;
import credits.application.port.in.DeductCredits;
import credits.application.port.in.FindHold;
import credits.application.port.in.ListHolds;
import credits.application.port.in.PlaceHold;
import credits.application.port.in.ReleaseHold;
import credits.application.port.in.FindCredit;
import credits.application.port.in.GetOrCreateCredit;
import credits.application.port.in.GrantCredits;
import credits.application.port.in.ListLots;
import credits.application.port.in.ListTransactions;
import credits.application.port.in.RefundDeduction;
import credits.application.port.in.TopupCredits;
import credits.application.port.out.EntryIds;
import credits.adapters.persistence.memory.InMemoryCreditsAdapter;
import credits.adapters.persistence.memory.InMemoryWebhooksAdapter;
import credits.application.port.in.CreateWebhookEndpoint;
import credits.application.port.in.DeleteWebhookEndpoint;
import credits.application.port.in.GetLowBalanceThreshold;
import credits.application.port.in.ListWebhookDeliveries;
import credits.application.port.in.ListWebhookEndpoints;
import credits.application.port.in.SetLowBalanceThreshold;
import credits.application.service.CaptureHoldService;
import credits.application.service.CreateWebhookEndpointService;
import credits.application.service.DeleteWebhookEndpointService;
import credits.application.service.GetLowBalanceThresholdService;
import credits.application.service.ListWebhookDeliveriesService;
import credits.application.service.ListWebhookEndpointsService;
import credits.application.service.SetLowBalanceThresholdService;
import credits.application.service.DeductCreditsService;
import credits.application.service.FindHoldService;
import credits.application.service.ListHoldsService;
import credits.application.service.PlaceHoldService;
import credits.application.service.ReleaseHoldService;
import credits.application.service.FindCreditService;
import credits.application.service.GetOrCreateCreditService;
import credits.application.service.GrantCreditsService;
import credits.application.service.ListLotsService;
import credits.application.service.ListTransactionsService;
import credits.application.service.RefundDeductionService;
import credits.application.service.TopupCreditsService;
import credits.domain.CreditsPort;
import credits.domain.EndpointId;
import credits.domain.WebhookSecret;
import credits.domain.WebhooksPort;
import credits.domain.EntryId;
import credits.domain.EntryType;
import credits.domain.LedgerEntry;
import credits.domain.LedgerHash;
import credits.domain.LotTerms;
import credits.domain.Usdc;
import credits.domain.UserId;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import static org.mockito.Mockito.mock;

/** What the HTTP tests share: a fixed clock, the dev secret, and routings built exactly as bootstrap builds them. */
public final class ApiFixture {

    public static final Instant NOW = Instant.parse("2024-01-20T14:22:00Z");
    public static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    public static final String SECRET = "test-secret-that-is-at-least-32-bytes-long";
    /** The key the routings of {@link #route} seal history cursors with, so tests can make cursors of their own. */
    public static final HistoryCursorKey CURSOR_KEY = HistoryCursorKey.of(new byte[HistoryCursorKey.LENGTH_BYTES]);

    public static final String CREDITS = "/api/billing/credits";
    public static final String TRANSACTIONS = "/api/billing/credits/transactions";
    public static final String DEDUCTIONS = "/api/billing/credits/deductions";
    public static final String GRANT = "/api/admin/billing/credits/grant";
    public static final String REFUNDS = "/api/admin/billing/credits/refunds";
    public static final String TOPUPS = "/api/billing/credits/topups";
    public static final String LOTS = "/api/billing/credits/lots";
    public static final String ADMIN_CREDITS = "/api/admin/billing/credits/";
    public static final String HOLDS = "/api/billing/credits/holds";
    public static final String ALERTS = "/api/billing/credits/alerts";
    public static final String WEBHOOKS = "/api/admin/billing/webhooks";
    /** The active holds a user may have in the routings built here: small, so the limit is reachable in a test. */
    public static final int MAX_ACTIVE_HOLDS = 3;

    public static final String ADMIN = "credits:admin";
    public static final String METER = "credits:meter";
    public static final String DEPOSIT = "credits:deposit";

    private ApiFixture() {
    }

    /** The real use cases over {@code port}; entry ids count up from 00000000-0000-0000-0000-000000000001. */
    public static UseCases useCases(CreditsPort port) {
        AtomicLong next = new AtomicLong();
        EntryIds ids = () -> new EntryId(new UUID(0, next.incrementAndGet()));
        return useCases(port, CLOCK, ids);
    }

    /**
     * The real use cases over {@code port}, on {@code clock}, as bootstrap wires them; the webhooks are the in-memory
     * store's own outbox (a fresh one for another store), with random endpoint ids and secrets.
     */
    public static UseCases useCases(CreditsPort port, Clock clock, EntryIds ids) {
        return useCases(port, clock, ids, EndpointId::random, WebhookSecret::random);
    }

    /** As above, with the endpoint ids and secrets given (for examples that show fixed ones). */
    public static UseCases useCases(CreditsPort port, Clock clock, EntryIds ids, Supplier<EndpointId> endpointIds,
                                    Supplier<WebhookSecret> secrets) {
        WebhooksPort webhooks = port instanceof InMemoryCreditsAdapter memory ? memory.webhooks() : new InMemoryWebhooksAdapter();
        return new UseCases(new GetOrCreateCreditService(port, clock), new FindCreditService(port, clock),
                new GrantCreditsService(port, clock, ids), new TopupCreditsService(port, clock, ids),
                new DeductCreditsService(port, clock, ids), new RefundDeductionService(port, clock, ids),
                new ListTransactionsService(port, clock), new ListLotsService(port, clock),
                new PlaceHoldService(port, clock, ids, MAX_ACTIVE_HOLDS), new CaptureHoldService(port, clock, ids),
                new ReleaseHoldService(port, clock, ids), new FindHoldService(port, clock), new ListHoldsService(port, clock),
                new GetLowBalanceThresholdService(port), new SetLowBalanceThresholdService(port, clock),
                new CreateWebhookEndpointService(webhooks, clock, endpointIds, secrets), new ListWebhookEndpointsService(webhooks),
                new DeleteWebhookEndpointService(webhooks, clock), new ListWebhookDeliveriesService(webhooks));
    }

    /** Every use case a Mockito mock, for tests that prove a request never reaches one. */
    public static UseCases mockedUseCases() {
        return new UseCases(mock(GetOrCreateCredit.class), mock(FindCredit.class), mock(GrantCredits.class),
                mock(TopupCredits.class), mock(DeductCredits.class), mock(RefundDeduction.class),
                mock(ListTransactions.class), mock(ListLots.class), mock(PlaceHold.class), mock(CaptureHold.class),
                mock(ReleaseHold.class), mock(FindHold.class), mock(ListHolds.class), mock(GetLowBalanceThreshold.class),
                mock(SetLowBalanceThreshold.class), mock(CreateWebhookEndpoint.class), mock(ListWebhookEndpoints.class),
                mock(DeleteWebhookEndpoint.class), mock(ListWebhookDeliveries.class));
    }

    /**
     * The {@code n}-th entry as a grant of {@code amount} to {@code userId} with the default terms, at {@link #NOW}: the
     * user's first entry, so chained from {@link LedgerHash#GENESIS} as every stored entry is.
     */
    public static LedgerEntry grantEntry(long n, String userId, String amount) {
        EntryId id = new EntryId(new UUID(0, n));
        return new LedgerEntry(id, UserId.of(userId), EntryType.GRANT, Usdc.parse(amount), Usdc.parse(amount), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.of(id), List.of(), Optional.of(LotTerms.DEFAULT_GRANT), Optional.empty(), NOW)
                .chained(LedgerHash.GENESIS);
    }

    /** The id the {@code n}-th entry written through {@link #useCases} gets. */
    public static String entryId(long n) {
        return new UUID(0, n).toString();
    }

    public static void route(HttpRouting.Builder routing, UseCases useCases, AuthSettings auth) {
        CreditsApi.builder(useCases, auth).clock(CLOCK).historyCursorKey(CURSOR_KEY).build().register(routing);
    }

    /** A client for a routing other than the test class's own, built by {@code api} (rate limits, CORS, metrics). */
    public static DirectClient client(CreditsApi api) {
        HttpRouting.Builder routing = HttpRouting.builder();
        api.register(routing);
        return new DirectClient(routing);
    }

    /** A client for a routing other than the test class's own (other auth settings, a failing use case). */
    public static DirectClient client(UseCases useCases, AuthSettings auth) {
        HttpRouting.Builder routing = HttpRouting.builder();
        route(routing, useCases, auth);
        return new DirectClient(routing);
    }

    /** An {@code Authorization} value for {@code userId} with the given scopes, as the {@code token} command mints it. */
    public static String bearer(String userId, String... scopes) {
        return "Bearer " + DevTokens.mintHs256(SECRET, userId, List.of(scopes), Duration.ofHours(1), CLOCK);
    }
}
