package credits.domain;

import java.time.Instant;
import java.util.Optional;

/**
 * What the core needs from storage. Every adapter passes the same contract suite
 * ({@code CreditsPortContract}), concurrency included.
 */
public interface CreditsPort {

    /**
     * The user's account, created at zero with {@code now} as its times when absent. Atomic:
     * however many callers race for a new user, exactly one account exists afterwards and every
     * caller gets that one.
     */
    Credit getOrCreate(UserId userId, Instant now);

    /** The user's account if it exists; never creates one. */
    Optional<Credit> find(UserId userId);
}
