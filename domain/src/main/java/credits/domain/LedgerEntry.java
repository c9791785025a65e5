package credits.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One append-only line of a user's ledger. {@code balanceAfter} is the user's balance right after
 * this entry; the signed amounts of a user's entries always sum to the balance.
 *
 * <p>Which of the optional parts an entry has depends on its type (api.md, "Ledger entry types"): a
 * grant or top-up is a lot ({@code grantId} is its own id, {@code lot} its terms, a top-up adds its
 * {@code deposit}); a deduction and a refund list the lots they drew from or gave back to; an
 * expiry names the lot that expired. A hold and its release name the hold ({@code holdId}; a hold is
 * its own id) and the lots it reserved or gave back; a capture is a deduction that names its hold.
 */
public record LedgerEntry(
        EntryId id,
        UserId userId,
        EntryType type,
        Usdc amount,
        Usdc balanceAfter,
        Optional<String> reference,
        Optional<String> reason,
        Optional<EntryId> deductionId,
        Optional<EntryId> grantId,
        List<Draw> drawnFrom,
        Optional<LotTerms> lot,
        Optional<Deposit> deposit,
        Instant createdAt,
        Optional<EntryId> holdId,
        Optional<String> hash) {

    /** An entry of a hold (or of none), before the chain gave it its hash ({@link #chained}). */
    public LedgerEntry(EntryId id, UserId userId, EntryType type, Usdc amount, Usdc balanceAfter, Optional<String> reference,
                       Optional<String> reason, Optional<EntryId> deductionId, Optional<EntryId> grantId, List<Draw> drawnFrom,
                       Optional<LotTerms> lot, Optional<Deposit> deposit, Instant createdAt, Optional<EntryId> holdId) {
        this(id, userId, type, amount, balanceAfter, reference, reason, deductionId, grantId, drawnFrom, lot, deposit, createdAt,
                holdId, Optional.empty());
    }

    /** An entry that belongs to no hold. */
    public LedgerEntry(EntryId id, UserId userId, EntryType type, Usdc amount, Usdc balanceAfter, Optional<String> reference,
                       Optional<String> reason, Optional<EntryId> deductionId, Optional<EntryId> grantId, List<Draw> drawnFrom,
                       Optional<LotTerms> lot, Optional<Deposit> deposit, Instant createdAt) {
        this(id, userId, type, amount, balanceAfter, reference, reason, deductionId, grantId, drawnFrom, lot, deposit, createdAt,
                Optional.empty());
    }

    public LedgerEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(balanceAfter, "balanceAfter");
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(deductionId, "deductionId");
        Objects.requireNonNull(grantId, "grantId");
        drawnFrom = List.copyOf(drawnFrom);
        Objects.requireNonNull(lot, "lot");
        Objects.requireNonNull(deposit, "deposit");
        Objects.requireNonNull(createdAt, "createdAt");
        if (amount.isZero()) {
            throw new IllegalStateException("a ledger entry moves a positive amount");
        }
        if (type.opensLot() != lot.isPresent() || (type == EntryType.TOPUP) != deposit.isPresent()) {
            throw new IllegalStateException("a grant or top-up carries its lot's terms, a top-up its deposit, nothing else does");
        }
        if (!drawnFrom.isEmpty() && !Draw.total(drawnFrom).equals(amount)) {
            throw new IllegalStateException("what an entry drew from sums to its amount");
        }
        Objects.requireNonNull(holdId, "holdId");
        boolean namesItsHold = switch (type) {
            case HOLD -> holdId.equals(Optional.of(id)) && !drawnFrom.isEmpty();
            case HOLD_RELEASE -> holdId.isPresent() && !drawnFrom.isEmpty();
            case DEDUCTION -> true;
            default -> holdId.isEmpty();
        };
        Objects.requireNonNull(hash, "hash");
        hash.ifPresent(LedgerHash::requireHash);
        if (!namesItsHold) {
            throw new IllegalStateException("a hold, its release and its capture name the hold (a hold is its own id), nothing else does");
        }
    }

    /** A top-up's payment: unique across the platform, so one payment is credited once. */
    public record Deposit(String paymentReference, Optional<String> memo) {

        public Deposit {
            LedgerText.paymentReference(paymentReference);
            Objects.requireNonNull(memo, "memo");
            memo.ifPresent(LedgerText::memo);
        }
    }

    /** The entry a grant or top-up writes; it is the lot {@code id}. */
    static LedgerEntry lotOpening(EntryId id, UserId userId, EntryType type, Usdc amount, Usdc balanceAfter,
                                  Optional<String> reason, LotTerms terms, Optional<Deposit> deposit, Instant at) {
        return new LedgerEntry(id, userId, type, amount, balanceAfter, Optional.empty(), reason, Optional.empty(),
                Optional.of(id), List.of(), Optional.of(terms), deposit, at);
    }

    /** What was left of {@code lot} leaving the balance at {@code at}. */
    static LedgerEntry expiry(EntryId id, Lot lot, Usdc amount, Usdc balanceAfter, Instant at) {
        return new LedgerEntry(id, lot.userId(), EntryType.EXPIRY, amount, balanceAfter, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of(lot.id()), List.of(), Optional.empty(), Optional.empty(), at);
    }

    /** This entry with its place in the user's hash chain: it follows the entry whose hash is {@code previous}. */
    public LedgerEntry chained(String previous) {
        return new LedgerEntry(id, userId, type, amount, balanceAfter, reference, reason, deductionId, grantId, drawnFrom, lot, deposit,
                createdAt, holdId, Optional.of(LedgerHash.of(previous, this)));
    }

    /** The {@code hold} entry of a new hold: the balance stays, what is held grows. */
    static LedgerEntry hold(Hold hold, Usdc balance) {
        return new LedgerEntry(hold.id(), hold.userId(), EntryType.HOLD, hold.amount(), balance, hold.reference(), Optional.empty(),
                Optional.empty(), Optional.empty(), hold.reserved(), Optional.empty(), Optional.empty(), hold.createdAt(),
                Optional.of(hold.id()));
    }

    /** What a hold's release or expiry ({@code reason}) gave back to its lots; the balance stays. */
    static LedgerEntry holdRelease(EntryId id, Hold hold, String reason, Usdc balance, Instant at) {
        return new LedgerEntry(id, hold.userId(), EntryType.HOLD_RELEASE, hold.amount(), balance, Optional.empty(),
                Optional.of(reason), Optional.empty(), Optional.empty(), hold.reserved(), Optional.empty(), Optional.empty(), at,
                Optional.of(hold.id()));
    }

    /** The entry's effect on the balance in units: positive for grants and refunds, negative for deductions. */
    public long signedUnits() {
        return type.sign() * amount.units();
    }
}
