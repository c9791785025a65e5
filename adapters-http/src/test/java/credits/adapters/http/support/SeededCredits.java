package credits.adapters.http.support;

import credits.adapters.persistence.memory.InMemoryCreditsAdapter;
import credits.domain.Credit;
import credits.domain.CreditsPort;
import credits.domain.Deduction;
import credits.domain.Grant;
import credits.domain.HistoryCursor;
import credits.domain.HistoryPage;
import credits.domain.MoveOutcome;
import credits.domain.Refund;
import credits.domain.UserId;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-memory adapter plus accounts with balances set up front (the real adapter only opens accounts
 * at zero). Seeded accounts are for reading balances: money moves go to the plain adapter, which knows
 * nothing of them.
 */
public final class SeededCredits implements CreditsPort {

    private final Map<UserId, Credit> seeded = new ConcurrentHashMap<>();
    private final CreditsPort others = new InMemoryCreditsAdapter();

    public SeededCredits with(Credit credit) {
        seeded.put(credit.userId(), credit);
        return this;
    }

    @Override
    public Credit getOrCreate(UserId userId, Instant now) {
        Credit credit = seeded.get(userId);
        return credit != null ? credit : others.getOrCreate(userId, now);
    }

    @Override
    public Optional<Credit> find(UserId userId) {
        return Optional.ofNullable(seeded.get(userId)).or(() -> others.find(userId));
    }

    @Override
    public MoveOutcome grant(Grant grant) {
        return others.grant(grant);
    }

    @Override
    public MoveOutcome deduct(Deduction deduction) {
        return others.deduct(deduction);
    }

    @Override
    public MoveOutcome refund(Refund refund) {
        return others.refund(refund);
    }

    @Override
    public HistoryPage history(UserId userId, Optional<HistoryCursor> after, int limit) {
        return others.history(userId, after, limit);
    }
}
