package credits.bootstrap;

import credits.adapters.http.AuthSettings;
import credits.adapters.http.CreditsApi;
import credits.adapters.http.HistoryCursorKey;
import credits.adapters.http.auth.VerificationKeys;
import credits.adapters.persistence.memory.InMemoryCreditsAdapter;
import credits.adapters.persistence.memory.InMemoryWebhooksAdapter;
import credits.adapters.persistence.postgres.PostgresSettings;
import credits.adapters.persistence.postgres.PostgresStore;
import credits.adapters.http.UseCases;
import credits.application.port.out.EntryIds;
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
import credits.application.service.ListTransactionsService;
import credits.application.service.ListLotsService;
import credits.application.service.RefundDeductionService;
import credits.application.service.TopupCreditsService;
import credits.application.service.SettleExpiriesService;
import credits.domain.CreditsPort;
import credits.domain.WebhooksPort;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.webserver.WebServer;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * The whole service, wired by hand: storage adapter, use cases, HTTP adapter, web server.
 * Resources are closed in the reverse order they were opened, so on shutdown the server stops
 * taking requests before the pool closes, and the pool closes before PostgreSQL stops.
 */
public final class CreditsServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(CreditsServer.class.getName());
    /** The name of the history cursor key in {@code server_keys}. */
    static final String HISTORY_CURSOR_KEY = "history_cursor";

    private final WebServer webServer;
    private final Deque<AutoCloseable> resources;
    private final String storeDescription;
    private final Optional<PostgresSettings> database;
    private final Optional<EmbeddedPostgresServer> embedded;
    private final WebhooksPort webhooks;
    private boolean closed;

    private CreditsServer(WebServer webServer, Deque<AutoCloseable> resources, String storeDescription,
                          Optional<PostgresSettings> database, Optional<EmbeddedPostgresServer> embedded, WebhooksPort webhooks) {
        this.webServer = webServer;
        this.webhooks = webhooks;
        this.resources = resources;
        this.storeDescription = storeDescription;
        this.database = database;
        this.embedded = embedded;
    }

    public static CreditsServer start(Settings settings) {
        return start(settings, Clock.systemUTC());
    }

    /** With {@code clock} as the one source of time (moves, expiry, tokens, the sweeper): tests move it instead of sleeping. */
    static CreditsServer start(Settings settings, Clock clock) {
        Deque<AutoCloseable> opened = new ArrayDeque<>();
        try {
            AuthSettings auth = authSettings(settings);
            CreditsPort credits;
            WebhooksPort webhooks;
            String store;
            Optional<PostgresSettings> database = Optional.empty();
            Optional<PostgresStore> postgresStore = Optional.empty();
            Optional<EmbeddedPostgresServer> embeddedServer = Optional.empty();
            if (settings.store() == Settings.Store.MEMORY) {
                InMemoryWebhooksAdapter memoryWebhooks = new InMemoryWebhooksAdapter();
                credits = new InMemoryCreditsAdapter(settings.defaultLowBalance(), memoryWebhooks);
                webhooks = memoryWebhooks;
                store = "memory (nothing is persisted)";
            } else {
                PostgresSettings db;
                if (settings.embeddedDatabase()) {
                    EmbeddedPostgresServer embedded = EmbeddedPostgresServer.start(settings.dataDir());
                    opened.push(embedded);
                    embeddedServer = Optional.of(embedded);
                    db = postgresSettings(settings, embedded.jdbcUrl(), embedded.user(), embedded.password())
                            .withMigrationRole(embedded.migrationUser(), embedded.migrationPassword());
                    store = "postgres (embedded PostgreSQL on port " + embedded.port() + ")";
                } else {
                    db = postgresSettings(settings, settings.dbUrl().get(), settings.dbUser().orElse(""),
                            settings.dbPassword().orElse(""))
                            .withMigrationRole(settings.migrationUser(), settings.migrationPassword());
                    store = "postgres (" + Settings.withoutQuery(settings.dbUrl().get()) + ")";
                }
                PostgresStore postgres = PostgresStore.open(db, settings.defaultLowBalance());
                opened.push(postgres);
                warnWhenTheGuardsAreTheServicesToLift(postgres);
                credits = postgres.credits();
                webhooks = postgres.webhooks();
                database = Optional.of(db);
                postgresStore = Optional.of(postgres);
            }

            // One registry for the API's meters and /metrics: Helidon's global one.
            MeterRegistry meters = Observability.registry();
            // Stopped before the store closes (resources close in reverse order).
            opened.push(ExpirySweeper.start(new SettleExpiriesService(credits, clock), settings.expirySweepInterval()));
            opened.push(WebhookDispatcher.start(webhooks, settings.webhookRetrySchedule(), clock, meters));
            CreditsApi api = CreditsApi.builder(useCases(credits, webhooks, clock, EntryIds.random(), settings.maxActiveHoldsPerUser()), auth)
                    .settings(settings.apiSettings()).clock(clock).meterRegistry(meters)
                    .historyCursorKey(historyCursorKey(settings, postgresStore, clock)).build();
            opened.push(Observability.registerGauges(meters, postgresStore));
            WebServer server = WebServer.builder()
                    .host(settings.host())
                    .port(settings.port())
                    .shutdownHook(false) // Main's hook stops everything in order
                    // On stop: no new connections, idle ones closed, in-flight requests get this long to finish.
                    .shutdownGracePeriod(settings.shutdownGrace())
                    .directHandlers(CreditsApi.directHandlers()) // problem+json for requests refused before routing
                    .routing(routing -> {
                        api.register(routing);
                        Console.register(routing); // the finance and support console: static files over the same API
                    })
                    // Only the features we install, at the paths we document: none found on the classpath.
                    .featuresDiscoverServices(false)
                    .features(Observability.features(postgresStore, meters))
                    .build()
                    .start();
            opened.push(server::stop);
            return new CreditsServer(server, opened, store, database, embeddedServer, webhooks);
        } catch (RuntimeException e) {
            closeAll(opened);
            throw e;
        }
    }

    /**
     * The append-only guard on ledger entries holds against the service only when its role cannot switch
     * it off; a role that owns the table or is a superuser could, so say so once (the role's name is no secret).
     */
    static void warnWhenTheGuardsAreTheServicesToLift(PostgresStore postgres) {
        try {
            PostgresStore.RuntimeRole role = postgres.runtimeRole();
            if (role.canDisableGuards()) {
                LOG.log(Level.WARNING, "The service's database role " + role.name() + (role.superuser() ? " is a superuser" : " owns ledger_entries")
                        + ", so it could switch off the append-only guard on the ledger: run the service under a role that owns"
                        + " nothing (CREDITS_DB_MIGRATION_USER for the owner), see docs/operations.md, \"Running against an external PostgreSQL\"");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not check whether the service's database role could switch off the ledger's guards: "
                    + e.getMessage());
        }
    }

    static UseCases useCases(CreditsPort credits, WebhooksPort webhooks, Clock clock, EntryIds ids, int maxActiveHoldsPerUser) {
        return new UseCases(
                new GetOrCreateCreditService(credits, clock),
                new FindCreditService(credits, clock),
                new GrantCreditsService(credits, clock, ids),
                new TopupCreditsService(credits, clock, ids),
                new DeductCreditsService(credits, clock, ids),
                new RefundDeductionService(credits, clock, ids),
                new ListTransactionsService(credits, clock),
                new ListLotsService(credits, clock),
                new PlaceHoldService(credits, clock, ids, maxActiveHoldsPerUser),
                new CaptureHoldService(credits, clock, ids),
                new ReleaseHoldService(credits, clock, ids),
                new FindHoldService(credits, clock),
                new ListHoldsService(credits, clock),
                new GetLowBalanceThresholdService(credits),
                new SetLowBalanceThresholdService(credits, clock),
                new CreateWebhookEndpointService(webhooks, clock),
                new ListWebhookEndpointsService(webhooks),
                new DeleteWebhookEndpointService(webhooks, clock),
                new ListWebhookDeliveriesService(webhooks));
    }

    /**
     * The key history cursors are sealed with, the same for every instance on one database: the configured
     * one, else the one kept in the database (made by the first instance to start), else, for the memory
     * store, a fresh one (its cursors die with the process, as its data does).
     */
    static HistoryCursorKey historyCursorKey(Settings settings, Optional<PostgresStore> postgres, Clock clock) {
        return settings.historyCursorKey()
                .or(() -> postgres.map(store -> HistoryCursorKey.of(store.serverKey(HISTORY_CURSOR_KEY, clock.instant()))))
                .orElseGet(HistoryCursorKey::random);
    }

    static AuthSettings authSettings(Settings settings) {
        Optional<String> secret = settings.jwtHmacSecret();
        if (secret.isEmpty() && settings.jwtJwks().isEmpty()) {
            if (!settings.mayGenerateDevSecret()) {
                throw new IllegalStateException("No JWT verification configured for an external database: set "
                        + "CREDITS_JWT_HMAC_SECRET (HS256, at least " + VerificationKeys.MIN_HMAC_SECRET_BYTES
                        + " bytes) or CREDITS_JWT_JWKS (RS256/ES256)");
            }
            secret = Optional.of(DevSecret.loadOrCreate(settings.dataDir()));
        }
        return new AuthSettings(secret, settings.jwtJwks(), settings.jwtIssuer(), settings.jwtAudience(),
                settings.trustUserHeader());
    }

    private static PostgresSettings postgresSettings(Settings settings, String url, String user, String password) {
        return new PostgresSettings(url, user, password, settings.dbPoolSize(), settings.dbConnectTimeout(),
                settings.dbStatementTimeout());
    }

    public int port() {
        return webServer.port();
    }

    public String storeDescription() {
        return storeDescription;
    }

    /** The database the service uses, for tests and operators' tools. */
    public Optional<String> jdbcUrl() {
        return database.map(PostgresSettings::jdbcUrl);
    }

    /** How the service reaches its database (the runtime role's credentials), for tests. */
    Optional<PostgresSettings> database() {
        return database;
    }

    /** The endpoints and the outbox, for tests that set endpoints without the admin routes. */
    WebhooksPort webhooks() {
        return webhooks;
    }

    /** The embedded PostgreSQL, when the service runs one; tests stop and start it to play an outage. */
    Optional<EmbeddedPostgresServer> embeddedDatabase() {
        return embedded;
    }

    /**
     * Stops taking requests, lets those in flight finish (up to the shutdown grace), then closes the
     * pool and stops the embedded PostgreSQL. Safe to call more than once and from several threads
     * (the SIGTERM handler and the shutdown hook): later calls wait for the first to finish.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeAll(resources);
    }

    private static void closeAll(Deque<AutoCloseable> resources) {
        while (!resources.isEmpty()) {
            AutoCloseable resource = resources.pop();
            try {
                resource.close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "Error while shutting down: " + e.getMessage());
            }
        }
    }
}
