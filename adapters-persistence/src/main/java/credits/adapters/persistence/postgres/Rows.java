package credits.adapters.persistence.postgres;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import credits.domain.Credit;
import credits.domain.EntryId;
import credits.domain.EntryType;
import credits.domain.Idempotency;
import credits.domain.LedgerEntry;
import credits.domain.UserId;
import credits.domain.Usdc;
import io.helidon.dbclient.DbColumn;
import io.helidon.dbclient.DbRow;

/** The one place rows become domain values and domain values become statement parameters. */
final class Rows {

    private Rows() {
    }

    static Credit credit(DbRow row) {
        return new Credit(
                UserId.of(row.column("user_id").get(String.class)),
                Usdc.ofUnits(row.column("balance_units").get(Long.class)),
                Usdc.ofUnits(row.column("held_units").get(Long.class)),
                instant(row.column("created_at")),
                instant(row.column("updated_at")));
    }

    /** A ledger row with its history position. */
    static Positioned entry(DbRow row) {
        return new Positioned(row.column("seq").get(Long.class), new LedgerEntry(
                new EntryId(row.column("id").get(UUID.class)),
                UserId.of(row.column("user_id").get(String.class)),
                EntryType.fromCode(row.column("type").get(String.class)),
                Usdc.ofUnits(row.column("amount_units").get(Long.class)),
                Usdc.ofUnits(row.column("balance_after_units").get(Long.class)),
                Optional.ofNullable(row.column("reference").get(String.class)),
                Optional.ofNullable(row.column("reason").get(String.class)),
                Optional.ofNullable(row.column("deduction_id").get(UUID.class)).map(EntryId::new),
                instant(row.column("created_at"))));
    }

    static String fingerprint(DbRow row) {
        return row.column("fingerprint").get(String.class);
    }

    record Positioned(long seq, LedgerEntry entry) {
    }

    // A HashMap, not Map.of: the callers add values that may be SQL NULL (an absent reference).
    static Map<String, Object> idempotencyParams(Idempotency idempotency) {
        Map<String, Object> params = new HashMap<>();
        params.put("caller", idempotency.caller().value());
        params.put("type", idempotency.operation().code());
        params.put("key", idempotency.key().value());
        params.put("fingerprint", idempotency.fingerprint());
        return params;
    }

    // The driver binds OffsetDateTime as timestamptz (it has no binding for Instant); UTC keeps the
    // stored instant independent of the JVM's time zone.
    static OffsetDateTime timestamp(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    // The PostgreSQL driver reads timestamptz as java.sql.Timestamp, which keeps the exact instant.
    private static Instant instant(DbColumn column) {
        return column.get(Timestamp.class).toInstant();
    }
}
