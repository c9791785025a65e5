package credits.adapters.persistence.postgres;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import java.util.UUID;

import credits.domain.BurnDown;
import credits.domain.Draw;
import credits.domain.EntryId;
import credits.domain.Lot;
import credits.domain.LotTerms;
import credits.domain.Usdc;
import credits.domain.UserId;
import org.flywaydb.core.api.migration.Context;

/**
 * Migration 6: the lots of a v1 ledger. Each v1 grant becomes a promotional lot without expiry at
 * priority 50, and what is left of it is what the burn-down gives when the user's history is
 * replayed in order; each deduction and refund gets its {@code drawn_from} from that replay, so later
 * refunds go back into the right lots and balance = Σ lots from the first start on v2.
 *
 * <p>In Java so that the replay is the domain's own {@link BurnDown}, not a second copy of the rule
 * in SQL. It streams the ledger user by user, so memory stays bounded by the largest user's lots,
 * and fails (rolling the whole migration back) if a replayed user's lots do not add up to the
 * stored balance.
 */
final class LotsFromV1History extends DomainMigration {

    private static final int BATCH = 1_000;

    LotsFromV1History() {
        super(6, "lots from v1 history", 6_001);
    }

    @Override
    public void migrate(Context context) throws SQLException {
        Connection connection = context.getConnection();
        try (PreparedStatement entries = connection.prepareStatement("""
                     SELECT e.seq, e.id, e.user_id, e.type, e.amount_units, e.deduction_id, e.created_at, c.balance_units
                     FROM ledger_entries e JOIN credits c ON c.user_id = e.user_id
                     ORDER BY e.user_id, e.seq""");
             Writer writer = new Writer(connection)) {
            entries.setFetchSize(BATCH); // a cursor: the migration runs in a transaction
            try (ResultSet rows = entries.executeQuery()) {
                Replay replay = null;
                while (rows.next()) {
                    String userId = rows.getString("user_id");
                    if (replay == null || !replay.userId.value().equals(userId)) {
                        if (replay != null) {
                            replay.finish(writer);
                        }
                        replay = new Replay(UserId.of(userId), rows.getLong("balance_units"));
                    }
                    replay.apply(rows, writer);
                }
                if (replay != null) {
                    replay.finish(writer);
                }
            }
            writer.flush();
        }
    }

    /** One user's history, replayed. */
    private static final class Replay {
        private final UserId userId;
        private final long storedBalance;
        private final Map<EntryId, Lot> lots = new LinkedHashMap<>();
        private final Map<EntryId, List<Draw>> drawnBy = new HashMap<>();
        private final Map<EntryId, List<Draw>> returnedTo = new HashMap<>();

        Replay(UserId userId, long storedBalance) {
            this.userId = userId;
            this.storedBalance = storedBalance;
        }

        void apply(ResultSet row, Writer writer) throws SQLException {
            EntryId id = new EntryId(row.getObject("id", UUID.class));
            Usdc amount = Usdc.ofUnits(row.getLong("amount_units"));
            Timestamp at = row.getTimestamp("created_at");
            switch (row.getString("type")) {
                case "grant" -> {
                    lots.put(id, Lot.opened(id, userId, LotTerms.DEFAULT_GRANT, row.getLong("seq"), amount, at.toInstant()));
                    writer.grant(id);
                }
                case "deduction" -> {
                    List<Draw> draws = BurnDown.draw(List.copyOf(lots.values()), amount, at.toInstant())
                            .orElseThrow(() -> new IllegalStateException("a v1 deduction of " + userId
                                    + " took more than its grants held; the ledger needs repair before it can migrate"));
                    draws.forEach(draw -> lots.computeIfPresent(draw.lotId(), (lotId, lot) -> lot.drawn(draw.amount())));
                    drawnBy.put(id, draws);
                    writer.drawn(id, draws);
                }
                case "refund" -> {
                    EntryId deduction = new EntryId(row.getObject("deduction_id", UUID.class));
                    List<Draw> back = BurnDown.giveBack(drawnBy.getOrDefault(deduction, List.of()),
                            returnedTo.getOrDefault(deduction, List.of()), amount);
                    back.forEach(draw -> lots.computeIfPresent(draw.lotId(), (lotId, lot) -> lot.givenBack(draw.amount())));
                    returnedTo.computeIfAbsent(deduction, ignored -> new ArrayList<>()).addAll(back);
                    writer.drawn(id, back);
                }
                default -> throw new IllegalStateException("a v1 ledger has no entries of type " + row.getString("type"));
            }
        }

        void finish(Writer writer) throws SQLException {
            long inLots = lots.values().stream().mapToLong(lot -> lot.remaining().units()).sum();
            if (inLots != storedBalance) {
                throw new IllegalStateException("replaying the history of " + userId + " leaves " + inLots
                        + " units in its lots, but its balance is " + storedBalance + "; nothing was migrated");
            }
            for (Lot lot : lots.values()) {
                writer.lot(lot);
            }
        }
    }

    /** Batched writes of the replay's results. */
    private static final class Writer implements AutoCloseable {
        private final Connection connection;
        private final PreparedStatement grants;
        private final PreparedStatement draws;
        private final PreparedStatement lots;
        private int pending;

        Writer(Connection connection) throws SQLException {
            this.connection = connection;
            this.grants = connection.prepareStatement(
                    "UPDATE ledger_entries SET grant_id = id, category = 'promotional', priority = 50 WHERE id = ?");
            this.draws = connection.prepareStatement(
                    "UPDATE ledger_entries SET drawn_lot_ids = ?, drawn_units = ? WHERE id = ?");
            this.lots = connection.prepareStatement("""
                    INSERT INTO lots (lot_id, user_id, entry_seq, category, priority, expires_at, original_units,
                                      remaining_units, expired_units, created_at)
                    VALUES (?, ?, ?, 'promotional', 50, NULL, ?, ?, 0, ?)""");
        }

        void grant(EntryId id) throws SQLException {
            grants.setObject(1, id.value());
            grants.addBatch();
            counted();
        }

        void drawn(EntryId id, List<Draw> drawnFrom) throws SQLException {
            Array lotIds = connection.createArrayOf("uuid", drawnFrom.stream().map(draw -> draw.lotId().value()).toArray());
            Array units = connection.createArrayOf("bigint", drawnFrom.stream().map(draw -> draw.amount().units()).toArray());
            draws.setArray(1, lotIds);
            draws.setArray(2, units);
            draws.setObject(3, id.value());
            draws.addBatch();
            counted();
        }

        void lot(Lot lot) throws SQLException {
            lots.setObject(1, lot.id().value());
            lots.setString(2, lot.userId().value());
            lots.setLong(3, lot.sequence());
            lots.setLong(4, lot.original().units());
            lots.setLong(5, lot.remaining().units());
            lots.setTimestamp(6, Timestamp.from(lot.createdAt()));
            lots.addBatch();
            counted();
        }

        private void counted() throws SQLException {
            if (++pending >= BATCH) {
                flush();
            }
        }

        void flush() throws SQLException {
            grants.executeBatch();
            draws.executeBatch();
            lots.executeBatch();
            pending = 0;
        }

        @Override
        public void close() throws SQLException {
            try (grants; draws; lots) {
                // closes all three
            }
        }
    }

}
