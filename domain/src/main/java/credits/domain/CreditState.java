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
    /** Owed hold expiries in the order of their instants; at one instant, the older hold first. */
    private static final Comparator<Hold> HOLD_EXPIRY_ORDER = Comparator.comparing(Hold::expiresAt)
            .thenComparing(Hold::createdAt)
            .thenComparing(hold -> hold.id().value());

    private final UserId userId;
    private final Optional<Credit> credit;
    private final Map<EntryId, Lot> lots = new LinkedHashMap<>();
    private final Map<EntryId, Hold> holds = new LinkedHashMap<>();
    private final String chainHead;
    private final LowBalanceAlert alert;

    private CreditState(UserId userId, Optional<Credit> credit, Collection<Lot> lots, Collection<Hold> holds, String chainHead) {
        this(userId, credit, lots, holds, chainHead, LowBalanceAlert.NONE);
    }

    private CreditState(UserId userId, Optional<Credit> credit, Collection<Lot> lots, Collection<Hold> holds, String chainHead,
                        LowBalanceAlert alert) {
        this.alert = Objects.requireNonNull(alert, "alert");
        this.userId = Objects.requireNonNull(userId, "userId");
        this.credit = Objects.requireNonNull(credit, "credit");
        this.chainHead = LedgerHash.requireHash(chainHead);
        for (Lot lot : lots) {
            if (!lot.userId().equals(userId)) {
                throw new IllegalArgumentException("a lot of another user");
            }
            this.lots.put(lot.id(), lot);
        }
        for (Hold hold : holds) {
            if (!hold.userId().equals(userId) || hold.status() != HoldStatus.ACTIVE) {
                throw new IllegalArgumentException("the state holds the user's active holds only");
            }
            this.holds.put(hold.id(), hold);
        }
        if (credit.isEmpty() && !(this.lots.isEmpty() && this.holds.isEmpty())) {
            throw new IllegalArgumentException("lots or holds without a credit");
        }
    }

    /** A user without active holds whose ledger is empty (tests of the decisions alone). */
    public static CreditState of(UserId userId, Optional<Credit> credit, Collection<Lot> lots) {
        return new CreditState(userId, credit, lots, List.of(), LedgerHash.GENESIS);
    }

    /** A user whose ledger is empty (tests of the decisions alone). */
    public static CreditState of(UserId userId, Optional<Credit> credit, Collection<Lot> lots, Collection<Hold> holds) {
        return new CreditState(userId, credit, lots, holds, LedgerHash.GENESIS);
    }

    /**
     * The state as stored: {@code holds} are the user's holds stored as active (also those whose
     * expiry is owed), {@code lots} include every lot they reserve from, and {@code chainHead} is the
     * hash of the user's last entry ({@link LedgerHash#GENESIS} before the first).
     */
    public static CreditState of(UserId userId, Optional<Credit> credit, Collection<Lot> lots, Collection<Hold> holds,
                                 String chainHead) {
        return new CreditState(userId, credit, lots, holds, chainHead);
    }

    /**
     * This state with the user's low-balance alert, which every decision then judges its move
     * against (without it, no threshold applies and only the events that need none are decided).
     */
    public CreditState withAlert(LowBalanceAlert alert) {
        return new CreditState(userId, credit, lots.values(), holds.values(), chainHead, alert);
    }

    public Optional<Credit> credit() {
        return credit;
    }

    public LowBalanceAlert alert() {
        return alert;
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
        Map<EntryId, Lot> nextLots = new LinkedHashMap<>(lots);
        change.changedLots().forEach(lot -> nextLots.put(lot.id(), lot));
        Map<EntryId, Hold> nextHolds = new LinkedHashMap<>(holds);
        for (Hold hold : change.changedHolds()) {
            if (hold.status() == HoldStatus.ACTIVE) {
                nextHolds.put(hold.id(), hold);
            } else {
                nextHolds.remove(hold.id());
            }
        }
        return new CreditState(userId, Optional.of(change.credit()), nextLots.values(), nextHolds.values(), change.chainHead(),
                change.lowAlertAfter().map(alert::low).orElse(alert));
    }

    /**
     * What a read at {@code now} shows (the user must have a credit): the state with every expiry
     * owed by then applied, holds and lots alike, exactly as the next move or the sweeper will write
     * them, so a read never shows what expired at or before {@code now}.
     */
    public Balance balanceAt(Instant now) {
        Working working = new Working(() -> new EntryId(new java.util.UUID(0, 0)));
        working.expireOwed(now);
        Credit read = working.credit;
        return Balance.of(new Credit(userId, read.balance(), read.held(), read.createdAt(), credit.orElseThrow().updatedAt()),
                working.summary());
    }

    /**
     * The user's lots as a read at {@code now} shows them: owed expiries applied (and what holds
     * that expired by then reserved given back first), in the order the state was given them.
     */
    public List<Lot> lotsAt(Instant now) {
        if (credit.isEmpty()) {
            return List.copyOf(lots.values());
        }
        Working working = new Working(() -> new EntryId(new java.util.UUID(0, 0)));
        working.expireOwed(now);
        return List.copyOf(working.lots.values());
    }

    /** The user's active holds as a read at {@code now} shows them (an owed expiry as written), oldest first. */
    public List<Hold> holdsAt(Instant now) {
        return holds.values().stream().map(hold -> hold.asOf(now)).toList();
    }

    /** Whether some lot or hold has expired by {@code now} without its entry written. */
    public boolean owesExpiriesAt(Instant now) {
        return lots.values().stream().anyMatch(lot -> lot.isDueAt(now)) || holds.values().stream().anyMatch(hold -> hold.isDueAt(now));
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
        if (entry.type() == EntryType.TOPUP) {
            working.about(CreditEventType.TOPUP_CREDITED, entry);
        }
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

    /**
     * Reserves {@code request}'s amount from the lots in burn-down order, after the owed expiries:
     * refused when the user has the request's limit of active holds, then when the available
     * balance does not cover it.
     */
    public Decision placeHold(HoldRequest request, Supplier<EntryId> ids) {
        if (credit.isEmpty()) {
            return new Decision.Refuse(new MoveOutcome.InsufficientBalance(Usdc.ZERO, request.amount()));
        }
        Working working = new Working(ids);
        Instant at = working.begin(request.at());
        if (working.holds.size() >= request.activeHoldLimit()) {
            return new Decision.Refuse(new MoveOutcome.HoldLimitReached(request.activeHoldLimit()));
        }
        if (!working.credit.covers(request.amount())) {
            return new Decision.Refuse(new MoveOutcome.InsufficientBalance(working.credit.available(), request.amount()));
        }
        List<Draw> reserved = BurnDown.draw(List.copyOf(working.lots.values()), request.amount(), at)
                .orElseThrow(() -> new IllegalStateException("the lots of " + userId + " do not hold its available balance"));
        reserved.forEach(draw -> working.changeLot(working.lot(draw.lotId()).reservedFor(draw.amount())));
        Hold hold = Hold.placed(request.id(), userId, request.amount(), request.reference(), reserved,
                at.plus(request.expiresIn()), at);
        working.hold(working.credit.held().plus(hold.amount()));
        LedgerEntry entry = working.append(working.credit.balance(), at, balance -> LedgerEntry.hold(hold, balance));
        working.holds.put(hold.id(), hold);
        working.changedHolds.put(hold.id(), hold);
        return new Decision.Apply(working.change(Optional.empty(), Optional.of(entry)));
    }

    /**
     * Charges (part of) {@code hold}, as stored, from the lots it reserved, in the order it took
     * them, even from one that has expired meanwhile; the rest is freed at once, and what of it
     * returns to an expired lot expires right after. Refused when the hold is no longer active at
     * the move's time, then when the capture asks more than the hold.
     */
    public Decision capture(Capture capture, Hold hold, Supplier<EntryId> ids) {
        requireOwn(hold);
        Working working = new Working(ids);
        Instant at = working.begin(capture.at());
        Hold active = working.holds.get(hold.id());
        if (active == null) {
            return new Decision.Refuse(new MoveOutcome.HoldNotActive(working.statusOf(hold)));
        }
        Usdc amount = capture.amount().orElse(active.amount());
        if (active.amount().isLessThan(amount)) {
            return new Decision.Refuse(new MoveOutcome.CaptureExceedsHold(active.amount()));
        }
        List<Draw> taken = new ArrayList<>();
        Usdc left = amount;
        for (Draw reservation : active.reserved()) {
            Usdc take = reservation.amount().isLessThan(left) ? reservation.amount() : left;
            Lot lot = working.lot(reservation.lotId()).unreservedBy(reservation.amount());
            if (!take.isZero()) {
                lot = lot.drawn(take);
                taken.add(new Draw(lot.id(), take));
                left = left.minus(take);
            }
            working.changeLot(lot);
        }
        working.hold(working.credit.held().minus(active.amount()));
        LedgerEntry entry = working.append(working.credit.balance().minus(amount), at,
                balance -> capture.entry(active, taken, balance, at));
        working.ended(active.capturedBy(entry));
        working.expireFreed(active, at);
        return new Decision.Apply(working.change(Optional.empty(), Optional.of(entry)));
    }

    /** Gives {@code hold}'s whole amount back to its lots; refused when it is no longer active at the move's time. */
    public Decision release(Release release, Hold hold, Supplier<EntryId> ids) {
        requireOwn(hold);
        Working working = new Working(ids);
        Instant at = working.begin(release.at());
        Hold active = working.holds.get(hold.id());
        if (active == null) {
            return new Decision.Refuse(new MoveOutcome.HoldNotActive(working.statusOf(hold)));
        }
        LedgerEntry entry = working.endHold(active, release.id(), HoldStatus.RELEASED, "released", at, at);
        return new Decision.Apply(working.change(Optional.empty(), Optional.of(entry)));
    }

    private void requireOwn(Hold hold) {
        if (!hold.userId().equals(userId) || credit.isEmpty()) {
            throw new IllegalArgumentException("a hold is decided on the state of its own user");
        }
    }

    /** One decision's scratch state: the credit and lots as the entries so far leave them. */
    private final class Working {
        private final Supplier<EntryId> ids;
        private final Map<EntryId, Lot> lots = new LinkedHashMap<>(CreditState.this.lots);
        private final Map<EntryId, Lot> changed = new LinkedHashMap<>();
        private final Map<EntryId, Hold> holds = new LinkedHashMap<>(CreditState.this.holds);
        private final Map<EntryId, Hold> changedHolds = new LinkedHashMap<>();
        private final List<LedgerEntry> entries = new ArrayList<>();
        private Credit credit;
        private String chainHead = CreditState.this.chainHead;
        private final List<Told> told = new ArrayList<>();

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

        /**
         * Every expiry owed at {@code now}, holds and lots, in the order of their instants (at one
         * instant, hold releases first, so what they give back to a lot expiring then expires with it).
         */
        void expireOwed(Instant now) {
            while (true) {
                Optional<Hold> hold = holds.values().stream().filter(owed -> owed.isDueAt(now)).min(HOLD_EXPIRY_ORDER);
                Optional<Lot> lot = lots.values().stream().filter(owed -> owed.isDueAt(now)).min(EXPIRY_ORDER);
                if (hold.isEmpty() && lot.isEmpty()) {
                    return;
                }
                Instant holdAt = hold.map(Hold::expiresAt).orElse(Instant.MAX);
                Instant lotAt = lot.flatMap(owed -> owed.terms().expiresAt()).orElse(Instant.MAX);
                if (!lotAt.isBefore(holdAt)) {
                    endHold(hold.get(), ids.get(), HoldStatus.EXPIRED, "expired", credit.nextMoveTime(holdAt), holdAt);
                } else {
                    expire(lot.get(), credit.nextMoveTime(lotAt));
                }
            }
        }

        /**
         * Ends {@code hold} {@code how}, giving back its reservations (entry {@code id} at {@code at});
         * what returns to an expired lot expires right after.
         */
        LedgerEntry endHold(Hold hold, EntryId id, HoldStatus how, String reason, Instant at, Instant resolvedAt) {
            hold.reserved().forEach(reservation -> changeLot(lot(reservation.lotId()).unreservedBy(reservation.amount())));
            hold(credit.held().minus(hold.amount()));
            LedgerEntry entry = append(credit.balance(), at, balance -> LedgerEntry.holdRelease(id, hold, reason, balance, at));
            if (how == HoldStatus.EXPIRED) {
                about(CreditEventType.HOLD_EXPIRED, entry);
            }
            ended(hold.ended(how, resolvedAt));
            expireFreed(hold, at);
            return entry;
        }

        /** What a hold that just ended gave back to lots already expired leaves the balance now. */
        void expireFreed(Hold hold, Instant at) {
            for (Draw reservation : hold.reserved()) {
                Lot lot = lot(reservation.lotId());
                if (lot.isDueAt(at)) {
                    expire(lot, at);
                }
            }
        }

        void ended(Hold hold) {
            holds.remove(hold.id());
            changedHolds.put(hold.id(), hold);
        }

        /** The status of a hold that is not active here: ended by this decision, or as stored. */
        HoldStatus statusOf(Hold stored) {
            return Optional.ofNullable(changedHolds.get(stored.id())).orElse(stored).status();
        }

        void hold(Usdc held) {
            credit = new Credit(userId, credit.balance(), held, credit.createdAt(), credit.updatedAt());
        }

        LotSummary summary() {
            return LotSummary.of(lots.values(), holds.values());
        }

        void expire(Lot lot, Instant at) {
            Usdc amount = lot.unreserved();
            changeLot(lot.expiredAll());
            LedgerEntry entry = append(credit.balance().minus(amount), at, balance -> LedgerEntry.expiry(ids.get(), lot, amount, balance, at));
            if (!amount.isZero()) {
                about(CreditEventType.CREDITS_EXPIRED, entry);
            }
        }

        /** An event about {@code entry}, told with the balance the whole move leaves. */
        void about(CreditEventType type, LedgerEntry entry) {
            told.add(new Told(type, entry));
        }

        /**
         * The move's events: those about its entries, in their order, then the crossings judged on
         * the available balance before and after the whole move ({@code balance.low} before
         * {@code balance.depleted} when one move does both).
         */
        List<CreditEvent> events(Optional<LedgerEntry> move) {
            if (entries.isEmpty()) {
                return List.of();
            }
            LedgerEntry last = move.orElse(entries.get(entries.size() - 1));
            Usdc before = CreditState.this.credit.map(Credit::available).orElse(Usdc.ZERO);
            Usdc after = credit.available();
            Optional<Usdc> threshold = alert.threshold();
            if (threshold.isPresent()) {
                Usdc line = threshold.get();
                if (!alert.low() && !before.isLessThan(line) && after.isLessThan(line)) {
                    about(CreditEventType.BALANCE_LOW, last);
                } else if (alert.low() && !after.isLessThan(line)) {
                    about(CreditEventType.BALANCE_RECOVERED, last);
                }
            }
            if (!before.isZero() && after.isZero()) {
                about(CreditEventType.BALANCE_DEPLETED, last);
            }
            return told.stream().map(event -> new CreditEvent(new EventId(ids.get().value()), event.type(), userId, credit.balance(), after,
                    threshold, Optional.of(event.entry().id()), event.entry().holdId(), event.entry().createdAt())).toList();
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
            LedgerEntry written = entry.apply(balanceAfter).chained(chainHead);
            chainHead = written.hash().orElseThrow();
            entries.add(written);
            return written;
        }

        Change change(Optional<LedgerEntry> opened, Optional<LedgerEntry> move) {
            return new Change(credit, summary(), entries, List.copyOf(changed.values()), opened, move,
                    List.copyOf(changedHolds.values()), chainHead, events(move));
        }
    }

    /** An event of a decision, about one of its entries. */
    private record Told(CreditEventType type, LedgerEntry entry) {
    }
}
