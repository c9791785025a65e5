package credits.adapters.persistence.memory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import java.util.function.Supplier;

import credits.domain.Balance;
import credits.domain.Change;
import credits.domain.Credit;
import credits.domain.CreditState;
import credits.domain.CreditsPort;
import credits.domain.Decision;
import credits.domain.Deduction;
import credits.domain.EntryId;
import credits.domain.EntryType;
import credits.domain.Capture;
import credits.domain.Grant;
import credits.domain.Hold;
import credits.domain.HoldPage;
import credits.domain.HoldRequest;
import credits.domain.HoldStatus;
import credits.domain.HistoryCursor;
import credits.domain.HistoryPage;
import credits.domain.Idempotency;
import credits.domain.IdempotencyKey;
import credits.domain.LedgerEntry;
import credits.domain.LedgerHash;
import credits.domain.Lot;
import credits.domain.LotOpening;
import credits.domain.LotPage;
import credits.domain.MoveOutcome;
import credits.domain.Operation;
import credits.domain.Refund;
import credits.domain.Release;
import credits.domain.Topup;
import credits.domain.LowBalanceAlert;
import credits.domain.Usdc;
import credits.domain.UserId;

/**
 * {@link CreditsPort} in maps, for {@code CREDITS_STORE=memory} and as the fake in use-case tests.
 * Nothing survives a restart.
 *
 * <p>Every money move and every history read runs under one lock: one move at a time is
 * obviously atomic (check, balance change and entry together) and is plenty for a store that
 * lives in one process. The decisions are {@link CreditState}'s, as in the PostgreSQL adapter;
 * this class only keeps what they write.
 */
public final class InMemoryCreditsAdapter implements CreditsPort {

    private final ConcurrentMap<UserId, Credit> credits = new ConcurrentHashMap<>();

    private final Object ledgerLock = new Object();
    private final Supplier<EntryId> ids = () -> new EntryId(UUID.randomUUID());
    // Guarded by ledgerLock.
    private final Map<MoveIdentity, StoredMove> byIdempotency = new HashMap<>();
    private final Map<String, LedgerEntry> byPaymentReference = new HashMap<>();
    private final Map<EntryId, LedgerEntry> byId = new HashMap<>();
    private final Map<EntryId, List<LedgerEntry>> refundsByDeduction = new HashMap<>();
    // Each user's entries in the order they were written, which is ascending position.
    private final Map<UserId, List<Positioned>> byUser = new HashMap<>();
    private final Map<UserId, Map<EntryId, Lot>> lotsByUser = new HashMap<>();
    // Every hold by id with its hold entry's position, and each user's holds oldest first.
    private final Map<EntryId, PositionedHold> holdsById = new HashMap<>();
    private final Map<UserId, List<EntryId>> holdsByUser = new HashMap<>();
    // The hash of each user's last entry: where the next entry's chain link starts.
    private final Map<UserId, String> chainHeads = new HashMap<>();
    // Each user's own low-balance threshold and whether a balance.low awaits its balance.recovered.
    private final Map<UserId, Optional<Usdc>> ownThresholds = new HashMap<>();
    private final Map<UserId, Boolean> lowAlerted = new HashMap<>();
    private long lastPosition;
    private final Optional<Usdc> defaultThreshold;
    private final InMemoryWebhooksAdapter webhooks;

    /** No default low-balance threshold, and an outbox of its own. */
    public InMemoryCreditsAdapter() {
        this(Optional.empty(), new InMemoryWebhooksAdapter());
    }

    /** With the threshold that applies to users who set none, writing events into {@code webhooks}' outbox. */
    public InMemoryCreditsAdapter(Optional<Usdc> defaultThreshold, InMemoryWebhooksAdapter webhooks) {
        this.defaultThreshold = Objects.requireNonNull(defaultThreshold, "defaultThreshold");
        this.webhooks = Objects.requireNonNull(webhooks, "webhooks");
    }

    /** The outbox this store's moves write their events into. */
    public InMemoryWebhooksAdapter webhooks() {
        return webhooks;
    }

