package credits.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Charging what a held call really cost: {@code amount} (the whole hold when absent) of hold
 * {@code holdId} becomes a deduction with id {@code id}; the rest is freed at once.
 */
public record Capture(EntryId id, EntryId holdId, Optional<Usdc> amount, Optional<String> reference, Idempotency idempotency,
                      Instant at) {

    public Capture {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(holdId, "holdId");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(idempotency, "idempotency");
        Objects.requireNonNull(at, "at");
        if (amount.filter(Usdc::isZero).isPresent()) {
            throw new InvalidValueException("must be greater than 0");
        }
        reference.ifPresent(LedgerText::reference);
        idempotency.requireOperation(Operation.CAPTURE);
    }

    /**
     * The capture's {@code deduction}: what it {@code took} from {@code hold}'s lots, named by the
     * hold, with the capture's reference or else the hold's.
     */
    public LedgerEntry entry(Hold hold, List<Draw> took, Usdc balanceAfter, Instant happenedAt) {
        return new LedgerEntry(id, hold.userId(), EntryType.DEDUCTION, Draw.total(took), balanceAfter,
                reference.or(hold::reference), Optional.empty(), Optional.empty(), Optional.empty(), took, Optional.empty(),
                Optional.empty(), happenedAt, Optional.of(hold.id()));
    }
}
