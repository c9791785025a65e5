package credits.application.port.in;

import credits.domain.EntryId;
import credits.domain.IdempotencyKey;
import credits.domain.LedgerText;
import credits.domain.MoveOutcome;
import credits.domain.UserId;
import credits.domain.Usdc;

import java.util.Objects;
import java.util.Optional;

/** Support gives back a bad charge: all of a deduction, or part of it. */
public interface RefundDeduction {

    MoveOutcome refund(Command command);

    /** Without an {@code amount}, whatever of the deduction is not yet refunded. */
    record Command(UserId caller, IdempotencyKey key, EntryId deductionId, Optional<Usdc> amount, String reason) {

        public Command {
            Objects.requireNonNull(caller, "caller");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(deductionId, "deductionId");
            Objects.requireNonNull(amount, "amount");
            LedgerText.reason(reason);
        }
    }
}
