package credits.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What reconcile checks of one account (api.md, "Tamper evidence and reconciliation"), against the
 * account's stored rows: its balance is the signed sum of its entries and what is left of its lots,
 * its held part is the sum of its active holds, each entry's {@code balance_after} follows from the
 * one before, and each entry's stored hash is {@link LedgerHash#of} the previous entry's, with the
 * credit's last hash the last entry's. Rows are fed one at a time, entries in their ledger order, so
 * an account with millions of entries is checked in constant memory; any store can feed it.
 *
 * <p>Each entry's hash is checked against the previous entry's <em>stored</em> hash, so one altered
 * entry is named alone rather than with every entry after it; a removed entry shows at the entry
 * that followed it. The account is a plain string so that a row whose user id no longer reads as a
 * {@link UserId} can still be named.
 */
public final class AccountAudit {

    /** What a discrepancy is about. */
    public enum Check {
        /** The credit's balance against the signed sum of the account's entries. */
        BALANCE_VS_ENTRIES,
        /** An entry's {@code balance_after} against the previous one's plus or minus its amount. */
        BALANCE_AFTER,
        /** The credit's held part against the sum of the account's active holds. */
        HELD_VS_ACTIVE_HOLDS,
        /** The credit's balance against the sum of what is left of the account's lots. */
        BALANCE_VS_LOTS,
        /** An entry's stored hash against the one computed from it and the previous entry's. */
        ENTRY_HASH,
        /** The credit's last hash against its last entry's hash. */
        LAST_HASH,
        /** A stored row that does not read as a valid credit, entry, lot or hold. */
        UNREADABLE_ROW;

        /** The lower-case name reconcile prints. */
        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** One thing that does not hold: {@code expected} is what the other rows imply, {@code found} what is stored. */
    public record Discrepancy(String account, Optional<EntryId> entry, Check check, String expected, String found) {

        public Discrepancy {
            Objects.requireNonNull(account, "account");
            Objects.requireNonNull(entry, "entry");
            Objects.requireNonNull(check, "check");
            Objects.requireNonNull(expected, "expected");
            Objects.requireNonNull(found, "found");
        }
    }

    private static final String NONE = "(none)";

    private final String account;
    private final Usdc balance;
    private final Usdc held;
    private final Optional<String> lastHash;
    private final List<Discrepancy> discrepancies = new ArrayList<>();
    private long entries;
    private long previousBalanceAfter;
    private String previousHash = LedgerHash.GENESIS;
    private final Units entrySum = new Units();
    private final Units lotSum = new Units();
    private final Units holdSum = new Units();
    private boolean finished;

    private AccountAudit(String account, Usdc balance, Usdc held, Optional<String> lastHash) {
        this.account = Objects.requireNonNull(account, "account");
        this.balance = Objects.requireNonNull(balance, "balance");
        this.held = Objects.requireNonNull(held, "held");
        this.lastHash = Objects.requireNonNull(lastHash, "lastHash");
    }

    /** The audit of the account whose credit row stores {@code balance}, {@code held} and {@code lastHash}. */
    public static AccountAudit of(String account, Usdc balance, Usdc held, Optional<String> lastHash) {
        return new AccountAudit(account, balance, held, lastHash);
    }

    /** The audit of {@code credit}, whose row stores {@code lastHash}. */
    public static AccountAudit of(Credit credit, Optional<String> lastHash) {
        return of(credit.userId().value(), credit.balance(), credit.held(), lastHash);
    }

    /** An account whose credit row does not read; nothing else of it can be checked. */
    public static List<Discrepancy> unreadableAccount(String account, String why) {
        return List.of(new Discrepancy(account, Optional.empty(), Check.UNREADABLE_ROW, "a readable credit row", why));
    }

    /** The account's next entry in ledger order, with the hash stored with it ({@link LedgerEntry#hash()}). */
    public void entry(LedgerEntry entry) {
        entry(entry, entry.hash());
    }

