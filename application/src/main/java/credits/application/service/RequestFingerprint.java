package credits.application.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A digest of what a request means (its parsed values), not of its bytes: {@code "1.5"} and
 * {@code "1.50"}, or the same fields in another order, are the same request. Each part is
 * length-prefixed so no two different requests can concatenate to the same input.
 */
final class RequestFingerprint {

    private RequestFingerprint() {
    }

    static String of(String... parts) {
        MessageDigest sha256 = sha256();
        for (String part : parts) {
            byte[] bytes = part == null ? new byte[0] : part.getBytes(StandardCharsets.UTF_8);
            sha256.update((part == null ? "-1:" : bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
            sha256.update(bytes);
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
