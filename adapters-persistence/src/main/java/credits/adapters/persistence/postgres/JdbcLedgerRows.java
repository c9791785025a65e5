package credits.adapters.persistence.postgres;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import credits.domain.Draw;
import credits.domain.EntryId;
import credits.domain.EntryType;
import credits.domain.LedgerEntry;
import credits.domain.LotCategory;
import credits.domain.LotTerms;
import credits.domain.UserId;
import credits.domain.Usdc;

/**
 * Ledger rows read over plain JDBC, for the code that streams the whole ledger through a cursor (the
 * hash-chain migration, reconcile), where DbClient and {@link Rows} are not at hand.
 */
final class JdbcLedgerRows {

    private JdbcLedgerRows() {
    }

    /** A ledger row as the adapter reads it ({@code Rows.entry}, over DbClient), its stored hash apart. */
    static LedgerEntry entry(ResultSet rows) throws SQLException {
        EntryType type = EntryType.fromCode(rows.getString("type"));
        String category = rows.getString("category");
        Optional<LotTerms> terms = category == null ? Optional.empty() : Optional.of(new LotTerms(
                LotCategory.fromCode(category).orElseThrow(() -> new IllegalStateException("unknown lot category " + category)),
                rows.getInt("priority"), instant(rows.getTimestamp("expires_at"))));
        String paymentReference = rows.getString("payment_reference");
        Optional<LedgerEntry.Deposit> deposit = paymentReference == null ? Optional.empty()
                : Optional.of(new LedgerEntry.Deposit(paymentReference, Optional.ofNullable(rows.getString("memo"))));
        return new LedgerEntry(
                new EntryId(rows.getObject("id", UUID.class)),
                UserId.of(rows.getString("user_id")),
                type,
                Usdc.ofUnits(rows.getLong("amount_units")),
                Usdc.ofUnits(rows.getLong("balance_after_units")),
                Optional.ofNullable(rows.getString("reference")),
                Optional.ofNullable(rows.getString("reason")),
                entryId(rows, "deduction_id"),
                entryId(rows, "grant_id"),
                draws(rows),
                terms,
                deposit,
                rows.getTimestamp("created_at").toInstant(),
                entryId(rows, "hold_id"));
    }

    private static List<Draw> draws(ResultSet rows) throws SQLException {
        Object[] lots = (Object[]) rows.getArray("drawn_lot_ids").getArray();
        Object[] units = (Object[]) rows.getArray("drawn_units").getArray();
        if (lots.length != units.length) {
            throw new IllegalStateException("drawn_lot_ids and drawn_units differ in length");
        }
        List<Draw> draws = new ArrayList<>(lots.length);
        for (int i = 0; i < lots.length; i++) {
            draws.add(new Draw(new EntryId((UUID) lots[i]), Usdc.ofUnits(((Number) units[i]).longValue())));
        }
        return draws;
    }

    private static Optional<EntryId> entryId(ResultSet rows, String column) throws SQLException {
        return Optional.ofNullable(rows.getObject(column, UUID.class)).map(EntryId::new);
    }

    private static Optional<Instant> instant(Timestamp timestamp) {
        return Optional.ofNullable(timestamp).map(Timestamp::toInstant);
    }
}
