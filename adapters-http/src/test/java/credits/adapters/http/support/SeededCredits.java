package credits.adapters.http.support;

import credits.adapters.persistence.memory.InMemoryCreditsAdapter;
import credits.domain.Balance;
import credits.domain.Capture;
import credits.domain.Credit;
import credits.domain.CreditsPort;
import credits.domain.Deduction;
import credits.domain.EntryId;
import credits.domain.Grant;
import credits.domain.HistoryCursor;
import credits.domain.HistoryPage;
import credits.domain.Hold;
import credits.domain.HoldPage;
import credits.domain.HoldRequest;
import credits.domain.HoldStatus;
import credits.domain.LotPage;
import credits.domain.MoveOutcome;
import credits.domain.Refund;
import credits.domain.Release;
import credits.domain.Topup;
import credits.domain.Usdc;
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

    private final Map<UserId, Balance> seeded = new ConcurrentHashMap<>();
    private final CreditsPort others = new InMemoryCreditsAdapter();

    /** An account whose whole balance is promotional and never expires. */
    public SeededCredits with(Credit credit) {
        return with(new Balance(credit.userId(), credit.balance(), credit.held(), Usdc.ZERO, credit.balance(), Optional.empty(),
                credit.createdAt(), credit.updatedAt()));
    }

    public SeededCredits with(Balance balance) {
        seeded.put(balance.userId(), balance);
        return this;
    }

    @Override
    public Balance getOrCreate(UserId userId, Instant now) {
        Balance balance = seeded.get(userId);
        return balance != null ? balance : others.getOrCreate(userId, now);
    }

    @Override
    public Optional<Balance> find(UserId userId, Instant now) {
        return Optional.ofNullable(seeded.get(userId)).or(() -> others.find(userId, now));
    }

    @Override
    public MoveOutcome grant(Grant grant) {
        return others.grant(grant);
    }

    @Override
    public MoveOutcome topup(Topup topup) {
        return others.topup(topup);
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
    public HistoryPage history(UserId userId, Optional<HistoryCursor> after, int limit, Instant now) {
        return others.history(userId, after, limit, now);
    }

    @Override
    public MoveOutcome placeHold(HoldRequest request) {
        return others.placeHold(request);
    }

    @Override
    public MoveOutcome capture(Capture capture) {
        return others.capture(capture);
    }

    @Override
    public MoveOutcome release(Release release) {
        return others.release(release);
    }

    @Override
    public Optional<Hold> hold(EntryId holdId, Instant now) {
        return others.hold(holdId, now);
    }

    @Override
    public HoldPage holds(UserId userId, Optional<HoldStatus> status, Optional<HistoryCursor> after, int limit, Instant now) {
        return others.holds(userId, status, after, limit, now);
    }

    @Override
    public LotPage lots(UserId userId, LotPage.Query query, Instant now) {
        return others.lots(userId, query, now);
    }

    @Override
    public int settleExpiries(Instant now, int maxUsers) {
        return others.settleExpiries(now, maxUsers);
    }

    @Override
    public Optional<credits.domain.Usdc> lowBalanceThreshold(UserId userId) {
        return others.lowBalanceThreshold(userId);
    }

    @Override
    public Optional<credits.domain.Usdc> setLowBalanceThreshold(UserId userId, Optional<credits.domain.Usdc> own, Instant now) {
        return others.setLowBalanceThreshold(userId, own, now);
    }
}
