package credits.domain;

import java.util.Objects;

/**
 * The identity of a money move for retries: one effect per (caller, operation, key). The
 * fingerprint is a digest of the request's meaning (not its bytes), so a retry of the same request
 * replays and the same key on a different request is refused.
 */
public record Idempotency(UserId caller, Operation operation, IdempotencyKey key, String fingerprint) {

    public Idempotency {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(fingerprint, "fingerprint");
        if (!isSha256Hex(fingerprint)) {
            throw new IllegalArgumentException("a fingerprint is a SHA-256 digest in 64 lower-case hex digits");
        }
    }

    /**
     * What a request under this identity is, given the entry and fingerprint an earlier request
     * with the same identity left: its replay when it asked the same, otherwise a reused key.
     */
    public MoveOutcome againstEarlier(LedgerEntry earlier, String earlierFingerprint) {
        Objects.requireNonNull(earlier, "earlier");
        return fingerprint.equals(earlierFingerprint) ? new MoveOutcome.Replayed(earlier) : new MoveOutcome.KeyReused();
    }

    /** @throws IllegalArgumentException when this identity is not for {@code expected} (a move built wrongly) */
    void requireOperation(Operation expected) {
        if (operation != expected) {
            throw new IllegalArgumentException("a " + expected.code() + " needs a " + expected.code()
                    + " idempotency identity, not a " + operation.code() + " one");
        }
    }

    // A plain loop: this runs on every money move, and a regex showed in the deduction profile.
    private static boolean isSha256Hex(String text) {
        if (text.length() != 64) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }
}
