package credits.adapters.persistence.postgres;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import credits.domain.CreditsPort;
import credits.domain.Usdc;
import credits.domain.WebhooksPort;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.jdbc.JdbcClientBuilder;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The PostgreSQL side of the service: one HikariCP pool, the schema brought up to date by Flyway,
 * and a Helidon DbClient on that pool. Open one per process; close it on shutdown.
 */
public final class PostgresStore implements AutoCloseable {

    private static final String POOL_NAME = "credits";
    private static final String MIGRATIONS = "classpath:db/migration";
    // The placeholder V3__runtime_role.sql grants the runtime role's row privileges to.
    static final String RUNTIME_ROLE_PLACEHOLDER = "runtime_role";
    private static final Duration MAX_PING_WAIT = Duration.ofMinutes(1);
    // HikariCP's floor for validationTimeout; and its smallest keepalive interval.
    private static final long MIN_VALIDATION_TIMEOUT_MS = 250;
    private static final Duration KEEPALIVE = Duration.ofSeconds(30);
    private static final long SOCKET_TIMEOUT_MARGIN_SECONDS = 5;
    /** The length of every {@link #serverKey}: 256 bits. */
    public static final int SERVER_KEY_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HikariDataSource dataSource;
    private final DbClient dbClient;
    private final PoolGate gate;
    private final PostgresCreditsAdapter credits;
    private final PostgresWebhooksAdapter webhooks;
    private final String schemaVersion;

    private PostgresStore(HikariDataSource dataSource, DbClient dbClient, PostgresSettings settings, Optional<Usdc> defaultThreshold,
                          String schemaVersion) {
        this.dataSource = dataSource;
        this.dbClient = dbClient;
        this.gate = new PoolGate(settings.maxPoolSize(), queueWait(settings));
        this.credits = new PostgresCreditsAdapter(dbClient, gate, PostgresCreditsAdapter.Pauses.NONE, defaultThreshold);
        this.schemaVersion = schemaVersion;
        this.webhooks = new PostgresWebhooksAdapter(dbClient, gate);
    }

    // The configured connection timeout bounds a request's whole wait for a connection: half of it
    // queueing behind other requests (PoolGate), half for HikariCP to hand one over, which only takes
    // long when a connection must be made or validated, i.e. when the database is slow or down.
    private static Duration poolWait(PostgresSettings settings) {
        return settings.connectionTimeout().dividedBy(2);
    }

    private static Duration queueWait(PostgresSettings settings) {
        return settings.connectionTimeout().minus(poolWait(settings));
    }

    /**
     * Connects, migrates the schema and returns a ready store.
     *
     * @throws RuntimeException (Flyway's or HikariCP's) when the database cannot be reached or migrated
     */
    public static PostgresStore open(PostgresSettings settings) {
        return open(settings, Optional.empty());
    }

