package credits.domain;

import credits.testing.PropertyCheck;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;

/**
 * Random histories of grants (random terms, some expiring), top-ups, deductions, refunds, holds
 * (placed, captured in part or whole, released, left to expire) and clock moves, decided by
 * {@link CreditState} and kept as an adapter would keep them. After every step: balance = Σ signed
 * entries = Σ what is left of the lots, never negative; held = Σ active holds = Σ what the lots have
 * reserved; the stored summary is the lots' and holds'; every deduction drew in burn-down order from
 * lots spendable at its time, every capture from its hold's lots; times never run backwards; and a
 * balance read at any instant counts nothing that has expired by then, hold or lot.
 */
class CreditStateProperties {

    private static final Instant START = Instant.parse("2026-12-01T00:00:00Z");
    private static final UserId USER = UserId.of("property_user");
    /** The histories' low-balance threshold: amounts are 1 to 999 units, so balances cross it often. */
    private static final Usdc THRESHOLD = Usdc.ofUnits(700);
    private static final Idempotency KEY = new Idempotency(UserId.of("caller"), Operation.GRANT, new IdempotencyKey("k"),
            "a".repeat(64));

    @Test
    void randomHistoriesWithHoldsKeepBalanceHeldLotsAndLedgerInStepAndDrawInBurnDownOrder() {
        AtomicInteger withCaptures = new AtomicInteger();
        AtomicInteger withLows = new AtomicInteger();
        PropertyCheck.forAll(300, SplittableRandom::nextLong).requireMoreThanPercent(5, "a refund expired again", "no refund into an expired lot")
                .classify(seed -> {
                    History history = new History();
                    SplittableRandom random = new SplittableRandom(seed);
                    for (int step = 0; step < 60; step++) {
                        history.randomStep(random);
                        history.assertConsistent();
                    }
                    if (history.captures > 0) {
                        withCaptures.incrementAndGet();
                    }
                    if (history.lows > 1) {
                        withLows.incrementAndGet();
                    }
                    return history.reExpired > 0 ? "a refund expired again" : "no refund into an expired lot";
                });
        assertThat("a third of the histories captured a hold", withCaptures.get(), greaterThanOrEqualTo(100));
        assertThat("a third of the histories crossed the threshold twice or more", withLows.get(), greaterThanOrEqualTo(100));
    }

    /** What an adapter keeps, applied from each {@link Change} exactly as the adapters do. */
    private static final class History {
        private final Supplier<EntryId> ids = () -> new EntryId(UUID.randomUUID());
        private final Map<EntryId, Lot> lots = new LinkedHashMap<>();
        private final List<LedgerEntry> entries = new ArrayList<>();
        private final Map<EntryId, List<LedgerEntry>> refundsOf = new HashMap<>();
        private final List<LedgerEntry> deductions = new ArrayList<>();
        private Optional<Credit> credit = Optional.empty();
        private LotSummary summary = LotSummary.NONE;
        private Instant now = START;
        private long sequence;
        private final Map<EntryId, Hold> holds = new LinkedHashMap<>();
        private final Map<EntryId, Hold> storedHolds = new LinkedHashMap<>();
        private final List<Hold> everyHold = new ArrayList<>();
        private String chainHead = LedgerHash.GENESIS;
        private LowBalanceAlert alert = new LowBalanceAlert(Optional.of(THRESHOLD), false);
        int reExpired;
        int placedHolds;
        int lows;
        int captures;

        /** The hold as storage has it now (active, or as it ended). */
        private Hold stored(Hold hold) {
            return storedHolds.get(hold.id());
        }

