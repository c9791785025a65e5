package credits.bootstrap;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;

/**
 * Checks, straight in the database, the invariants every test must leave intact: balance = Σ signed
 * entries = Σ what is left of the lots, never negative; held = Σ active holds = Σ reserved ≤ balance.
 */
final class LedgerInvariants {

    // Every account whose balance is not the signed sum of its ledger and of what is left of its
    // lots, or is negative, or whose held part is not its active holds and its lots' reservations.
    private static final String BROKEN_ACCOUNTS = """
            SELECT c.user_id, c.balance_units, coalesce(l.total, 0) AS ledger_total, coalesce(lots.remaining, 0),
                   c.held_units, coalesce(h.active, 0), coalesce(lots.reserved, 0)
            FROM credits c
            LEFT JOIN (SELECT user_id,
                              sum(CASE WHEN type IN ('deduction', 'expiry') THEN -amount_units
                                       WHEN type IN ('hold', 'hold_release') THEN 0 ELSE amount_units END) AS total
                       FROM ledger_entries GROUP BY user_id) l ON l.user_id = c.user_id
            LEFT JOIN (SELECT user_id, sum(remaining_units) AS remaining, sum(reserved_units) AS reserved
                       FROM lots GROUP BY user_id) lots ON lots.user_id = c.user_id
            LEFT JOIN (SELECT user_id, sum(amount_units) AS active FROM holds WHERE status = 'active'
                       GROUP BY user_id) h ON h.user_id = c.user_id
            WHERE c.balance_units <> coalesce(l.total, 0) OR c.balance_units <> coalesce(lots.remaining, 0)
               OR c.balance_units < 0 OR c.held_units > c.balance_units
               OR c.held_units <> coalesce(h.active, 0) OR c.held_units <> coalesce(lots.reserved, 0)
            """;

    private LedgerInvariants() {
    }

    static void assertHold(CreditsServer server) throws SQLException {
        try (Connection connection = TestDatabase.connect(server)) {
            assertHold(connection);
        }
    }

    /** On any connection that can read the tables, e.g. a database several instances share. */
    static void assertHold(Connection connection) throws SQLException {
        List<String> broken = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(BROKEN_ACCOUNTS)) {
            while (rows.next()) {
                broken.add(rows.getString(1) + ": balance " + rows.getLong(2) + ", ledger " + rows.getLong(3) + ", lots "
                        + rows.getLong(4) + "; held " + rows.getLong(5) + ", active holds " + rows.getLong(6) + ", reserved "
                        + rows.getLong(7));
            }
        }
        assertThat(broken, empty());
    }
}
