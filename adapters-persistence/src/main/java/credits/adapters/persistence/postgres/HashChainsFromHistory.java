package credits.adapters.persistence.postgres;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import credits.domain.LedgerEntry;
import credits.domain.LedgerHash;
import org.flywaydb.core.api.migration.Context;

/**
 * Migration 10: the hash chain of every entry written before it, user by user in ledger order, and
 * each credit's chain head. In Java so that the hash is the domain's own {@link LedgerHash}, the
 * one the service computes for every new entry, not a second copy of the rule in SQL. It streams
 * the ledger with a cursor, so memory stays bounded whatever its size.
 */
final class HashChainsFromHistory extends DomainMigration {

    private static final int BATCH = 1_000;

    HashChainsFromHistory() {
        super(10, "hash chains from history", 10_001);
    }

    @Override
    public void migrate(Context context) throws SQLException {
        Connection connection = context.getConnection();
        try (PreparedStatement entries = connection.prepareStatement("""
                     SELECT id, user_id, type, amount_units, balance_after_units, reference, reason, deduction_id, grant_id,
                            hold_id, drawn_lot_ids, drawn_units, category, priority, expires_at, payment_reference, memo,
                            created_at
                     FROM ledger_entries ORDER BY user_id, seq""");
             PreparedStatement hashes = connection.prepareStatement("UPDATE ledger_entries SET hash = ? WHERE id = ?");
             PreparedStatement heads = connection.prepareStatement("UPDATE credits SET last_hash = ? WHERE user_id = ?")) {
            entries.setFetchSize(BATCH); // a cursor: the migration runs in a transaction
            String user = null;
            String previous = LedgerHash.GENESIS;
            int pending = 0;
            try (ResultSet rows = entries.executeQuery()) {
                while (rows.next()) {
                    String rowUser = rows.getString("user_id");
                    if (!rowUser.equals(user)) {
                        if (user != null) {
                            head(heads, user, previous);
                        }
                        user = rowUser;
                        previous = LedgerHash.GENESIS;
                    }
                    LedgerEntry entry = JdbcLedgerRows.entry(rows);
                    previous = LedgerHash.of(previous, entry);
                    hashes.setString(1, previous);
                    hashes.setObject(2, entry.id().value());
                    hashes.addBatch();
                    if (++pending >= BATCH) {
                        hashes.executeBatch();
                        heads.executeBatch();
                        pending = 0;
                    }
                }
            }
            if (user != null) {
                head(heads, user, previous);
            }
            hashes.executeBatch();
            heads.executeBatch();
        }
    }

    private static void head(PreparedStatement heads, String user, String hash) throws SQLException {
        heads.setString(1, hash);
        heads.setString(2, user);
        heads.addBatch();
    }
}
