package credits.domain;

import credits.domain.AccountAudit.Check;
import credits.domain.AccountAudit.Discrepancy;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AccountAuditTest {

    private static final UserId ALICE = UserId.of("alice");
    private static final Instant AT = Instant.parse("2024-01-15T10:30:00Z");
    private static final EntryId GRANT_ID = id(1);
    private static final EntryId DEDUCTION_ID = id(2);
    private static final EntryId HOLD_ID = id(3);
    private static final EntryId REFUND_ID = id(4);

    /** A clean history: grant 10, deduct 3, hold 2 (balance stays), refund 1: balance 8, held 2, the lot has 8 left. */
    private static List<LedgerEntry> history() {
        List<LedgerEntry> entries = new ArrayList<>();
        entries.add(new LedgerEntry(GRANT_ID, ALICE, EntryType.GRANT, usdc("10"), usdc("10"), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of(GRANT_ID), List.of(), Optional.of(LotTerms.DEFAULT_GRANT), Optional.empty(), AT));
        entries.add(new LedgerEntry(DEDUCTION_ID, ALICE, EntryType.DEDUCTION, usdc("3"), usdc("7"), Optional.of("call"),
                Optional.empty(), Optional.empty(), Optional.empty(), List.of(new Draw(GRANT_ID, usdc("3"))), Optional.empty(),
                Optional.empty(), AT));
        entries.add(new LedgerEntry(HOLD_ID, ALICE, EntryType.HOLD, usdc("2"), usdc("7"), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), List.of(new Draw(GRANT_ID, usdc("2"))), Optional.empty(), Optional.empty(), AT,
                Optional.of(HOLD_ID)));
        entries.add(new LedgerEntry(REFUND_ID, ALICE, EntryType.REFUND, usdc("1"), usdc("8"), Optional.empty(), Optional.of("oops"),
                Optional.of(DEDUCTION_ID), Optional.empty(), List.of(new Draw(GRANT_ID, usdc("1"))), Optional.empty(), Optional.empty(),
                AT));
        return chained(entries);
    }

    private static List<LedgerEntry> chained(List<LedgerEntry> entries) {
        List<LedgerEntry> chained = new ArrayList<>();
        String previous = LedgerHash.GENESIS;
        for (LedgerEntry entry : entries) {
            LedgerEntry linked = entry.chained(previous);
            chained.add(linked);
            previous = linked.hash().orElseThrow();
        }
        return chained;
    }

    private static String lastHash(List<LedgerEntry> entries) {
        return entries.get(entries.size() - 1).hash().orElseThrow();
    }

    private static List<Discrepancy> audit(String balance, String held, Optional<String> lastHash, List<LedgerEntry> entries,
                                           List<String> lots, List<String> activeHolds) {
        AccountAudit audit = AccountAudit.of(ALICE.value(), usdc(balance), usdc(held), lastHash);
        entries.forEach(audit::entry);
        lots.forEach(remaining -> audit.lot(usdc(remaining)));
        activeHolds.forEach(amount -> audit.activeHold(usdc(amount)));
        return audit.finish();
    }

    @Test
    void aCleanAccountHasNoDiscrepancy() {
        List<LedgerEntry> entries = history();

        assertThat(audit("8", "2", Optional.of(lastHash(entries)), entries, List.of("8"), List.of("2")), is(empty()));
    }

    @Test
    void anAccountWithoutEntriesIsCleanAtZeroWithNoLastHashOrTheGenesisOne() {
        assertThat(audit("0", "0", Optional.empty(), List.of(), List.of(), List.of()), is(empty()));
        assertThat(audit("0", "0", Optional.of(LedgerHash.GENESIS), List.of(), List.of(), List.of()), is(empty()));
    }

    @Test
    void aBalanceThatIsNotTheSumOfTheEntriesNorOfTheLotsIsFoundTwice() {
        List<LedgerEntry> entries = history();

        assertThat(audit("9", "2", Optional.of(lastHash(entries)), entries, List.of("8"), List.of("2")), contains(
                new Discrepancy("alice", Optional.empty(), Check.BALANCE_VS_ENTRIES, "8.00", "9.00"),
                new Discrepancy("alice", Optional.empty(), Check.BALANCE_VS_LOTS, "8.00", "9.00")));
    }

    @Test
    void lotsWhoseRemainingDoesNotAddUpToTheBalanceAreFound() {
        List<LedgerEntry> entries = history();

        assertThat(audit("8", "2", Optional.of(lastHash(entries)), entries, List.of("5", "0.5"), List.of("2")), contains(
                new Discrepancy("alice", Optional.empty(), Check.BALANCE_VS_LOTS, "5.50", "8.00")));
    }

    @Test
    void aHeldPartThatIsNotTheSumOfTheActiveHoldsIsFound() {
        List<LedgerEntry> entries = history();

        assertThat(audit("8", "3", Optional.of(lastHash(entries)), entries, List.of("8"), List.of("2")), contains(
                new Discrepancy("alice", Optional.empty(), Check.HELD_VS_ACTIVE_HOLDS, "2.00", "3.00")));
    }

    @Test
    void anEntryWhoseAmountWasChangedIsNamedByItsBalanceAfterAndItsHashAlone() {
        List<LedgerEntry> entries = new ArrayList<>(history());
        LedgerEntry deduction = entries.get(1);
        entries.set(1, new LedgerEntry(deduction.id(), ALICE, EntryType.DEDUCTION, usdc("2"), deduction.balanceAfter(),
                deduction.reference(), Optional.empty(), Optional.empty(), Optional.empty(), List.of(new Draw(GRANT_ID, usdc("2"))),
                Optional.empty(), Optional.empty(), AT, Optional.empty(), deduction.hash()));

        List<Discrepancy> found = audit("8", "2", Optional.of(lastHash(entries)), entries, List.of("8"), List.of("2"));

        assertThat(found.stream().map(d -> d.check() + " " + d.entry().map(EntryId::toString).orElse("-")).toList(), contains(
                Check.BALANCE_AFTER + " " + DEDUCTION_ID,
                Check.ENTRY_HASH + " " + DEDUCTION_ID,
                Check.BALANCE_VS_ENTRIES + " -"));
        assertThat(found.get(0), is(new Discrepancy("alice", Optional.of(DEDUCTION_ID), Check.BALANCE_AFTER, "8.00", "7.00")));
        assertThat(found.get(2), is(new Discrepancy("alice", Optional.empty(), Check.BALANCE_VS_ENTRIES, "9.00", "8.00")));
    }

    @Test
    void aRemovedEntryShowsAtTheEntryThatFollowedIt() {
        List<LedgerEntry> entries = new ArrayList<>(history());
        entries.remove(1); // the deduction

        List<Discrepancy> found = audit("8", "2", Optional.of(lastHash(entries)), entries, List.of("8"), List.of("2"));

        assertThat(found.stream().map(d -> d.check() + " " + d.entry().map(EntryId::toString).orElse("-")).toList(), contains(
                Check.BALANCE_AFTER + " " + HOLD_ID,
                Check.ENTRY_HASH + " " + HOLD_ID,
                Check.BALANCE_VS_ENTRIES + " -"));
    }

    @Test
    void aStoredHashThatIsNotTheChainsIsFoundWithTheExpectedOne() {
        List<LedgerEntry> entries = new ArrayList<>(history());
        LedgerEntry refund = entries.get(3);
        String forged = "f".repeat(64);
        entries.set(3, withHash(refund, forged));

        assertThat(audit("8", "2", Optional.of(forged), entries, List.of("8"), List.of("2")), contains(
                new Discrepancy("alice", Optional.of(REFUND_ID), Check.ENTRY_HASH, refund.hash().orElseThrow(), forged)));
    }

    @Test
    void anEntryWithoutAStoredHashIsFound() {
        List<LedgerEntry> entries = new ArrayList<>(history());
        LedgerEntry grant = entries.get(0);
        AccountAudit audit = AccountAudit.of("alice", usdc("8"), usdc("2"), Optional.of(lastHash(entries)));
        audit.entry(grant, Optional.empty());
        entries.subList(1, entries.size()).forEach(audit::entry);
        audit.lot(usdc("8"));
        audit.activeHold(usdc("2"));

        assertThat(audit.finish(), contains(
                new Discrepancy("alice", Optional.of(GRANT_ID), Check.ENTRY_HASH, grant.hash().orElseThrow(), "(none)")));
    }

    @Test
    void aLastHashThatIsNotTheLastEntrysIsFound() {
        List<LedgerEntry> entries = history();

        assertThat(audit("8", "2", Optional.of(entries.get(2).hash().orElseThrow()), entries, List.of("8"), List.of("2")), contains(
                new Discrepancy("alice", Optional.empty(), Check.LAST_HASH, lastHash(entries), entries.get(2).hash().orElseThrow())));
        assertThat(audit("8", "2", Optional.empty(), entries, List.of("8"), List.of("2")), contains(
                new Discrepancy("alice", Optional.empty(), Check.LAST_HASH, lastHash(entries), "(none)")));
    }

    @Test
    void aLastHashOnAnAccountWithoutEntriesIsFound() {
        assertThat(audit("0", "0", Optional.of("a".repeat(64)), List.of(), List.of(), List.of()), contains(
                new Discrepancy("alice", Optional.empty(), Check.LAST_HASH, "(none)", "a".repeat(64))));
    }

    @Test
    void anUnreadableEntryIsReportedAndTheChainGoesOnFromItsStoredHash() {
        List<LedgerEntry> entries = history();
        AccountAudit audit = AccountAudit.of("alice", usdc("8"), usdc("2"), Optional.of(lastHash(entries)));
        audit.entry(entries.get(0));
        audit.unreadableEntry(DEDUCTION_ID, entries.get(1).hash(), "amount must not be negative");
        entries.subList(2, entries.size()).forEach(audit::entry);
        audit.lot(usdc("8"));
        audit.activeHold(usdc("2"));

        List<Discrepancy> found = audit.finish();

        assertThat(found.get(0), is(new Discrepancy("alice", Optional.of(DEDUCTION_ID), Check.UNREADABLE_ROW,
                "a readable ledger entry", "amount must not be negative")));
        // Without the deduction's amount, what follows does not add up; the chain itself holds.
        assertThat(found.stream().map(Discrepancy::check).toList(),
                contains(Check.UNREADABLE_ROW, Check.BALANCE_AFTER, Check.BALANCE_VS_ENTRIES));
        assertThat(audit.entries(), is(4L));
    }

    @Test
    void sumsPastSixtyFourBitsAreReportedNotWrapped() {
        AccountAudit audit = AccountAudit.of("alice", usdc("0"), usdc("0"), Optional.empty());
        audit.lot(Usdc.MAX_BALANCE);
        audit.lot(Usdc.MAX_BALANCE);

        assertThat(audit.finish(), contains(
                new Discrepancy("alice", Optional.empty(), Check.BALANCE_VS_LOTS, "(a sum past 64 bits)", "0.00")));
    }

    @Test
    void aFinishedAuditTakesNoMoreRows() {
        AccountAudit audit = AccountAudit.of("alice", usdc("0"), usdc("0"), Optional.empty());
        audit.finish();

        assertThrows(IllegalStateException.class, () -> audit.lot(usdc("1")));
        assertThrows(IllegalStateException.class, audit::finish);
    }

    private static LedgerEntry withHash(LedgerEntry entry, String hash) {
        return new LedgerEntry(entry.id(), entry.userId(), entry.type(), entry.amount(), entry.balanceAfter(), entry.reference(),
                entry.reason(), entry.deductionId(), entry.grantId(), entry.drawnFrom(), entry.lot(), entry.deposit(),
                entry.createdAt(), entry.holdId(), Optional.of(hash));
    }

    private static Usdc usdc(String text) {
        return Usdc.parse(text);
    }

    private static EntryId id(int n) {
        return new EntryId(new UUID(0, n));
    }
}
