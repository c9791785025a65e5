package credits.bootstrap;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;

/** Checks, straight in the database, the invariants every test must leave intact. */
final class LedgerInvariants {

    // Every account whose balance is not the signed sum of its ledger, or is negative.
    private static final String BROKEN_ACCOUNTS = """
            SELECT c.user_id, c.balance_units, coalesce(l.total, 0) AS ledger_total
            FROM credits c
            LEFT JOIN (SELECT user_id,
                              sum(CASE type WHEN 'deduction' THEN -amount_units ELSE amount_units END) AS total
                       FROM ledger_entries GROUP BY user_id) l ON l.user_id = c.user_id
            WHERE c.balance_units <> coalesce(l.total, 0) OR c.balance_units < 0 OR c.held_units > c.balance_units
            """;

    private LedgerInvariants() {
    }

    static void assertHold(CreditsServer server) throws SQLException {
        List<String> broken = new ArrayList<>();
        try (Connection connection = TestDatabase.connect(server);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(BROKEN_ACCOUNTS)) {
            while (rows.next()) {
                broken.add(rows.getString(1) + ": balance " + rows.getLong(2) + " != ledger " + rows.getLong(3));
            }
        }
        assertThat(broken, empty());
    }
}