        void randomStep(SplittableRandom random) {
            now = now.plus(Duration.ofMillis(random.nextLong(1, 120_000)));
            CreditState state = CreditState.of(USER, credit, lots.values(), holds.values(), chainHead).withAlert(alert);
            switch (random.nextInt(9)) {
                case 0, 1 -> apply(state.open(grant(random), ids));
                case 2 -> apply(state.open(new Topup(ids.get(), USER, amount(random), new LedgerEntry.Deposit("p" + UUID.randomUUID(),
                        Optional.empty()), idempotency(Operation.TOPUP), now), ids));
                case 3, 4 -> {
                    Decision decision = state.deduct(new Deduction(ids.get(), USER, amount(random), Optional.empty(),
                            idempotency(Operation.DEDUCTION), now), ids);
                    if (decision instanceof Decision.Apply apply) {
                        assertDrawnInBurnDownOrder(apply.change().move().orElseThrow(), state);
                    } else {
                        assertThat(((Decision.Refuse) decision).outcome() instanceof MoveOutcome.InsufficientBalance, is(true));
                    }
                    apply(decision);
                    if (decision instanceof Decision.Apply apply) {
                        assertNextMoveDecidedAlikeOn(state.after(apply.change()), random);
                    }
                }
                case 5 -> {
                    Decision decision = state.placeHold(new HoldRequest(ids.get(), USER, amount(random), Optional.empty(),
                            Duration.ofSeconds(random.nextLong(1, 600)), 3, idempotency(Operation.HOLD), now), ids);
                    if (decision instanceof Decision.Refuse refuse) {
                        assertThat(refuse.outcome() instanceof MoveOutcome.InsufficientBalance
                                || refuse.outcome() instanceof MoveOutcome.HoldLimitReached, is(true));
                    } else {
                        placedHolds++;
                    }
                    apply(decision);
                }
                case 6 -> {
                    if (everyHold.isEmpty()) {
                        return;
                    }
                    Hold hold = everyHold.get(random.nextInt(everyHold.size()));
                    Optional<Usdc> asked = random.nextBoolean() ? Optional.empty() : Optional.of(amount(random));
                    Decision decision = state.capture(new Capture(ids.get(), hold.id(), asked, Optional.empty(),
                            idempotency(Operation.CAPTURE), now), stored(hold), ids);
                    if (decision instanceof Decision.Apply apply) {
                        captures++;
                        List<EntryId> reservedLots = hold.reserved().stream().map(Draw::lotId).toList();
                        List<EntryId> drawnLots = apply.change().move().orElseThrow().drawnFrom().stream().map(Draw::lotId).toList();
                        assertThat("a capture takes from the hold's lots in the order it reserved them", drawnLots,
                                is(reservedLots.subList(0, drawnLots.size())));
                    }
                    apply(decision);
                }
                case 7 -> {
                    if (everyHold.isEmpty()) {
                        return;
                    }
                    Hold hold = everyHold.get(random.nextInt(everyHold.size()));
                    apply(state.release(new Release(ids.get(), hold.id(), idempotency(Operation.RELEASE), now), stored(hold), ids));
                }
                default -> {
                    if (deductions.isEmpty()) {
                        return;
                    }
                    LedgerEntry deduction = deductions.get(random.nextInt(deductions.size()));
                    Optional<Usdc> asked = random.nextBoolean() ? Optional.empty() : Optional.of(amount(random));
                    Decision decision = state.refund(new Refund(ids.get(), deduction.id(), asked, "property",
                            idempotency(Operation.REFUND), now), deduction, refundsOf.getOrDefault(deduction.id(), List.of()), ids);
                    apply(decision);
                }
            }
        }

        private Grant grant(SplittableRandom random) {
            Optional<Instant> expiry = random.nextInt(3) == 0 ? Optional.empty()
                    : Optional.of(now.plus(Duration.ofMillis(random.nextLong(1, 600_000))));
            LotCategory category = random.nextInt(4) == 0 ? LotCategory.PAID : LotCategory.PROMOTIONAL;
            return new Grant(ids.get(), USER, amount(random), new LotTerms(category, List.of(0, 10, 50, 100).get(random.nextInt(4)),
                    expiry), Optional.empty(), idempotency(Operation.GRANT), now);
        }

        private static Usdc amount(SplittableRandom random) {
            return Usdc.ofUnits(random.nextLong(1, 1_000));
        }

        private static Idempotency idempotency(Operation operation) {
            return new Idempotency(KEY.caller(), operation, KEY.key(), KEY.fingerprint());
        }

