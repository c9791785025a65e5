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
    Balance getOrCreate(UserId userId, Instant now);

    /** The user's balance at {@code now} if the user has a credit; never opens one. */
    Optional<Balance> find(UserId userId, Instant now);

    /**
     * Adds the amount to the user's balance as a new lot, opening the user's credit if needed.
     *
     * @return {@code Applied}, {@code Replayed} (same key and fingerprint seen before), {@code KeyReused} or
     *         {@code BalanceLimitExceeded}
     */
    MoveOutcome grant(Grant grant);

    /**
     * Adds a deposit as a paid lot, opening the user's credit if needed; one payment reference is
     * credited once across all users and keys.
     *
     * @return as for {@link #grant}, or {@code PaymentAlreadyCredited} (checked after the key)
     */
    MoveOutcome topup(Topup topup);

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

    /**
     * The user's ledger, newest first, strictly after {@code after} when given; at most {@code limit}
     * entries. Expiries owed at {@code now} are written before the page is read.
     */
    HistoryPage history(UserId userId, Optional<HistoryCursor> after, int limit, Instant now);

    /**
     * Reserves the amount from the user's available balance (the lots in burn-down order) until
     * the hold is captured, released or expires.
     *
     * @return {@code Applied} (the {@code hold} entry), {@code Replayed}, {@code KeyReused},
     *         {@code HoldLimitReached} or {@code InsufficientBalance}, checked in that order
     */
    MoveOutcome placeHold(HoldRequest request);

    /**
     * Charges (part of) an active hold from the lots it reserved and frees the rest.
     *
     * @return {@code Applied} (the {@code deduction} entry), {@code HoldNotFound}, {@code Replayed},
     *         {@code KeyReused}, {@code HoldNotActive} or {@code CaptureExceedsHold}, checked in that order
     */
    MoveOutcome capture(Capture capture);

    /**
     * Gives an active hold's amount back.
     *
     * @return {@code Applied} (the {@code hold_release} entry), {@code HoldNotFound}, {@code Replayed},
     *         {@code KeyReused} or {@code HoldNotActive}, checked in that order
     */
    MoveOutcome release(Release release);

    /** The hold as a read at {@code now} shows it (one whose expiry is owed shows as expired). */
    Optional<Hold> hold(EntryId holdId, Instant now);

    /** The user's holds newest first, of {@code status} when given, as a read at {@code now} shows them. */
    HoldPage holds(UserId userId, Optional<HoldStatus> status, Optional<HistoryCursor> after, int limit, Instant now);

    /** The user's lots in burn-down order as they are at {@code now} (empty for a user without a credit). */
    LotPage lots(UserId userId, LotPage.Query query, Instant now);

    /**
     * Writes the expiries owed at {@code now} (of lots and of holds) for at most {@code maxUsers} users (fewer when some
     * have several owed lots), skipping users
     * another move or instance is working on (their own move writes them). Safe to run on every
     * instance at once: no expiry is ever written twice.
     *
     * @return how many users had expiries written
     */
    int settleExpiries(Instant now, int maxUsers);

    /**
     * The low-balance threshold that applies to the user: the user's own, else the configured
     * default (the adapter's); empty when neither is set. Never opens a credit.
     */
    Optional<Usdc> lowBalanceThreshold(UserId userId);

    /**
     * Sets the user's own low-balance threshold ({@code own} above zero), or removes it when empty
     * (the default applies again), opening the user's credit at zero with {@code now} when missing.
     * Fires nothing: crossings are judged from the next move on, and a {@code balance.low} sent
     * before is forgotten (no {@code balance.recovered} answers it).
     *
     * @return the threshold that applies afterwards, as {@link #lowBalanceThreshold}
     */
    Optional<Usdc> setLowBalanceThreshold(UserId userId, Optional<Usdc> own, Instant now);
}
