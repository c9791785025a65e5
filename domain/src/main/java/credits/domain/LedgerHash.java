package credits.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * The per-user hash chain (api.md, "Tamper evidence"): each entry's {@code hash} is the lowercase hex
 * SHA-256 of {@code prev_hash|id|type|user_id|amount_usdc|balance_after_usdc|created_at|reference|
 * reason|deduction_id|hold_id|grant_id|drawn_from} in UTF-8, every part exactly as the API shows it,
 * absent parts empty, {@code drawn_from} as {@code grant_id:amount_usdc} items joined by commas, and
 * {@code prev_hash} the user's previous entry's hash ({@link #GENESIS} for the first). Changing any
 * entry, or removing or reordering one, changes every later hash of that user.
 */
public final class LedgerHash {

    /** The {@code prev_hash} of a user's first entry. */
    public static final String GENESIS = "0".repeat(64);

    private LedgerHash() {
    }

    /** The hash of {@code entry} following an entry whose hash is {@code previous}. */
    public static String of(String previous, LedgerEntry entry) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        return HexFormat.of().formatHex(sha256.digest(text(previous, entry).getBytes(StandardCharsets.UTF_8)));
    }

    /** The text hashed: what a client recomputes from an entry as the API shows it. */
    public static String text(String previous, LedgerEntry entry) {
        requireHash(previous);
        StringJoiner drawn = new StringJoiner(",");
        for (Draw draw : entry.drawnFrom()) {
            drawn.add(draw.lotId() + ":" + ApiText.usdc(draw.amount()));
        }
        return String.join("|", List.of(
                previous,
                entry.id().toString(),
                entry.type().code(),
                entry.userId().value(),
                ApiText.usdc(entry.amount()),
                ApiText.usdc(entry.balanceAfter()),
                ApiText.instant(entry.createdAt()),
                entry.reference().orElse(""),
                entry.reason().orElse(""),
                text(entry.deductionId()),
                text(entry.holdId()),
                text(entry.grantId()),
                drawn.toString()));
    }

    /** @throws IllegalArgumentException unless {@code hash} is 64 lowercase hex digits */
    public static String requireHash(String hash) {
        if (hash == null || hash.length() != 64 || !hash.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw new IllegalArgumentException("a hash is 64 lowercase hex digits");
        }
        return hash;
    }

    private static String text(Optional<EntryId> id) {
        return id.map(EntryId::toString).orElse("");
    }
}