        private void apply(Decision decision) {
            if (!(decision instanceof Decision.Apply apply)) {
                return;
            }
            Change change = apply.change();
            assertEventsTell(change);
            for (LedgerEntry entry : change.entries()) {
                entries.add(entry);
                if (change.openedLot().filter(opened -> opened.id().equals(entry.id())).isPresent()) {
                    lots.put(entry.id(), Lot.opened(entry.id(), USER, entry.lot().orElseThrow(), ++sequence, entry.amount(),
                            entry.createdAt()));
                }
                if (entry.type() == EntryType.DEDUCTION) {
                    deductions.add(entry);
                }
                if (entry.type() == EntryType.REFUND) {
                    refundsOf.computeIfAbsent(entry.deductionId().orElseThrow(), id -> new ArrayList<>()).add(entry);
                }
                if (entry.type() == EntryType.EXPIRY && change.move().filter(move -> move.type() == EntryType.REFUND
                        && entry.createdAt().equals(move.createdAt())).isPresent()) {
                    reExpired++;
                }
            }
            change.changedLots().forEach(lot -> lots.put(lot.id(), lot));
            for (Hold hold : change.changedHolds()) {
                if (!storedHolds.containsKey(hold.id())) {
                    everyHold.add(hold);
                }
                storedHolds.put(hold.id(), hold);
                if (hold.status() == HoldStatus.ACTIVE) {
                    holds.put(hold.id(), hold);
                } else {
                    holds.remove(hold.id());
                }
            }
            credit = Optional.of(change.credit());
            chainHead = change.chainHead();
            change.lowAlertAfter().ifPresent(low -> alert = new LowBalanceAlert(alert.threshold(), low));
            summary = change.summary();
            Instant movedAt = change.credit().updatedAt();
            for (Lot lot : lots.values()) {
                assertThat("no expiry is left owed after a move, also one a refund caused", lot.isDueAt(movedAt), is(false));
            }
        }

        /**
         * A change's events: one per positive expiry, per expired hold and per top-up, in entry order;
         * then lows and recoveries alternating (a low only below the threshold from at or above it, a
         * recovery only at or above it after a low) and a depletion only when available reached zero.
         */
        private void assertEventsTell(Change change) {
            Usdc before = credit.map(Credit::available).orElse(Usdc.ZERO);
            Usdc after = change.credit().available();
            List<EntryId> about = change.entries().stream()
                    .filter(entry -> entry.type() == EntryType.EXPIRY && !entry.amount().isZero()
                            || entry.type() == EntryType.HOLD_RELEASE && entry.reason().equals(Optional.of("expired"))
                            || entry.type() == EntryType.TOPUP)
                    .map(LedgerEntry::id).toList();
            List<CreditEvent> events = change.events();
            assertThat("an event per expiry, expired hold and top-up, in entry order",
                    events.stream().filter(event -> event.type() == CreditEventType.CREDITS_EXPIRED
                            || event.type() == CreditEventType.HOLD_EXPIRED || event.type() == CreditEventType.TOPUP_CREDITED)
                            .map(event -> event.entryId().orElseThrow()).toList(), is(about));
            for (CreditEvent event : events) {
                assertThat(event.available(), is(after));
                switch (event.type()) {
                    case BALANCE_LOW -> {
                        assertThat("a low follows no outstanding low", alert.low(), is(false));
                        assertThat(!before.isLessThan(THRESHOLD) && after.isLessThan(THRESHOLD), is(true));
                        lows++;
                    }
                    case BALANCE_RECOVERED -> {
                        assertThat("a recovery answers a low", alert.low(), is(true));
                        assertThat(after.isLessThan(THRESHOLD), is(false));
                    }
                    case BALANCE_DEPLETED -> assertThat(!before.isZero() && after.isZero(), is(true));
                    default -> { }
                }
            }
            if (alert.low() && !after.isLessThan(THRESHOLD)) {
                assertThat("a recovery is told once back at the threshold",
                        events.stream().anyMatch(event -> event.type() == CreditEventType.BALANCE_RECOVERED), is(true));
            }
        }

        /**
         * The state a change leaves ({@link CreditState#after}, how a batch decides a user's second
         * move before the first is stored) decides the next move exactly as the state read back
         * from what was stored.
         */
        private void assertNextMoveDecidedAlikeOn(CreditState chained, SplittableRandom random) {
            CreditState stored = CreditState.of(USER, credit, lots.values(), holds.values(), chainHead).withAlert(alert);
            Instant at = now.plus(Duration.ofMillis(random.nextLong(0, 120_000)));
            Deduction next = new Deduction(new EntryId(new UUID(0, 0)), USER, amount(random), Optional.empty(),
                    idempotency(Operation.DEDUCTION), at);
            assertThat("the next deduction", chained.deduct(next, numbered()), is(stored.deduct(next, numbered())));
            assertThat("the balance then", chained.balanceAt(at), is(stored.balanceAt(at)));
        }

        private static Supplier<EntryId> numbered() {
            long[] next = {1};
            return () -> new EntryId(new UUID(0, next[0]++));
        }

