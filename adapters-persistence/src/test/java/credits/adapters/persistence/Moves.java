package credits.adapters.persistence;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

import credits.domain.Operation;
import credits.domain.Deduction;
import credits.domain.EntryId;
import credits.domain.EntryType;
import credits.domain.Capture;
import credits.domain.Grant;
import credits.domain.HoldRequest;
import credits.domain.Idempotency;
import credits.domain.IdempotencyKey;
import credits.domain.LedgerEntry;
import credits.domain.LotTerms;
import credits.domain.Refund;
import credits.domain.Release;
import credits.domain.Topup;
import credits.domain.Usdc;
import credits.domain.UserId;

/**
 * Money moves as the use cases build them: a fresh entry id per attempt and a SHA-256 fingerprint
 * of what was asked, so a retry of the same request carries the same fingerprint.
 */
final class Moves {

    static final UserId ADMIN = UserId.of("admin_finance");
    static final UserId OTHER_ADMIN = UserId.of("admin_support");
    static final UserId METER = UserId.of("meter_gateway");

    private Moves() {
    }

    /** A key no other test has used (the PostgreSQL suite shares one database). */
    static IdempotencyKey freshKey() {
        return new IdempotencyKey("key-" + UUID.randomUUID());
    }

    static Grant grant(UserId caller, IdempotencyKey key, UserId user, Usdc amount, Optional<String> reason, Instant at) {
        String fingerprint = fingerprint("grant", user.value(), amount.units(), reason.orElse(null));
        return new Grant(newId(), user, amount, LotTerms.DEFAULT_GRANT, reason,
                new Idempotency(caller, Operation.GRANT, key, fingerprint), at);
    }

    /** A grant of a lot with {@code terms}. */
    static Grant grant(UserId caller, IdempotencyKey key, UserId user, Usdc amount, LotTerms terms, Instant at) {
        String fingerprint = fingerprint("grant", user.value(), amount.units(), terms);
        return new Grant(newId(), user, amount, terms, Optional.empty(),
                new Idempotency(caller, Operation.GRANT, key, fingerprint), at);
    }

    /** The service's default limit of active holds per user. */
    static final int HOLD_LIMIT = 1000;

    /** A hold for the default fifteen minutes. */
    static HoldRequest hold(UserId caller, IdempotencyKey key, UserId user, Usdc amount, Instant at) {
        return hold(caller, key, user, amount, HoldRequest.DEFAULT_EXPIRY, at);
    }

    static HoldRequest hold(UserId caller, IdempotencyKey key, UserId user, Usdc amount, Duration expiresIn, Instant at) {
        return hold(caller, key, user, amount, expiresIn, HOLD_LIMIT, at);
    }

    static HoldRequest hold(UserId caller, IdempotencyKey key, UserId user, Usdc amount, Duration expiresIn, int activeHoldLimit,
                            Instant at) {
        String fingerprint = fingerprint("hold", user.value(), amount.units(), expiresIn.toSeconds());
        return new HoldRequest(newId(), user, amount, Optional.empty(), expiresIn, activeHoldLimit,
                new Idempotency(caller, Operation.HOLD, key, fingerprint), at);
    }

    static Capture capture(UserId caller, IdempotencyKey key, EntryId hold, Optional<Usdc> amount, Instant at) {
        String fingerprint = fingerprint("capture", hold.toString(), amount.map(Usdc::units).orElse(null));
        return new Capture(newId(), hold, amount, Optional.empty(), new Idempotency(caller, Operation.CAPTURE, key, fingerprint), at);
    }

    static Release release(UserId caller, IdempotencyKey key, EntryId hold, Instant at) {
        String fingerprint = fingerprint("release", hold.toString());
        return new Release(newId(), hold, new Idempotency(caller, Operation.RELEASE, key, fingerprint), at);
    }

    static Topup topup(UserId caller, IdempotencyKey key, UserId user, Usdc amount, String paymentReference, Instant at) {
        String fingerprint = fingerprint("topup", user.value(), amount.units(), paymentReference);
        return new Topup(newId(), user, amount, new LedgerEntry.Deposit(paymentReference, Optional.empty()),
                new Idempotency(caller, Operation.TOPUP, key, fingerprint), at);
    }

    static Deduction deduction(UserId caller, IdempotencyKey key, UserId user, Usdc amount, Optional<String> reference,
                               Instant at) {
        String fingerprint = fingerprint("deduction", user.value(), amount.units(), reference.orElse(null));
        return new Deduction(newId(), user, amount, reference,
                new Idempotency(caller, Operation.DEDUCTION, key, fingerprint), at);
    }

    static Refund refund(UserId caller, IdempotencyKey key, EntryId deduction, Optional<Usdc> amount, String reason,
                         Instant at) {
        String fingerprint = fingerprint("refund", deduction.toString(), amount.map(Usdc::units).orElse(null), reason);
        return new Refund(newId(), deduction, amount, reason, new Idempotency(caller, Operation.REFUND, key, fingerprint), at);
    }

    static EntryId newId() {
        return new EntryId(UUID.randomUUID());
    }

    /** A digest of the parts, each length-prefixed so different requests never collide. */
    static String fingerprint(Object... parts) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (Object part : parts) {
            String text = part == null ? "" : part.toString();
            sha256.update(((part == null ? -1 : text.length()) + ":" + text).getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(sha256.digest());
    }
}
