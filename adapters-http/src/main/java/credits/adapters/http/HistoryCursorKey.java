package credits.adapters.http;

import java.security.SecureRandom;
import java.util.Objects;

/**
 * The server key that seals history cursors (AES-256). Every instance serving one database must hold the
 * same key, or a cursor issued by one is refused by the next; bootstrap decides where it comes from
 * (configured, or kept in the database), so this adapter knows nothing of storage.
 */
public final class HistoryCursorKey {

    /** AES-256. */
    public static final int LENGTH_BYTES = 32;

    private final byte[] bytes;

    private HistoryCursorKey(byte[] bytes) {
        this.bytes = bytes;
    }

    /** @throws IllegalArgumentException when {@code bytes} is not exactly {@value #LENGTH_BYTES} bytes (the message never shows them) */
    public static HistoryCursorKey of(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length != LENGTH_BYTES) {
            throw new IllegalArgumentException("a history cursor key must be " + LENGTH_BYTES + " bytes, not " + bytes.length);
        }
        return new HistoryCursorKey(bytes.clone());
    }

    /** A fresh key: cursors it seals are valid only while this key is used, i.e. for one process. */
    public static HistoryCursorKey random() {
        byte[] bytes = new byte[LENGTH_BYTES];
        new SecureRandom().nextBytes(bytes);
        return new HistoryCursorKey(bytes);
    }

    byte[] bytes() {
        return bytes.clone();
    }

    /** Never the key itself. */
    @Override
    public String toString() {
        return "HistoryCursorKey[***]";
    }
}