        /** Each lot before the last one drawn, in burn-down order, that could be spent was emptied. */
        private void assertDrawnInBurnDownOrder(LedgerEntry deduction, CreditState before) {
            // Spendable at the deduction's time: not expired, less what holds still active then reserve.
            Instant at = deduction.createdAt();
            Map<EntryId, Long> reservedByLive = new HashMap<>();
            holds.values().stream().filter(hold -> hold.isActiveAt(at)).forEach(hold -> hold.reserved()
                    .forEach(draw -> reservedByLive.merge(draw.lotId(), draw.amount().units(), Long::sum)));
            List<Lot> spendable = new ArrayList<>();
            Map<EntryId, Long> spendableUnits = new HashMap<>();
            for (Lot lot : lots.values()) {
                long units = lot.isExpiredAt(at) ? 0 : lot.remaining().units() - reservedByLive.getOrDefault(lot.id(), 0L);
                if (units > 0) {
                    spendable.add(lot);
                    spendableUnits.put(lot.id(), units);
                }
            }
            spendable.sort(History::contractOrder);
            List<Draw> drawn = deduction.drawnFrom();
            for (int i = 0; i < drawn.size(); i++) {
                Lot lot = spendable.get(i);
                assertThat("draw " + i + " takes the next lot in burn-down order", drawn.get(i).lotId(), is(lot.id()));
                if (i < drawn.size() - 1) {
                    assertThat("a lot drawn before the last is emptied", drawn.get(i).amount().units(),
                            is(spendableUnits.get(lot.id())));
                }
            }
            assertThat(before.credit().isPresent(), is(true));
        }

        // The contract's order written out again, independently of BurnDown.ORDER, as the oracle.
        private static int contractOrder(Lot a, Lot b) {
            if (a.terms().priority() != b.terms().priority()) {
                return Integer.compare(a.terms().priority(), b.terms().priority());
            }
            Instant never = Instant.MAX;
            int expiry = a.terms().expiresAt().orElse(never).compareTo(b.terms().expiresAt().orElse(never));
            if (expiry != 0) {
                return expiry;
            }
            if (a.terms().category() != b.terms().category()) {
                return a.terms().category() == LotCategory.PROMOTIONAL ? -1 : 1;
            }
            return Long.compare(a.sequence(), b.sequence());
        }

        void assertConsistent() {
            if (credit.isEmpty()) {
                return;
            }
            long signed = entries.stream().mapToLong(LedgerEntry::signedUnits).sum();
            long inLots = lots.values().stream().mapToLong(lot -> lot.remaining().units()).sum();
            assertThat(credit.get().balance().units(), is(signed));
            assertThat(inLots, is(signed));
            assertThat(signed, greaterThanOrEqualTo(0L));
            for (int i = 1; i < entries.size(); i++) {
                assertThat("times never run backwards", !entries.get(i).createdAt().isBefore(entries.get(i - 1).createdAt()), is(true));
            }
            String previous = LedgerHash.GENESIS;
            for (LedgerEntry entry : entries) {
                assertThat("each entry's hash follows the one before it", entry.hash(), is(Optional.of(LedgerHash.of(previous, entry))));
                previous = entry.hash().orElseThrow();
            }
            assertThat("the stored chain head is the last entry's hash", chainHead, is(previous));
            long held = holds.values().stream().mapToLong(hold -> hold.amount().units()).sum();
            long reserved = lots.values().stream().mapToLong(lot -> lot.reserved().units()).sum();
            assertThat("held = what active holds reserve = what the lots have reserved", credit.get().held().units(), is(held));
            assertThat(reserved, is(held));
            assertThat(summary, is(LotSummary.of(lots.values(), holds.values())));
            // A read at now, computed independently: a lot expired by now keeps only what holds
            // still active at now reserve of it; a hold counts only while active at now.
            Map<EntryId, Long> reservedByLive = new HashMap<>();
            long heldNow = 0;
            for (Hold hold : holds.values()) {
                if (hold.isActiveAt(now)) {
                    heldNow += hold.amount().units();
                    hold.reserved().forEach(draw -> reservedByLive.merge(draw.lotId(), draw.amount().units(), Long::sum));
                }
            }
            long balanceNow = 0;
            for (Lot lot : lots.values()) {
                balanceNow += lot.isExpiredAt(now) ? reservedByLive.getOrDefault(lot.id(), 0L) : lot.remaining().units();
            }
            Balance read = CreditState.of(USER, credit, lots.values(), holds.values(), chainHead).balanceAt(now);
            assertThat("the balance a read at now shows", read.balance().units(), is(balanceNow));
            assertThat("what a read at now shows held", read.held().units(), is(heldNow));
            assertThat(read.paid().plus(read.promotional()), is(read.balance()));
            read.nextExpiry().ifPresent(next -> assertThat(next.at().isAfter(now), is(true)));
        }
    }
}
