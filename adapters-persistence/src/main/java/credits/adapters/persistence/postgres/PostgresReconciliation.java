package credits.adapters.persistence.postgres;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Consumer;

import credits.domain.AccountAudit;
import credits.domain.AccountAudit.Discrepancy;
import credits.domain.EntryId;
import credits.domain.LedgerEntry;
import credits.domain.UserId;
import credits.domain.Usdc;

/**
 * Streams the stored accounts into {@link AccountAudit}s, for {@code reconcile}: it only reads, in one
 * read-only REPEATABLE READ transaction, so every account is checked in one consistent snapshot
 * however the service writes meanwhile. Accounts come in keyset pages, and each page's entries, lots
 * and active holds through server-side cursors, so memory stays bounded by the page, not the ledger.
 */
public final class PostgresReconciliation {

    /** Accounts per page: their audits are what is held in memory at once. */
    static final int PAGE = 1_000;
    private static final int FETCH = 1_000;
    static final int PROGRESS_ROWS = 100_000;

    private static final String ACCOUNT_COLUMNS = "SELECT user_id, balance_units, held_units, last_hash FROM credits ";
    private static final String FIRST_ACCOUNTS = ACCOUNT_COLUMNS + "ORDER BY user_id LIMIT " + PAGE;
    private static final String NEXT_ACCOUNTS = ACCOUNT_COLUMNS + "WHERE user_id > ? ORDER BY user_id LIMIT " + PAGE;
    private static final String ONE_ACCOUNT = ACCOUNT_COLUMNS + "WHERE user_id = ?";
    // In ledger order per user: the order the running balance and the hash chain follow.
    private static final String ENTRIES = """
            SELECT id, user_id, type, amount_units, balance_after_units, reference, reason, deduction_id, grant_id,
                   drawn_lot_ids, drawn_units, category, priority, expires_at, payment_reference, memo, created_at, hold_id, hash
            FROM ledger_entries WHERE user_id = ANY (?) ORDER BY user_id, seq""";
    private static final String LOTS = "SELECT user_id, lot_id, remaining_units FROM lots WHERE user_id = ANY (?)";
    private static final String ACTIVE_HOLDS =
            "SELECT user_id, hold_id, amount_units FROM holds WHERE user_id = ANY (?) AND status = 'active'";

    /** How far a run got: accounts and entries checked, discrepancies found. */
    public record Summary(long accounts, long entries, long discrepancies) {
    }

    /** Told after each page and every {@value #PROGRESS_ROWS} entries within one, for progress reports. */
    @FunctionalInterface
    public interface Progress {
        void checked(long accounts, long entries);
    }

    private final Connection connection;

    private PostgresReconciliation(Connection connection) {
        this.connection = connection;
    }

    /**
     * Checks every account, or only {@code onlyUser}'s, handing each discrepancy to {@code found} as its
     * account is done. Connects with {@code settings}' runtime role, which may read every table.
     *
     * @throws SQLException when the database cannot be reached or read (a schema older than the
     *                      hash chain included)
     */
    public static Summary run(PostgresSettings settings, Optional<UserId> onlyUser, Consumer<Discrepancy> found, Progress progress)
            throws SQLException {
        Objects.requireNonNull(onlyUser, "onlyUser");
        Objects.requireNonNull(found, "found");
        Objects.requireNonNull(progress, "progress");
        try (Connection connection = DriverManager.getConnection(settings.jdbcUrl(), properties(settings))) {
            connection.setAutoCommit(false); // cursors need a transaction; so does one snapshot
            try {
                try (java.sql.Statement begin = connection.createStatement()) {
                    // Said in SQL, whatever the driver's read-only mode: PostgreSQL itself refuses any write.
                    begin.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                }
                return new PostgresReconciliation(connection).run(onlyUser, found, progress);
            } finally {
                connection.rollback(); // nothing was written; end the snapshot
            }
        }
    }

    private static Properties properties(PostgresSettings settings) {
        Properties properties = new Properties();
        properties.setProperty("user", settings.user());
        properties.setProperty("password", settings.password());
        properties.setProperty("ApplicationName", "credits-reconcile");
        properties.setProperty("connectTimeout", Long.toString(Math.max(1, settings.connectionTimeout().toSeconds())));
        // Row details (user ids, amounts) stay out of exception messages, as in the service's pool.
        properties.setProperty("logServerErrorDetail", "false");
        return properties;
    }