    @Override
    public Optional<Usdc> lowBalanceThreshold(UserId userId) {
        Objects.requireNonNull(userId, "userId");
        synchronized (ledgerLock) {
            return LowBalanceAlert.applying(ownThresholds.getOrDefault(userId, Optional.empty()), defaultThreshold);
        }
    }

    @Override
    public Optional<Usdc> setLowBalanceThreshold(UserId userId, Optional<Usdc> own, Instant now) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(own, "own");
        synchronized (ledgerLock) {
            new LowBalanceAlert(own, false); // refuses a zero threshold, as the database's CHECK does
            credits.computeIfAbsent(userId, id -> Credit.opened(id, now));
            ownThresholds.put(userId, own);
            lowAlerted.put(userId, false);
            return LowBalanceAlert.applying(own, defaultThreshold);
        }
    }

    @Override
    public Balance getOrCreate(UserId userId, Instant now) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(now, "now");
        synchronized (ledgerLock) {
            credits.computeIfAbsent(userId, id -> Credit.opened(id, now));
            return state(userId).balanceAt(now);
        }
    }

    @Override
    public Optional<Balance> find(UserId userId, Instant now) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(now, "now");
        synchronized (ledgerLock) {
            return credits.containsKey(userId) ? Optional.of(state(userId).balanceAt(now)) : Optional.empty();
        }
    }

    @Override
    public MoveOutcome grant(Grant grant) {
        Objects.requireNonNull(grant, "grant");
        return open(grant);
    }

    @Override
    public MoveOutcome topup(Topup topup) {
        Objects.requireNonNull(topup, "topup");
        return open(topup);
    }

    private MoveOutcome open(LotOpening move) {
        synchronized (ledgerLock) {
            Optional<MoveOutcome> earlier = earlier(move.idempotency());
            if (earlier.isPresent()) {
                return earlier.get();
            }
            if (move instanceof Topup topup && byPaymentReference.containsKey(topup.deposit().paymentReference())) {
                return new MoveOutcome.PaymentAlreadyCredited();
            }
            return apply(move.idempotency(), state(move.userId()).open(move, ids));
        }
    }

    @Override
    public MoveOutcome deduct(Deduction deduction) {
        Objects.requireNonNull(deduction, "deduction");
        synchronized (ledgerLock) {
            Optional<MoveOutcome> earlier = earlier(deduction.idempotency());
            if (earlier.isPresent()) {
                return earlier.get();
            }
            return apply(deduction.idempotency(), state(deduction.userId()).deduct(deduction, ids));
        }
    }

    @Override
    public MoveOutcome refund(Refund refund) {
        Objects.requireNonNull(refund, "refund");
        synchronized (ledgerLock) {
            // The key is checked before "not found", as the PostgreSQL adapter does.
            Optional<MoveOutcome> earlier = earlier(refund.idempotency());
            if (earlier.isPresent()) {
                return earlier.get();
            }
            LedgerEntry deduction = byId.get(refund.deductionId());
            if (deduction == null || deduction.type() != EntryType.DEDUCTION) {
                return new MoveOutcome.DeductionNotFound();
            }
            List<LedgerEntry> earlierRefunds = refundsByDeduction.getOrDefault(deduction.id(), List.of());
            return apply(refund.idempotency(), state(deduction.userId()).refund(refund, deduction, earlierRefunds, ids));
        }
    }

    @Override
    public MoveOutcome placeHold(HoldRequest request) {
        Objects.requireNonNull(request, "request");
        synchronized (ledgerLock) {
            Optional<MoveOutcome> earlier = earlier(request.idempotency());
            if (earlier.isPresent()) {
                return earlier.get();
            }
            return apply(request.idempotency(), state(request.userId()).placeHold(request, ids));
        }
    }

    @Override
    public MoveOutcome capture(Capture capture) {
        Objects.requireNonNull(capture, "capture");
        synchronized (ledgerLock) {
            return onHold(capture.holdId(), capture.idempotency(), hold -> state(hold.userId()).capture(capture, hold, ids));
        }
    }

    @Override
    public MoveOutcome release(Release release) {
        Objects.requireNonNull(release, "release");
        synchronized (ledgerLock) {
            return onHold(release.holdId(), release.idempotency(), hold -> state(hold.userId()).release(release, hold, ids));
        }
    }

    // Guarded by ledgerLock. The contract's order: unknown hold, then the key, then the decision.
    private MoveOutcome onHold(EntryId holdId, Idempotency idempotency, Function<Hold, Decision> decide) {
        PositionedHold stored = holdsById.get(holdId);
        if (stored == null) {
            return new MoveOutcome.HoldNotFound();
        }
        Optional<MoveOutcome> earlier = earlier(idempotency);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        return apply(idempotency, decide.apply(stored.hold()));
    }

    @Override
    public Optional<Hold> hold(EntryId holdId, Instant now) {
        Objects.requireNonNull(holdId, "holdId");
        synchronized (ledgerLock) {
            return Optional.ofNullable(holdsById.get(holdId)).map(stored -> stored.hold().asOf(now));
        }
    }

    @Override
    public HoldPage holds(UserId userId, Optional<HoldStatus> status, Optional<HistoryCursor> after, int limit, Instant now) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(status, "status");
        HistoryPage.requireLimit(limit);
        long before = after.map(HistoryCursor::position).orElse(Long.MAX_VALUE);
        synchronized (ledgerLock) {
            List<EntryId> own = holdsByUser.getOrDefault(userId, List.of());
            List<Hold> page = new ArrayList<>();
            Optional<HistoryCursor> next = Optional.empty();
            for (int i = own.size() - 1; i >= 0; i--) {
                PositionedHold stored = holdsById.get(own.get(i));
                Hold shown = stored.hold().asOf(now);
                if (stored.position() >= before || status.filter(wanted -> wanted != shown.status()).isPresent()) {
                    continue;
                }
                if (page.size() == limit) {
                    next = Optional.of(new HistoryCursor(holdsById.get(page.get(page.size() - 1).id()).position()));
                    break;
                }
                page.add(shown);
            }
            return new HoldPage(page, next);
        }
    }

    @Override
    public HistoryPage history(UserId userId, Optional<HistoryCursor> after, int limit, Instant now) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(after, "after");
        HistoryPage.requireLimit(limit);
        long before = after.map(HistoryCursor::position).orElse(Long.MAX_VALUE);
        synchronized (ledgerLock) {
            settle(userId, now);
            List<Positioned> entries = byUser.getOrDefault(userId, List.of());
            int end = countBefore(entries, before);
            int start = Math.max(0, end - limit);
            List<LedgerEntry> page = new ArrayList<>(end - start);
            for (int i = end - 1; i >= start; i--) {
                page.add(entries.get(i).entry());
            }
            Optional<HistoryCursor> next = start > 0
                    ? Optional.of(new HistoryCursor(entries.get(start).position()))
                    : Optional.empty();
            return new HistoryPage(page, next);
        }
    }

    @Override
    public LotPage lots(UserId userId, LotPage.Query query, Instant now) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(query, "query");
        synchronized (ledgerLock) {
            return LotPage.of(state(userId).lotsAt(now), query, now);
        }
    }

    @Override
    public int settleExpiries(Instant now, int maxUsers) {
        synchronized (ledgerLock) {
            int settled = 0;
            for (UserId userId : List.copyOf(credits.keySet())) {
                if (settled == maxUsers) {
                    break;
                }
                if (settle(userId, now)) {
                    settled++;
                }
            }
            return settled;
        }
    }

    // Guarded by ledgerLock.
    private boolean settle(UserId userId, Instant now) {
        Optional<Change> owed = state(userId).settle(now, ids);
        owed.ifPresent(change -> write(Optional.empty(), change));
        return owed.isPresent();
    }

    // How many of the entries (ascending positions) lie strictly before the position: a binary
    // search, so paging stays cheap however many newer entries were written meanwhile.
    private static int countBefore(List<Positioned> entries, long position) {
        int low = 0;
        int high = entries.size();
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (entries.get(middle).position() < position) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    // Guarded by ledgerLock.
    private CreditState state(UserId userId) {
        List<Hold> active = holdsByUser.getOrDefault(userId, List.of()).stream().map(id -> holdsById.get(id).hold())
                .filter(hold -> hold.status() == HoldStatus.ACTIVE).toList();
        return CreditState.of(userId, Optional.ofNullable(credits.get(userId)),
                lotsByUser.getOrDefault(userId, Map.of()).values(), active, chainHeads.getOrDefault(userId, LedgerHash.GENESIS))
                .withAlert(new LowBalanceAlert(LowBalanceAlert.applying(ownThresholds.getOrDefault(userId, Optional.empty()),
                        defaultThreshold), lowAlerted.getOrDefault(userId, false)));
    }

    // Guarded by ledgerLock.
    private Optional<MoveOutcome> earlier(Idempotency idempotency) {
        StoredMove stored = byIdempotency.get(MoveIdentity.of(idempotency));
        return Optional.ofNullable(stored).map(earlier -> idempotency.againstEarlier(earlier.entry(), earlier.fingerprint()));
    }

    // Guarded by ledgerLock.
    private MoveOutcome apply(Idempotency idempotency, Decision decision) {
        if (decision instanceof Decision.Apply apply) {
            write(Optional.of(idempotency), apply.change());
            return apply.outcome();
        }
        return ((Decision.Refuse) decision).outcome();
    }

    // Guarded by ledgerLock. What the PostgreSQL adapter writes in one transaction, in the same order.
    private void write(Optional<Idempotency> idempotency, Change change) {
        for (LedgerEntry entry : change.entries()) {
            if (byId.containsKey(entry.id())) {
                throw new IllegalStateException("the ledger already has an entry with this id"); // the primary key
            }
        }
        UserId userId = change.credit().userId();
        Map<EntryId, Lot> lots = lotsByUser.computeIfAbsent(userId, id -> new HashMap<>());
        // A hold's position is its hold entry's, as on PostgreSQL.
        Map<EntryId, Long> holdEntryPositions = new HashMap<>();
        for (LedgerEntry entry : change.entries()) {
            lastPosition++;
            if (entry.type() == EntryType.HOLD) {
                holdEntryPositions.put(entry.id(), lastPosition);
            }
            byId.put(entry.id(), entry);
            byUser.computeIfAbsent(userId, id -> new ArrayList<>()).add(new Positioned(lastPosition, entry));
            if (entry.type() == EntryType.REFUND) {
                refundsByDeduction.computeIfAbsent(entry.deductionId().orElseThrow(), id -> new ArrayList<>()).add(entry);
            }
            entry.deposit().ifPresent(deposit -> byPaymentReference.put(deposit.paymentReference(), entry));
            if (change.openedLot().filter(opened -> opened.id().equals(entry.id())).isPresent()) {
                lots.put(entry.id(), Lot.opened(entry.id(), userId, entry.lot().orElseThrow(), lastPosition, entry.amount(),
                        entry.createdAt()));
            }
        }
        change.changedLots().forEach(lot -> lots.put(lot.id(), lot));
        for (Hold hold : change.changedHolds()) {
            PositionedHold stored = holdsById.get(hold.id());
            if (stored == null) {
                holdsByUser.computeIfAbsent(userId, id -> new ArrayList<>()).add(hold.id());
            }
            holdsById.put(hold.id(), new PositionedHold(stored == null ? holdEntryPositions.get(hold.id()) : stored.position(), hold));
        }
        change.move().ifPresent(move -> idempotency.ifPresent(identity ->
                byIdempotency.put(MoveIdentity.of(identity), new StoredMove(move, identity.fingerprint()))));
        credits.put(userId, change.credit());
        chainHeads.put(userId, change.chainHead());
        change.lowAlertAfter().ifPresent(low -> lowAlerted.put(userId, low));
        webhooks.record(change.events());
    }

    /** One effect per (caller, operation, key); the fingerprint is what is compared, not part of the identity. */
    private record MoveIdentity(UserId caller, Operation operation, IdempotencyKey key) {

        static MoveIdentity of(Idempotency idempotency) {
            return new MoveIdentity(idempotency.caller(), idempotency.operation(), idempotency.key());
        }
    }

    private record StoredMove(LedgerEntry entry, String fingerprint) {
    }

    private record Positioned(long position, LedgerEntry entry) {
    }

    private record PositionedHold(long position, Hold hold) {
    }
}
