package credits.adapters.persistence.memory;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import credits.domain.Credit;
import credits.domain.CreditsPort;
import credits.domain.UserId;

/**
 * {@link CreditsPort} in a map, for {@code CREDITS_STORE=memory} and as the fake in use-case tests.
 * Nothing survives a restart.
 */
public final class InMemoryCreditsAdapter implements CreditsPort {

    private final ConcurrentMap<UserId, Credit> accounts = new ConcurrentHashMap<>();

    public InMemoryCreditsAdapter() {
    }

    @Override
    public Credit getOrCreate(UserId userId, Instant now) {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(now, "now");
        // computeIfAbsent runs the factory at most once per key, so racing first calls all get the
        // one account the winner created.
        return accounts.computeIfAbsent(userId, id -> Credit.opened(id, now));
    }

    @Override
    public Optional<Credit> find(UserId userId) {
        Objects.requireNonNull(userId, "userId");
        return Optional.ofNullable(accounts.get(userId));
    }
}
