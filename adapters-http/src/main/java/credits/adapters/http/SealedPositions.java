package credits.adapters.http;

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
 * An opaque cursor: base64url (no padding) of a version byte, a random 12-byte nonce and a position sealed
 * with AES-256-GCM under the server key. The position is encrypted because it is a global sequence number
 * (it would show how much the whole platform writes); the purpose and the user id are bound in as associated
 * data, so a cursor only opens the listing (history, lots) and the user it came from. Anything that does not
 * authenticate — forged, altered, truncated, another user's, another listing's, another key's — is a client
 * error, never a server one.
 */
final class SealedPositions {

    /** History's version 1 was the readable {@code "v1:<position>"}; this byte leaves room for the next format. */
    private static final byte VERSION = 2;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int POSITION_BYTES = Long.BYTES;
    private static final int SEALED_BYTES = 1 + NONCE_BYTES + POSITION_BYTES + TAG_BITS / 8;
    // 37 bytes are 50 characters in unpadded base64url; only that length can be a cursor.
    private static final int TEXT_LENGTH = (SEALED_BYTES * 8 + 5) / 6;
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecretKeySpec key;
    // Labels the associated data, so a ciphertext made with this key for another purpose never opens here.
    private final byte[] purpose;
    private final String refusal;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param purpose what the cursors page through, distinct for each listing
     * @param refusal the client-facing message when a text is not one of these cursors
     */
    SealedPositions(HistoryCursorKey key, String purpose, String refusal) {
        this.key = new SecretKeySpec(Objects.requireNonNull(key, "key").bytes(), "AES");
        // The terminator keeps purpose and user id apart in the associated data.
        this.purpose = (Objects.requireNonNull(purpose, "purpose") + "\0").getBytes(StandardCharsets.US_ASCII);
        this.refusal = Objects.requireNonNull(refusal, "refusal");
    }

    /** The text for position {@code value} in {@code owner}'s listing; a fresh nonce each time. */
    String seal(UserId owner, long value) {
        return seal(owner.value(), value);
    }

    /** As {@link #seal(UserId, long)}, for a listing owned by something other than a user (an endpoint's deliveries). */
    String seal(String owner, long value) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] position = ByteBuffer.allocate(POSITION_BYTES).putLong(value).array();
        byte[] sealed = ByteBuffer.allocate(SEALED_BYTES).put(VERSION).put(nonce)
                .put(crypt(Cipher.ENCRYPT_MODE, owner, nonce, position)).array();
        return ENCODER.encodeToString(sealed);
    }

    /** @throws InvalidValueException when the text is not one {@link #seal} made for {@code owner} with this key and purpose */
    long open(UserId owner, String text) {
        return open(owner.value(), text);
    }

    /** As {@link #open(UserId, String)}, for a listing owned by something other than a user. */
    long open(String owner, String text) {
        if (text.length() != TEXT_LENGTH) {
            throw new InvalidValueException(refusal);
        }
        byte[] bytes;
        try {
            bytes = DECODER.decode(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidValueException(refusal);
        }
        // Only the canonical spelling (the last character's spare bits zero), so no two texts are one cursor.
        if (bytes.length != SEALED_BYTES || bytes[0] != VERSION || !ENCODER.encodeToString(bytes).equals(text)) {
            throw new InvalidValueException(refusal);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
        byte[] nonce = new byte[NONCE_BYTES];
        in.get(nonce);
        byte[] ciphertext = new byte[in.remaining()];
        in.get(ciphertext);
        long position = ByteBuffer.wrap(crypt(Cipher.DECRYPT_MODE, owner, nonce, ciphertext)).getLong();
        if (position < 0) {
            // Only reachable with the key itself; refused all the same rather than trusted.
            throw new InvalidValueException(refusal);
        }
        return position;
    }

    private byte[] crypt(int mode, String owner, byte[] nonce, byte[] input) {
        try {
            // Cipher objects are not thread-safe; one per call is cheap next to a database read.
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(purpose);
            cipher.updateAAD(owner.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(input);
        } catch (AEADBadTagException e) {
            throw new InvalidValueException(refusal);
        } catch (GeneralSecurityException e) {
            // AES-GCM is in every JDK; failing here is a broken runtime, not a client's doing.
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }
}
