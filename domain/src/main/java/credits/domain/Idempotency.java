package credits.domain;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The identity of a money move for retries: one effect per (caller, operation, key). The
 * fingerprint is a digest of the request's meaning (not its bytes), so a retry of the same request
 * replays and the same key on a different request is refused.
 */
public record Idempotency(UserId caller, EntryType operation, IdempotencyKey key, String fingerprint) {

    // Compiled once: String.matches would compile it on every money move.
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    public Idempotency {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(fingerprint, "fingerprint");
        if (!SHA256_HEX.matcher(fingerprint).matches()) {
            throw new IllegalArgumentException("a fingerprint is a SHA-256 digest in 64 lower-case hex digits");
        }
    }
}
