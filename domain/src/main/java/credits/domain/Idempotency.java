package credits.domain;

import java.util.Objects;

/**
 * The identity of a money move for retries: one effect per (caller, operation, key). The
 * fingerprint is a digest of the request's meaning (not its bytes), so a retry of the same request
 * replays and the same key on a different request is refused.
 */
public record Idempotency(UserId caller, EntryType operation, IdempotencyKey key, String fingerprint) {

    public Idempotency {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(fingerprint, "fingerprint");
        if (!fingerprint.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("a fingerprint is a SHA-256 digest in 64 lower-case hex digits");
        }
    }
}
