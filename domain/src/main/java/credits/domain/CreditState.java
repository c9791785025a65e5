package credits.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A user's credit and lots as read under the user's lock, and every money-move decision made on
 * them: the one home of the ledger's rules, used by every adapter. An adapter locks the user, reads
 * this state, asks for a decision and writes the {@link Change} (or nothing, for a refusal).
 *
 * <p>Each decision first writes the expiries owed at the move's time (api.md: time-driven entries
 * come before the user's next entry), in the order of their instants, then the move itself.
 * {@code lots} must hold every lot with something left, and any lot a refund gives back to.
 */
public final class CreditState {

    /** Owed expiries are written in the order of their instants; at one instant, in burn-down order. */
    private static final Comparator<Lot> EXPIRY_ORDER = Comparator
            .comparing((Lot lot) -> lot.terms().expiresAt().orElseThrow())
            .thenComparing(BurnDown.ORDER);

    private final UserId userId;
    private final Optional<Credit> credit;
    private final Map<EntryId, Lot> lots = new LinkedHashMap<>();

    private CreditState(UserId userId, Optional<Credit> credit, Collection<Lot> lots) {
        this.userId = Objects.requireNonNull(userId, "userId");
        this.credit = Objects.requireNonNull(credit, "credit");
        for (Lot lot : lots) {
            if (!lot.userId().equals(userId)) {
                throw new IllegalArgumentException("a lot of another user");
            }
            this.lots.put(lot.id(), lot);
        }
        if (credit.isEmpty() && !this.lots.isEmpty()) {
            throw new IllegalArgumentException("lots without a credit");
        }
    }

    public static CreditState of(UserId userId, Optional<Credit> credit, Collection<Lot> lots) {
        return new CreditState(userId, credit, lots);
    }

    public Optional<Credit> credit() {
        return credit;
    }

    /**
     * The state {@code change} leaves, for deciding the user's next move before the change is
     * stored (several moves of one user written together behave as if written one after the other).
     * A change that opens a lot is refused: the new lot's place in the burn-down order is its
     * entry's position, which only storage assigns.
     */
    public CreditState after(Change change) {
        if (change.openedLot().isPresent()) {
            throw new IllegalArgumentException("the state after a lot opening is read back from storage");
        }
        if (!change.credit().userId().equals(userId)) {
            throw new IllegalArgumentException("a change of another user");
        }
        Map<EntryId, Lot> next = new LinkedHashMap<>(lots);
        change.changedLots().forEach(lot -> next.put(lot.id(), lot));
        return new CreditState(userId, Optional.of(change.credit()), next.values());
    }

    /** What a read at {@code now} shows (the user must have a credit). */
    public Balance balanceAt(Instant now) {
        return Balance.of(credit.orElseThrow(), lots.values(), now);
    }

    /** Whether some lot has expired by {@code now} without its expiry written. */
    public boolean owesExpiriesAt(Instant now) {
        return lots.values().stream().anyMatch(lot -> lot.isDueAt(now));
    }

    /** Only the expiries owed at {@code now} (the sweeper's work); empty when none are. */
    public Optional<Change> settle(Instant now, Supplier<EntryId> ids) {
        if (credit.isEmpty() || !owesExpiriesAt(credit.get().nextMoveTime(now))) {
            return Optional.empty();
        }
        Working working = new Working(ids);
        working.expireOwed(credit.get().nextMoveTime(now));
        return Optional.of(working.change(Optional.empty(), Optional.empty()));
    }

    /** A grant or top-up: a new lot, after the owed expiries. Opens the user's credit when missing. */
    public Decision open(LotOpening move, Supplier<EntryId> ids) {
        Working working = new Working(ids);
        Instant at = working.begin(move.at());
        if (!working.credit.balance().canAdd(move.amount())) {
            return new Decision.Refuse(new MoveOutcome.BalanceLimitExceeded(Usdc.MAX_BALANCE));
        }
        LedgerEntry entry = working.append(working.credit.balance().plus(move.amount()), at, balance -> move.entry(balance, at));
        // Among the lots for the summary; storage gives the new lot its sequence, so it is not a changed one.
        working.lots.put(entry.id(), Lot.opened(entry.id(), userId, move.terms(), Long.MAX_VALUE, move.amount(), at));
        return new Decision.Apply(working.change(Optional.of(entry), Optional.of(entry)));
    }

    /** A usage charge: drawn from the lots in burn-down order, never more than is available. */
    public Decision deduct(Deduction deduction, Supplier<EntryId> ids) {
        if (credit.isEmpty()) {
            return new Decision.Refuse(new MoveOutcome.InsufficientBalance(Usdc.ZERO, deduction.amount()));
        }
        Working working = new Working(ids);
        Instant at = working.begin(deduction.at());
        if (!working.credit.covers(deduction.amount())) {
            return new Decision.Refuse(new MoveOutcome.InsufficientBalance(working.credit.available(), deduction.amount()));
        }
        List<Draw> draws = BurnDown.draw(List.copyOf(working.lots.values()), deduction.amount(), at)
                .orElseThrow(() -> new IllegalStateException("the lots of " + userId + " do not hold its available balance"));
        draws.forEach(draw -> working.changeLot(working.lot(draw.lotId()).drawn(draw.amount())));
        LedgerEntry entry = working.append(working.credit.balance().minus(deduction.amount()), at,
                balance -> deduction.entry(draws, balance, at));
        return new Decision.Apply(working.change(Optional.empty(), Optional.of(entry)));
    }

