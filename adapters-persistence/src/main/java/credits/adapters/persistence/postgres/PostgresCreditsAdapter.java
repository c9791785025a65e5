package credits.adapters.persistence.postgres;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import credits.domain.Credit;
import credits.domain.CreditsPort;
import credits.domain.UserId;
import credits.domain.Usdc;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbColumn;
import io.helidon.dbclient.DbRow;

/**
 * {@link CreditsPort} on PostgreSQL through Helidon DbClient. It translates between rows and
 * domain values and leaves every rule about accounts to the database constraints and the core.
 */
final class PostgresCreditsAdapter implements CreditsPort {

    private static final String COLUMNS = "user_id, balance_units, held_units, created_at, updated_at";

    private static final String FIND = "SELECT " + COLUMNS + " FROM credits WHERE user_id = :user_id";

    // DO UPDATE rather than DO NOTHING: under READ COMMITTED the loser of a race for a new user
    // then waits for the winner's row and gets it back from RETURNING, in the same statement. The
    // no-op SET leaves every value as the winner wrote it.
    private static final String CREATE = "INSERT INTO credits (" + COLUMNS + ")"
            + " VALUES (:user_id, 0, 0, :now, :now)"
            + " ON CONFLICT (user_id) DO UPDATE SET user_id = EXCLUDED.user_id"
            + " RETURNING " + COLUMNS;

    private final DbClient dbClient;

    PostgresCreditsAdapter(DbClient dbClient) {
        this.dbClient = Objects.requireNonNull(dbClient, "dbClient");
    }

    @Override
    public Credit getOrCreate(UserId userId, Instant now) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(now, "now");
        // Almost every call is for an existing user: one primary-key read, and no write (no row
        // lock, no dead tuple) unless the account is really missing.
        return find(userId).orElseGet(() -> dbClient.execute()
                .createGet(CREATE)
                .params(Map.of("user_id", userId.value(), "now", timestamp(now)))
                .execute()
                .map(PostgresCreditsAdapter::toCredit)
                .orElseThrow(() -> new IllegalStateException("INSERT ... RETURNING gave no row")));
    }

    @Override
    public Optional<Credit> find(UserId userId) {
        Objects.requireNonNull(userId, "userId");
        return dbClient.execute()
                .createGet(FIND)
                .params(Map.of("user_id", userId.value()))
                .execute()
                .map(PostgresCreditsAdapter::toCredit);
    }

    // The one place a row becomes a domain value.
    private static Credit toCredit(DbRow row) {
        return new Credit(
                UserId.of(row.column("user_id").get(String.class)),
                Usdc.ofUnits(row.column("balance_units").get(Long.class)),
                Usdc.ofUnits(row.column("held_units").get(Long.class)),
                instant(row.column("created_at")),
                instant(row.column("updated_at")));
    }

    // The PostgreSQL driver reads timestamptz as java.sql.Timestamp, which keeps the exact instant.
    private static Instant instant(DbColumn column) {
        return column.get(Timestamp.class).toInstant();
    }

    // The driver binds OffsetDateTime as timestamptz (it has no binding for Instant); UTC keeps the
    // stored instant independent of the JVM's time zone.
    private static OffsetDateTime timestamp(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
