package credits.domain;

import java.time.Instant;

/** A move that adds money as a new lot: an admin's grant or a user's top-up. */
public sealed interface LotOpening permits Grant, Topup {

    /** The entry's id, which is also the lot's. */
    EntryId id();

    UserId userId();

    Usdc amount();

    LotTerms terms();

    Idempotency idempotency();

    Instant at();

    /** The ledger entry it writes, given the balance it leaves and when it happened ({@link Credit#nextMoveTime}). */
    LedgerEntry entry(Usdc balanceAfter, Instant happenedAt);
}