    private Summary run(Optional<UserId> onlyUser, Consumer<Discrepancy> found, Progress progress) throws SQLException {
        long accounts = 0;
        long entries = 0;
        long discrepancies = 0;
        Optional<String> after = Optional.empty();
        while (true) {
            Page page = onlyUser.isPresent() ? page(ONE_ACCOUNT, onlyUser.get().value()) : after.isPresent()
                    ? page(NEXT_ACCOUNTS, after.get()) : page(FIRST_ACCOUNTS, null);
            if (page.users().isEmpty()) {
                break;
            }
            read(page, accounts, entries, progress);
            for (String user : page.users()) {
                AccountAudit audit = page.audits().get(user);
                List<Discrepancy> ofAccount = audit == null ? page.unreadable().get(user) : audit.finish();
                entries += audit == null ? 0 : audit.entries();
                ofAccount.forEach(found);
                discrepancies += ofAccount.size();
            }
            accounts += page.users().size();
            progress.checked(accounts, entries);
            if (onlyUser.isPresent() || page.users().size() < PAGE) {
                break;
            }
            after = Optional.of(page.users().get(page.users().size() - 1));
        }
        return new Summary(accounts, entries, discrepancies);
    }

    /** One page of accounts in order, each with its audit, or, when its credit row does not read, with that discrepancy. */
    private record Page(List<String> users, Map<String, AccountAudit> audits, Map<String, List<Discrepancy>> unreadable) {
    }

    private Page page(String sql, String parameter) throws SQLException {
        Page page = new Page(new ArrayList<>(), new HashMap<>(), new HashMap<>());
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            if (parameter != null) {
                select.setString(1, parameter);
            }
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String user = rows.getString("user_id");
                    page.users().add(user);
                    try {
                        page.audits().put(user, AccountAudit.of(user, Usdc.ofUnits(rows.getLong("balance_units")),
                                Usdc.ofUnits(rows.getLong("held_units")), Optional.ofNullable(rows.getString("last_hash"))));
                    } catch (RuntimeException e) {
                        page.unreadable().put(user, AccountAudit.unreadableAccount(user, e.getMessage()));
                    }
                }
            }
        }
        return page;
    }

    private void read(Page page, long accountsBefore, long entriesBefore, Progress progress) throws SQLException {
        Array users = connection.createArrayOf("varchar", page.users().toArray());
        long[] read = {0};
        try {
            // A page of hot accounts may hold millions of entries: progress goes on within it.
            stream(ENTRIES, users, page, (audit, rows) -> {
                entry(audit, rows);
                if (++read[0] % PROGRESS_ROWS == 0) {
                    progress.checked(accountsBefore, entriesBefore + read[0]);
                }
            });
            stream(LOTS, users, page, (audit, rows) -> {
                try {
                    audit.lot(Usdc.ofUnits(rows.getLong("remaining_units")));
                } catch (RuntimeException e) {
                    audit.unreadableRow(Optional.of(new EntryId(rows.getObject("lot_id", UUID.class))), "lot", e.getMessage());
                }
            });
            stream(ACTIVE_HOLDS, users, page, (audit, rows) -> {
                try {
                    audit.activeHold(Usdc.ofUnits(rows.getLong("amount_units")));
                } catch (RuntimeException e) {
                    audit.unreadableRow(Optional.of(new EntryId(rows.getObject("hold_id", UUID.class))), "hold", e.getMessage());
                }
            });
        } finally {
            users.free();
        }
    }

    private interface RowHandler {
        void handle(AccountAudit audit, ResultSet rows) throws SQLException;
    }

    /** Hands each row of {@code sql} over the page's users to its account's audit. */
    private void stream(String sql, Array users, Page page, RowHandler handler) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setFetchSize(FETCH); // a server-side cursor: a hot user's million entries never sit in memory at once
            select.setArray(1, users);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    AccountAudit audit = page.audits().get(rows.getString("user_id"));
                    if (audit != null) {
                        handler.handle(audit, rows);
                    }
                }
            }
        }
    }

    private static void entry(AccountAudit audit, ResultSet rows) throws SQLException {
        Optional<String> hash = Optional.ofNullable(rows.getString("hash"));
        EntryId id = new EntryId(rows.getObject("id", UUID.class));
        LedgerEntry entry;
        try {
            entry = JdbcLedgerRows.entry(rows);
        } catch (RuntimeException e) {
            audit.unreadableEntry(id, hash, e.getMessage());
            return;
        }
        audit.entry(entry, hash);
    }
}
