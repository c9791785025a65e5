package credits.adapters.http.support;

import credits.adapters.persistence.memory.InMemoryCreditsAdapter;
import credits.domain.Credit;
import credits.domain.CreditsPort;
import credits.domain.UserId;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The in-memory adapter plus accounts with balances set up front (the real adapter only opens accounts at zero). */
public final class SeededCredits implements CreditsPort {

    private final Map<UserId, Credit> seeded = new ConcurrentHashMap<>();
    private final InMemoryCreditsAdapter others = new InMemoryCreditsAdapter();

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
}
