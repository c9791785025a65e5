package credits.domain;

/** What became of a money move. Only {@link Applied} moved money. */
public sealed interface MoveOutcome {

    /** The move was applied now. */
    record Applied(LedgerEntry entry) implements MoveOutcome {
    }

    /** The same request was applied before under this key; this is its entry, and nothing moved now. */
    record Replayed(LedgerEntry entry) implements MoveOutcome {
    }

    /** The key was used before for a different request. Nothing moved. */
    record KeyReused() implements MoveOutcome {
    }

    /** The available balance is smaller than the amount. Nothing moved. */
    record InsufficientBalance(Usdc available, Usdc requested) implements MoveOutcome {
    }

    /** No deduction has that id. Nothing moved. */
    record DeductionNotFound() implements MoveOutcome {
    }

    /** The refunds of the deduction would exceed it; {@code refundable} is what is left. Nothing moved. */
    record RefundExceedsDeduction(Usdc refundable) implements MoveOutcome {
    }

    /** The top-up's payment was credited before, under another key. Nothing moved. */
    record PaymentAlreadyCredited() implements MoveOutcome {
    }

    /** The balance would pass {@link Usdc#MAX_BALANCE}, the largest the ledger can store. Nothing moved. */
    record BalanceLimitExceeded(Usdc largestBalance) implements MoveOutcome {
    }

    /** No hold has that id (of any shape). Nothing moved. */
    record HoldNotFound() implements MoveOutcome {
    }

    /** The hold was captured, released or has expired; {@code status} says which. Nothing moved. */
    record HoldNotActive(HoldStatus status) implements MoveOutcome {
    }

    /** The capture asks more than the hold reserves ({@code held}). Nothing moved. */
    record CaptureExceedsHold(Usdc held) implements MoveOutcome {
    }

    /** The user has {@code limit} active holds already. Nothing moved. */
    record HoldLimitReached(int limit) implements MoveOutcome {
    }
}
