package credits.adapters.persistence.memory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import credits.domain.Credit;
import credits.domain.CreditsPort;
import credits.domain.Deduction;
import credits.domain.EntryId;
import credits.domain.EntryType;
import credits.domain.Grant;
import credits.domain.HistoryCursor;
import credits.domain.HistoryPage;
import credits.domain.Idempotency;
import credits.domain.IdempotencyKey;
import credits.domain.LedgerEntry;
import credits.domain.MoveOutcome;
import credits.domain.Operation;
import credits.domain.Refund;
import credits.domain.Usdc;
import credits.domain.UserId;

/**
 * {@link CreditsPort} in maps, for {@code CREDITS_STORE=memory} and as the fake in use-case tests.
 * Nothing survives a restart.
 *
 * <p>Every money move and every history read runs under one lock: one move at a time is
 * obviously atomic (check, balance change and entry together) and is plenty for a store that
 * lives in one process. Credits stay in a concurrent map so reading a balance never waits.
 */
public final class InMemoryCreditsAdapter implements CreditsPort {

    private final ConcurrentMap<UserId, Credit> credits = new ConcurrentHashMap<>();

    private final Object ledgerLock = new Object();
    // Guarded by ledgerLock.
    private final Map<MoveIdentity, StoredMove> byIdempotency = new HashMap<>();
    private final Map<EntryId, LedgerEntry> byId = new HashMap<>();
    // Each user's entries in the order they were written, which is ascending position.
    private final Map<UserId, List<Positioned>> byUser = new HashMap<>();
    private final Map<EntryId, Usdc> refundedByDeduction = new HashMap<>();
    private long lastPosition;

    public InMemoryCreditsAdapter() {
    }

    @Override
    public Credit getOrCreate(UserId userId, Instant now) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(now, "now");
        // computeIfAbsent runs the factory at most once per key, so racing first calls all get the
        // one credit the winner opened.
        return credits.computeIfAbsent(userId, id -> Credit.opened(id, now));
    }

    @Override
    public Optional<Credit> find(UserId userId) {
        Objects.requireNonNull(userId, "userId");
        return Optional.ofNullable(credits.get(userId));
    }

    @Override
    public MoveOutcome grant(Grant grant) {
        Objects.requireNonNull(grant, "grant");
        synchronized (ledgerLock) {
            Optional<MoveOutcome> earlier = earlier(grant.idempotency());
            if (earlier.isPresent()) {
                return earlier.get();
            }
            requireUnusedId(grant.id());
            Credit current = credits.get(grant.userId());
            if (current != null && !grant.fitsOn(current.balance())) {
                return new MoveOutcome.BalanceLimitExceeded(Usdc.MAX_BALANCE);
            }
            // compute, not get-then-put: a racing getOrCreate (which takes no lock) cannot slip in between.
            Credit credited = credits.compute(grant.userId(), (id, now) -> now == null
                    ? new Credit(id, grant.amount(), Usdc.ZERO, grant.at(), grant.at())
                    : new Credit(id, now.balance().plus(grant.amount()), now.held(), now.createdAt(), now.nextMoveTime(grant.at())));
            return new MoveOutcome.Applied(append(grant.idempotency(), grant.entry(credited.balance(), credited.updatedAt())));
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
            // Nothing else changes a balance while the lock is held, so this check stays true.
            Optional<Credit> current = find(deduction.userId());
            if (current.isEmpty() || !current.get().covers(deduction.amount())) {
                return new MoveOutcome.InsufficientBalance(current.map(Credit::available).orElse(Usdc.ZERO), deduction.amount());
            }
            requireUnusedId(deduction.id());
            Credit debited = credits.computeIfPresent(deduction.userId(), (id, now) -> new Credit(id,
                    now.balance().minus(deduction.amount()), now.held(), now.createdAt(), now.nextMoveTime(deduction.at())));
            return new MoveOutcome.Applied(append(deduction.idempotency(), deduction.entry(debited.balance(), debited.updatedAt())));
        }
    }

    @Override
    public MoveOutcome refund(Refund refund) {
        Objects.requireNonNull(refund, "refund");
        synchronized (ledgerLock) {
            // The key is checked before "not found", as the PostgreSQL adapter does.
            LedgerEntry deduction = byId.get(refund.deductionId());
            Optional<MoveOutcome> earlier = earlier(refund.idempotency());
            if (earlier.isPresent()) {
                return earlier.get();
            }
            if (deduction == null || deduction.type() != EntryType.DEDUCTION) {
                return new MoveOutcome.DeductionNotFound();
            }
            Usdc refunded = refundedByDeduction.getOrDefault(deduction.id(), Usdc.ZERO);
            Usdc refundable = deduction.amount().minus(refunded);
            Optional<Usdc> giving = refund.amountWithin(refundable);
            if (giving.isEmpty()) {
                return new MoveOutcome.RefundExceedsDeduction(refundable);
            }
            requireUnusedId(refund.id());
            Usdc refundedNow = giving.get();
            if (!credits.get(deduction.userId()).balance().canAdd(refundedNow)) {
                return new MoveOutcome.BalanceLimitExceeded(Usdc.MAX_BALANCE);
            }
            Credit credited = credits.computeIfPresent(deduction.userId(), (id, now) -> new Credit(id,
                    now.balance().plus(refundedNow), now.held(), now.createdAt(), now.nextMoveTime(refund.at())));
            refundedByDeduction.put(deduction.id(), refunded.plus(refundedNow));
            return new MoveOutcome.Applied(append(refund.idempotency(),
                    refund.entry(deduction.userId(), refundedNow, credited.balance(), credited.updatedAt())));
        }
    }

    @Override
    public HistoryPage history(UserId userId, Optional<HistoryCursor> after, int limit) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(after, "after");
        HistoryPage.requireLimit(limit);
        long before = after.map(HistoryCursor::position).orElse(Long.MAX_VALUE);
        synchronized (ledgerLock) {
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

    /**
     * Until holds are an operation of the port, tests set the held part of a balance directly.
     *
     * @throws IllegalStateException when the user has no credit or holds more than the balance
     */
    void setHeld(UserId userId, Usdc held) {
        synchronized (ledgerLock) {
            Credit current = credits.get(userId);
            if (current == null) {
                throw new IllegalStateException("no credit for " + userId);
            }
            credits.put(userId, new Credit(userId, current.balance(), held, current.createdAt(), current.updatedAt()));
        }
    }

    // Guarded by ledgerLock.
    private Optional<MoveOutcome> earlier(Idempotency idempotency) {
        StoredMove stored = byIdempotency.get(MoveIdentity.of(idempotency));
        return Optional.ofNullable(stored).map(earlier -> idempotency.againstEarlier(earlier.entry(), earlier.fingerprint()));
    }

    // Guarded by ledgerLock. Entry ids are the ledger's primary key, as in the database.
    private void requireUnusedId(EntryId id) {
        if (byId.containsKey(id)) {
            throw new IllegalStateException("the ledger already has an entry with this id");
        }
    }

    // Guarded by ledgerLock.
    private LedgerEntry append(Idempotency idempotency, LedgerEntry entry) {
        lastPosition++;
        byIdempotency.put(MoveIdentity.of(idempotency), new StoredMove(entry, idempotency.fingerprint()));
        byId.put(entry.id(), entry);
        byUser.computeIfAbsent(entry.userId(), id -> new ArrayList<>()).add(new Positioned(lastPosition, entry));
        return entry;
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
}