    /**
     * Gives back (part of) {@code deduction}, of which {@code earlierRefunds} were already refunded,
     * into the lots it drew from, last drawn first. What goes back into a lot that has expired by
     * then expires again at once, right after the refund.
     */
    public Decision refund(Refund refund, LedgerEntry deduction, List<LedgerEntry> earlierRefunds, Supplier<EntryId> ids) {
        if (deduction.type() != EntryType.DEDUCTION || !deduction.userId().equals(userId) || credit.isEmpty()) {
            throw new IllegalArgumentException("a refund is decided on the state of its deduction's user");
        }
        List<Draw> returned = new ArrayList<>();
        Usdc refunded = Usdc.ZERO;
        for (LedgerEntry earlier : earlierRefunds) {
            refunded = refunded.plus(earlier.amount());
            returned.addAll(earlier.drawnFrom());
        }
        Usdc refundable = deduction.amount().minus(refunded);
        Optional<Usdc> giving = refund.amountWithin(refundable);
        if (giving.isEmpty()) {
            return new Decision.Refuse(new MoveOutcome.RefundExceedsDeduction(refundable));
        }
        Working working = new Working(ids);
        Instant at = working.begin(refund.at());
        if (!working.credit.balance().canAdd(giving.get())) {
            return new Decision.Refuse(new MoveOutcome.BalanceLimitExceeded(Usdc.MAX_BALANCE));
        }
        List<Draw> back = BurnDown.giveBack(deduction.drawnFrom(), returned, giving.get());
        back.forEach(draw -> working.changeLot(working.lot(draw.lotId()).givenBack(draw.amount())));
        LedgerEntry entry = working.append(working.credit.balance().plus(giving.get()), at,
                balance -> refund.entry(userId, back, balance, at));
        for (Draw draw : back) {
            Lot lot = working.lot(draw.lotId());
            if (lot.isDueAt(at)) {
                working.expire(lot, at);
            }
        }
        return new Decision.Apply(working.change(Optional.empty(), Optional.of(entry)));
    }

    /** One decision's scratch state: the credit and lots as the entries so far leave them. */
    private final class Working {
        private final Supplier<EntryId> ids;
        private final Map<EntryId, Lot> lots = new LinkedHashMap<>(CreditState.this.lots);
        private final Map<EntryId, Lot> changed = new LinkedHashMap<>();
        private final List<LedgerEntry> entries = new ArrayList<>();
        private Credit credit;

        Working(Supplier<EntryId> ids) {
            this.ids = Objects.requireNonNull(ids, "ids");
            this.credit = CreditState.this.credit.orElse(null);
        }

        /** The move's time (never before the user's last change), with the expiries owed by then written. */
        Instant begin(Instant requested) {
            if (credit == null) {
                credit = Credit.opened(userId, requested);
                return requested;
            }
            Instant at = credit.nextMoveTime(requested);
            expireOwed(at);
            return at;
        }

        void expireOwed(Instant now) {
            List<Lot> owed = lots.values().stream().filter(lot -> lot.isDueAt(now)).sorted(EXPIRY_ORDER).toList();
            for (Lot lot : owed) {
                expire(lot, credit.nextMoveTime(lot.terms().expiresAt().orElseThrow()));
            }
        }

        void expire(Lot lot, Instant at) {
            Usdc amount = lot.remaining();
            changeLot(lot.expiredAll());
            append(credit.balance().minus(amount), at, balance -> LedgerEntry.expiry(ids.get(), lot, amount, balance, at));
        }

        Lot lot(EntryId id) {
            Lot lot = lots.get(id);
            if (lot == null) {
                throw new IllegalStateException("lot " + id + " of " + userId + " was not read");
            }
            return lot;
        }

        void changeLot(Lot lot) {
            lots.put(lot.id(), lot);
            changed.put(lot.id(), lot);
        }

        LedgerEntry append(Usdc balanceAfter, Instant at, Function<Usdc, LedgerEntry> entry) {
            credit = new Credit(userId, balanceAfter, credit.held(), credit.createdAt(), credit.nextMoveTime(at));
            LedgerEntry written = entry.apply(balanceAfter);
            entries.add(written);
            return written;
        }

        Change change(Optional<LedgerEntry> opened, Optional<LedgerEntry> move) {
            return new Change(credit, LotSummary.of(lots.values()), entries, List.copyOf(changed.values()), opened, move);
        }
    }
}