    /** As {@link #open(PostgresSettings)}, with the low-balance threshold of users who set none. */
    public static PostgresStore open(PostgresSettings settings, Optional<Usdc> defaultLowBalance) {
        String schemaVersion = migrate(settings);
        HikariDataSource dataSource = new HikariDataSource(hikariConfig(settings));
        try {
            DbClient dbClient = JdbcClientBuilder.create()
                    .connectionPool(new HikariConnectionPool(dataSource))
                    .build();
            return new PostgresStore(dataSource, dbClient, settings, defaultLowBalance, schemaVersion);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }

    // Flyway gets its own short-lived connections, outside the pool: a later migration (an index on
    // a large ledger) must not be cut off by the per-request statement timeout, and nothing it sets
    // on a session may leak into pooled connections. They connect as the migration role, which
    // owns the schema; the pool's runtime role only gets the row privileges the migrations grant.
    // Returns the schema's version once it is current.
    private static String migrate(PostgresSettings settings) {
        MigrateResult result = Flyway.configure()
                .dataSource(settings.jdbcUrl(), settings.migrationUser(), settings.migrationPassword())
                .placeholders(Map.of(RUNTIME_ROLE_PLACEHOLDER, settings.user()))
                .locations(MIGRATIONS)
                // The one migration in Java: it replays v1 histories through the domain's burn-down.
                .javaMigrations(new LotsFromV1History(), new HashChainsFromHistory())
                .failOnMissingLocations(true)
                .validateMigrationNaming(true)
                // Several instances starting at once: one takes Flyway's advisory lock and migrates, the
                // others retry once a second until it is done, then find nothing to do. Flyway gives up
                // after 50 tries by default, which a migration over a large ledger outlasts; an instance
                // waits as long as the migration takes instead (its port opens only after, see
                // docs/operations.md, "Running several instances").
                .lockRetryCount(-1)
                .load()
                .migrate();
        // The last migration applied now, or, when another instance had applied them all, the
        // version found once the lock was taken (Flyway reads it under the lock).
        return result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion;
    }

    private static HikariConfig hikariConfig(PostgresSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(POOL_NAME);
        config.setJdbcUrl(settings.jdbcUrl());
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(settings.maxPoolSize());
        // A fixed-size pool, as HikariCP recommends: no connect latency on a burst.
        config.setMinimumIdle(settings.maxPoolSize());
        // How long a request waits for a connection when the database is down or the pool is busy:
        // the bound on a request's wait before it is answered 503. Validating a connection that sat
        // idle (HikariCP checks one idle for over 500 ms with isValid on borrow) counts against it too,
        // so validation gets a shorter cap than HikariCP's 5 s default.
        long connectionTimeoutMs = poolWait(settings).toMillis();
        config.setConnectionTimeout(connectionTimeoutMs);
        config.setValidationTimeout(Math.max(MIN_VALIDATION_TIMEOUT_MS, Math.min(connectionTimeoutMs / 2, 5_000)));
        // Idle connections are pinged in the background, so ones the server dropped (restart,
        // failover, idle kill) are replaced before a request borrows them.
        config.setKeepaliveTime(KEEPALIVE.toMillis());
        // The statement timeout is a session setting sent at connect time, so no extra round trip
        // per statement and it holds for every statement DbClient runs. SET works on CockroachDB and
        // YugabyteDB as well.
        // Generic plans always: every statement is a key lookup whose plan does not depend on the
        // values, but statements with optional parts (CAST(:x AS ...) IS NULL OR ...) looked cheaper to
        // PostgreSQL's heuristic when planned per call, so it re-planned a money move on every
        // execution: planning was most of a deduction's database CPU (measured: 873 → 1,551
        // deductions/s with this line, docs/benchmarks.md).
        config.setConnectionInitSql("SET statement_timeout = " + settings.statementTimeout().toMillis()
                + "; SET plan_cache_mode = force_generic_plan");
        // Fail at start-up, not on the first request, when the database is not there.
        config.setInitializationFailTimeout(settings.connectionTimeout().toMillis());
        config.setAutoCommit(true);
        // The adapter's concurrency argument (conditional UPDATEs re-checked on the newest row
        // version, decisions under row locks) is READ COMMITTED's: pin it, whatever the server's or
        // the URL's default_transaction_isolation says.
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        // The server's error detail repeats the failing row ("Key (...)=(...) already exists"),
        // which holds user ids and amounts; keep it out of exception messages and so out of logs.
        config.addDataSourceProperty("logServerErrorDetail", "false");
        // A server that stops answering without closing the socket (hung host, network partition)
        // would otherwise block a request forever: statement_timeout only works on a live server.
        // The driver takes whole seconds; past this the connection is dropped and the request gets 503.
        config.addDataSourceProperty("socketTimeout",
                Long.toString(ceilSeconds(settings.statementTimeout()) + SOCKET_TIMEOUT_MARGIN_SECONDS));
        config.addDataSourceProperty("connectTimeout", Long.toString(ceilSeconds(settings.connectionTimeout())));
        config.addDataSourceProperty("tcpKeepAlive", "true");
        return config;
    }

    /** The schema's version when this store opened: the newest migration applied, by this instance or another. */
    public String schemaVersion() {
        return schemaVersion;
    }

    /** The webhook endpoints and the outbox the credits' moves fill, backed by this store. */
    public WebhooksPort webhooks() {
        return webhooks;
    }

    /** The users' credits and ledger, backed by this store. */
    public CreditsPort credits() {
        return credits;
    }

    /**
     * Whether the database answers within {@code timeout}; for the readiness probe. A database failure gives {@code false}, never an exception.
     */
    public boolean isReachable(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (dataSource.isClosed() || timeout.isNegative() || timeout.isZero()) {
            return false;
        }
        // Connection.isValid takes whole seconds and borrowing waits up to the pool's connection
        // timeout, so the caller's bound is enforced around both.
        Duration bound = timeout.compareTo(MAX_PING_WAIT) > 0 ? MAX_PING_WAIT : timeout;
        int validSeconds = (int) bound.toSeconds() + 1;
        CompletableFuture<Boolean> check = new CompletableFuture<>();
        Thread.ofVirtual().name("credits-db-ping").start(() -> {
            try (Connection connection = dataSource.getConnection()) {
                check.complete(connection.isValid(validSeconds));
            } catch (Exception e) {
                check.complete(false);
            }
        });
        try {
            return check.get(bound.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    /**
     * The pool right now, for metrics: connections in use, idle, the requests waiting for one
     * (queued at the {@link PoolGate} or inside HikariCP), and all open connections. All zero once
     * the store is closed.
     */
    public PoolStats poolStats() {
        HikariPoolMXBean pool = dataSource.getHikariPoolMXBean();
        if (pool == null || dataSource.isClosed()) {
            return PoolStats.EMPTY;
        }
        return new PoolStats(pool.getActiveConnections(), pool.getIdleConnections(),
                gate.queued() + pool.getThreadsAwaitingConnection(), pool.getTotalConnections());
    }

    /**
     * The server key {@code name} of {@value #SERVER_KEY_BYTES} random bytes, generated on first use and kept in
     * {@code server_keys}, so every instance on this database gets the same one. Instances starting at once
     * each try to insert a key of their own; the first insert wins, the others change nothing, and all read
     * the winner. The bytes are secret: never log them.
     *
     * @param now when a key made now is recorded as created
     * @throws IllegalStateException when the stored key is not {@value #SERVER_KEY_BYTES} bytes long
     * @throws RuntimeException      (the driver's, wrapped) when the database cannot be reached
     */
    public byte[] serverKey(String name, Instant now) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(now, "now");
        byte[] candidate = new byte[SERVER_KEY_BYTES];
        RANDOM.nextBytes(candidate);
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO server_keys (name, key_bytes, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING")) {
                insert.setString(1, name);
                insert.setBytes(2, candidate);
                insert.setObject(3, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                insert.executeUpdate();
            }
            try (PreparedStatement select = connection.prepareStatement("SELECT key_bytes FROM server_keys WHERE name = ?")) {
                select.setString(1, name);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        throw new IllegalStateException("server key " + name + " was not stored");
                    }
                    byte[] key = row.getBytes(1);
                    if (key.length != SERVER_KEY_BYTES) {
                        throw new IllegalStateException("server key " + name + " in server_keys is " + key.length
                                + " bytes, not " + SERVER_KEY_BYTES);
                    }
                    return key;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read server key " + name + " (SQLSTATE " + e.getSQLState() + ")", e);
        }
    }

    /**
     * What the pool's role may do to the guards on {@code ledger_entries}: a superuser, the table's
     * owner or a member of the owner's role can disable its triggers (the append-only one included).
     *
     * @throws IllegalStateException when the catalogs cannot be read
     */
    public RuntimeRole runtimeRole() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("""
                     SELECT current_user, r.rolsuper, coalesce(pg_has_role(current_user, c.relowner, 'MEMBER'), false)
                     FROM pg_roles r LEFT JOIN pg_class c ON c.oid = to_regclass('ledger_entries')
                     WHERE r.rolname = current_user""");
             ResultSet row = select.executeQuery()) {
            if (!row.next()) {
                throw new IllegalStateException("the runtime role is not in pg_roles");
            }
            return new RuntimeRole(row.getString(1), row.getBoolean(2), row.getBoolean(3));
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the runtime role's attributes (SQLSTATE " + e.getSQLState() + ")", e);
        }
    }

    /** The pool's role: its name, whether it is a superuser, whether it owns (or may act as the owner of) the ledger. */
    public record RuntimeRole(String name, boolean superuser, boolean ownsLedger) {

        /** Whether it could switch the append-only guard off: {@code ALTER TABLE ... DISABLE TRIGGER} needs one of the two. */
        public boolean canDisableGuards() {
            return superuser || ownsLedger;
        }
    }

    /** A snapshot of the connection pool; see {@link #poolStats()}. */
    /**
     * The natural batches since start: money moves and balance reads written, and the requests they
     * carried (requests / batches is the average batch; 1 under light load).
     */
    public BatchStats batchStats() {
        return credits.batchStats();
    }

    public record BatchStats(long moveBatches, long moveRequests, long readBatches, long readRequests) {
    }

    public record PoolStats(int active, int idle, int pending, int total) {
        static final PoolStats EMPTY = new PoolStats(0, 0, 0, 0);
    }

    private static long ceilSeconds(Duration duration) {
        return Math.max(1, (duration.toMillis() + 999) / 1000);
    }

    /** For tests in this package that check how connections are set up. */
    DbClient dbClient() {
        return dbClient;
    }

    @Override
    public void close() {
        credits.close();
        dbClient.close();
        dataSource.close();
    }
}
