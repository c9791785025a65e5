package credits.adapters.http.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 of a token's text, as four longs: compact, equal only for the same text, and no bearer token kept in the heap. */
record TokenDigest(long a, long b, long c, long d) {

    // Cloned per use: MessageDigest.getInstance looks the provider up each time, which cost more
    // in the balance-read profile than hashing the token.
    private static final MessageDigest SHA256 = newSha256();

    static TokenDigest of(String token) {
        MessageDigest sha256;
        try {
            sha256 = (MessageDigest) SHA256.clone();
        } catch (CloneNotSupportedException e) {
            sha256 = newSha256();
        }
        ByteBuffer digest = ByteBuffer.wrap(sha256.digest(token.getBytes(StandardCharsets.UTF_8)));
        return new TokenDigest(digest.getLong(), digest.getLong(), digest.getLong(), digest.getLong());
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
