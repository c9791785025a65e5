package credits.adapters.http;

import credits.domain.HistoryCursor;
import credits.domain.InvalidValueException;
import credits.domain.UserId;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

/**
 * The opaque {@code next_cursor}: base64url (no padding) of a version byte, a random 12-byte nonce and the
 * history position sealed with AES-256-GCM under the server key. The position is encrypted because it is a
 * global sequence number (it would show how much the whole platform writes); the user id is bound in as
 * associated data, so a cursor only opens the history it came from. Anything that does not authenticate —
 * forged, altered, truncated, another user's, another key's, or the old readable {@code v1:} format — is a
 * client error, never a server one.
 */
final class HistoryCursors {

    /** Version 1 was the readable {@code "v1:<position>"}; this byte leaves room for the next format. */
    private static final byte VERSION = 2;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int POSITION_BYTES = Long.BYTES;
    private static final int SEALED_BYTES = 1 + NONCE_BYTES + POSITION_BYTES + TAG_BITS / 8;
    // 37 bytes are 50 characters in unpadded base64url; only that length can be a cursor.
    private static final int TEXT_LENGTH = (SEALED_BYTES * 8 + 5) / 6;
    // Labels the associated data, so a ciphertext made with this key for another purpose never opens here.
    private static final byte[] PURPOSE = "credits.history-cursor\0".getBytes(StandardCharsets.US_ASCII);
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final String MESSAGE = "must be a next_cursor returned by a previous page of this history";

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    HistoryCursors(HistoryCursorKey key) {
        this.key = new SecretKeySpec(Objects.requireNonNull(key, "key").bytes(), "AES");
    }

    /** The cursor for the page after {@code cursor} in {@code owner}'s history; a fresh nonce each time. */
    String encode(UserId owner, HistoryCursor cursor) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] position = ByteBuffer.allocate(POSITION_BYTES).putLong(cursor.position()).array();
        byte[] sealed = ByteBuffer.allocate(SEALED_BYTES).put(VERSION).put(nonce)
                .put(crypt(Cipher.ENCRYPT_MODE, owner, nonce, position)).array();
        return ENCODER.encodeToString(sealed);
    }

    /** @throws InvalidValueException when the text is not a cursor {@link #encode} made for {@code owner} with this key */
    HistoryCursor decode(UserId owner, String text) {
        if (text.length() != TEXT_LENGTH) {
            throw new InvalidValueException(MESSAGE);
        }
        byte[] bytes;
        try {
            bytes = DECODER.decode(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidValueException(MESSAGE);
        }
        // Only the canonical spelling (the last character's spare bits zero), so no two texts are one cursor.
        if (bytes.length != SEALED_BYTES || bytes[0] != VERSION || !ENCODER.encodeToString(bytes).equals(text)) {
            throw new InvalidValueException(MESSAGE);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
        byte[] nonce = new byte[NONCE_BYTES];
        in.get(nonce);
        byte[] ciphertext = new byte[in.remaining()];
        in.get(ciphertext);
        long position = ByteBuffer.wrap(crypt(Cipher.DECRYPT_MODE, owner, nonce, ciphertext)).getLong();
        if (position < 0) {
            // Only reachable with the key itself; refused all the same rather than trusted.
            throw new InvalidValueException(MESSAGE);
        }
        return new HistoryCursor(position);
    }

    private byte[] crypt(int mode, UserId owner, byte[] nonce, byte[] input) {
        try {
            // Cipher objects are not thread-safe; one per call is cheap next to a database read.
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(PURPOSE);
            cipher.updateAAD(owner.value().getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(input);
        } catch (AEADBadTagException e) {
            throw new InvalidValueException(MESSAGE);
        } catch (GeneralSecurityException e) {
            // AES-GCM is in every JDK; failing here is a broken runtime, not a client's doing.
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }
}
