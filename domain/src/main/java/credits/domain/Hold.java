package credits.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Money reserved for a call whose price is not known yet: {@code amount} taken from the lots in
 * {@code reserved} (burn-down order at the time of the hold), until it is captured (all or part
 * of it becomes a deduction), released, or expires at {@code expiresAt}. Its id is its {@code hold}
 * entry's id. A hold ends once: {@code status} leaves {@code ACTIVE} with {@code resolvedAt} set,
 * and a capture records what it took and its deduction.
 */
public record Hold(EntryId id, UserId userId, Usdc amount, Optional<String> reference, List<Draw> reserved,
                   Instant expiresAt, Instant createdAt, HoldStatus status, Optional<Usdc> captured,
                   Optional<Instant> resolvedAt, Optional<EntryId> deductionId) {

    public Hold {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(reference, "reference");
        reserved = List.copyOf(reserved);
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(captured, "captured");
        Objects.requireNonNull(resolvedAt, "resolvedAt");
        Objects.requireNonNull(deductionId, "deductionId");
        if (amount.isZero() || !Draw.total(reserved).equals(amount)) {
            throw new IllegalStateException("a hold reserves a positive amount, all of it from lots");
        }
        if ((status == HoldStatus.ACTIVE) == resolvedAt.isPresent()
                || (status == HoldStatus.CAPTURED) != captured.isPresent() || captured.isPresent() != deductionId.isPresent()
                || captured.filter(taken -> taken.isZero() || amount.isLessThan(taken)).isPresent()) {
            throw new IllegalStateException("a hold is active until it is resolved; only a capture took part of it, at most all");
        }
    }

    /** A new, active hold. */
    public static Hold placed(EntryId id, UserId userId, Usdc amount, Optional<String> reference, List<Draw> reserved,
                              Instant expiresAt, Instant createdAt) {
        return new Hold(id, userId, amount, reference, reserved, expiresAt, createdAt, HoldStatus.ACTIVE, Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    /** Whether it still reserves its amount at {@code now}: active and not yet at its expiry. */
    public boolean isActiveAt(Instant now) {
        return status == HoldStatus.ACTIVE && now.isBefore(expiresAt);
    }

    /** Whether its expiry is owed: still stored as active at or after the instant it expires. */
    public boolean isDueAt(Instant now) {
        return status == HoldStatus.ACTIVE && !now.isBefore(expiresAt);
    }

    /** The hold as a read at {@code now} shows it: an owed expiry counts as written. */
    public Hold asOf(Instant now) {
        return isDueAt(now) ? ended(HoldStatus.EXPIRED, expiresAt) : this;
    }

    /** The hold as it was when placed (what a replay of its creation shows). */
    public Hold asPlaced() {
        return placed(id, userId, amount, reference, reserved, expiresAt, createdAt);
    }

    Hold ended(HoldStatus how, Instant at) {
        return new Hold(id, userId, amount, reference, reserved, expiresAt, createdAt, how, Optional.empty(), Optional.of(at),
                Optional.empty());
    }

    Hold capturedBy(LedgerEntry deduction) {
        return new Hold(id, userId, amount, reference, reserved, expiresAt, createdAt, HoldStatus.CAPTURED,
                Optional.of(deduction.amount()), Optional.of(deduction.createdAt()), Optional.of(deduction.id()));
    }
}