    /** The account's next entry in ledger order, with {@code storedHash} as stored (which need not be a well-formed hash). */
    public void entry(LedgerEntry entry, Optional<String> storedHash) {
        requireOpen();
        entries++;
        Optional<EntryId> id = Optional.of(entry.id());
        long signed = entry.signedUnits();
        long expectedAfter = previousBalanceAfter + signed; // both within 64 bits; a wrapped sum still differs
        if (expectedAfter != entry.balanceAfter().units()) {
            discrepancies.add(new Discrepancy(account, id, Check.BALANCE_AFTER, units(expectedAfter),
                    entry.balanceAfter().format()));
        }
        previousBalanceAfter = entry.balanceAfter().units();
        entrySum.add(signed);
        String computed = LedgerHash.of(previousHash, entry);
        if (!storedHash.equals(Optional.of(computed))) {
            discrepancies.add(new Discrepancy(account, id, Check.ENTRY_HASH, computed, storedHash.orElse(NONE)));
        }
        previousHash = storedHash.filter(AccountAudit::isHash).orElse(computed);
    }

    /**
     * The account's next entry in ledger order, whose row does not read as an entry: reported, and
     * the chain goes on from its stored hash (when it has a well-formed one).
     */
    public void unreadableEntry(EntryId id, Optional<String> storedHash, String why) {
        requireOpen();
        entries++;
        discrepancies.add(new Discrepancy(account, Optional.of(id), Check.UNREADABLE_ROW, "a readable ledger entry", why));
        storedHash.filter(AccountAudit::isHash).ifPresent(hash -> previousHash = hash);
    }

    /** One of the account's lots, with what is left of it; in any order. */
    public void lot(Usdc remaining) {
        requireOpen();
        lotSum.add(remaining.units());
    }

    /** One of the account's holds stored as active, with its amount; in any order. */
    public void activeHold(Usdc amount) {
        requireOpen();
        holdSum.add(amount.units());
    }

    /** A lot or hold row of the account that does not read. */
    public void unreadableRow(Optional<EntryId> id, String what, String why) {
        requireOpen();
        discrepancies.add(new Discrepancy(account, id, Check.UNREADABLE_ROW, "a readable " + what, why));
    }

    /** How many entries were fed so far. */
    public long entries() {
        return entries;
    }

    /** Ends the audit: what does not hold, entry by entry in ledger order, then the account's totals. */
    public List<Discrepancy> finish() {
        requireOpen();
        finished = true;
        compare(Check.BALANCE_VS_ENTRIES, entrySum, balance);
        compare(Check.BALANCE_VS_LOTS, lotSum, balance);
        compare(Check.HELD_VS_ACTIVE_HOLDS, holdSum, held);
        // An account without entries has nothing to chain: an empty last hash or the genesis one both say so.
        String expectedLast = entries == 0 ? lastHash.filter(LedgerHash.GENESIS::equals).orElse(NONE) : previousHash;
        if (!lastHash.orElse(NONE).equals(expectedLast)) {
            discrepancies.add(new Discrepancy(account, Optional.empty(), Check.LAST_HASH, expectedLast, lastHash.orElse(NONE)));
        }
        return List.copyOf(discrepancies);
    }

    private void compare(Check check, Units sum, Usdc stored) {
        if (!sum.is(stored.units())) {
            discrepancies.add(new Discrepancy(account, Optional.empty(), check, sum.text(), stored.format()));
        }
    }

    private void requireOpen() {
        if (finished) {
            throw new IllegalStateException("the audit of " + account + " is finished");
        }
    }

    private static boolean isHash(String text) {
        try {
            LedgerHash.requireHash(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Signed units as USDC text; negative only where stored rows were altered. */
    private static String units(long units) {
        return units < 0 ? java.math.BigDecimal.valueOf(units, Usdc.SCALE).toPlainString() : Usdc.ofUnits(units).format();
    }

    /** A running sum of units that says so, rather than wrapping, when altered rows take it past 64 bits. */
    private static final class Units {
        private long sum;
        private boolean overflowed;

        void add(long units) {
            if (overflowed) {
                return;
            }
            try {
                sum = Math.addExact(sum, units);
            } catch (ArithmeticException e) {
                overflowed = true;
            }
        }

        boolean is(long units) {
            return !overflowed && sum == units;
        }

        String text() {
            return overflowed ? "(a sum past 64 bits)" : units(sum);
        }
    }
}
