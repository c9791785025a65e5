package credits.domain;

import java.time.Instant;
import java.util.Optional;

/**
 * What the core needs from storage. Every money move is atomic: its ledger entry and its balance
 * change are written together or not at all, and at most once per idempotency identity, whatever
 * the concurrency. Every adapter passes the same contract suite ({@code CreditsPortContract}).
 */
public interface CreditsPort {

    /**
     * The user's credit, opened at zero with {@code now} as its times when absent. Atomic:
     * however many callers race for a new user, exactly one credit exists afterwards and every
     * caller gets that one.
     */
    Credit getOrCreate(UserId userId, Instant now);

    /** The user's credit if it exists; never opens one. */
    Optional<Credit> find(UserId userId);

    /**
     * Adds the amount to the user's balance, opening the user's credit if needed.
     *
     * @return {@code Applied}, {@code Replayed} (same key and fingerprint seen before), {@code KeyReused} or
     *         {@code BalanceLimitExceeded}
     */
    MoveOutcome grant(Grant grant);

    /**
     * Takes the amount from the user's balance when the available balance covers it.
     *
     * @return {@code Applied}, {@code Replayed}, {@code KeyReused} or {@code InsufficientBalance}
     *         (also for a user without a credit: nothing is available)
     */
    MoveOutcome deduct(Deduction deduction);

    /**
     * Gives back (part of) a deduction to the user it was taken from; all refunds of one deduction
     * never exceed it.
     *
     * @return {@code Applied}, {@code Replayed}, {@code KeyReused}, {@code DeductionNotFound},
     *         {@code RefundExceedsDeduction} or {@code BalanceLimitExceeded}
     */
    MoveOutcome refund(Refund refund);

    /** The user's ledger, newest first, strictly after {@code after} when given; at most {@code limit} entries. */
    HistoryPage history(UserId userId, Optional<HistoryCursor> after, int limit);
}
