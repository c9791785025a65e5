package credits.domain;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * An endpoint's signing key, shown to the admin once as {@code whsec_} and its base64 (the Standard
 * Webhooks form). Its {@link #toString()} never shows it, so it cannot reach a log by accident.
 */
public final class WebhookSecret {

    private static final String PREFIX = "whsec_";
    private static final int BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] key;

    private WebhookSecret(byte[] key) {
        if (key.length < 16) {
            throw new IllegalArgumentException("a webhook secret has at least 16 bytes");
        }
        this.key = key.clone();
    }

    public static WebhookSecret random() {
        byte[] key = new byte[BYTES];
        RANDOM.nextBytes(key);
        return new WebhookSecret(key);
    }

    /** @throws IllegalArgumentException when {@code text} is not {@code whsec_} and base64 of 16 bytes or more */
    public static WebhookSecret parse(String text) {
        if (text == null || !text.startsWith(PREFIX)) {
            throw new IllegalArgumentException("a webhook secret starts with " + PREFIX);
        }
        return new WebhookSecret(Base64.getDecoder().decode(text.substring(PREFIX.length())));
    }

    /** The HMAC key: the base64 decoding of what follows {@code whsec_}. */
    public byte[] key() {
        return key.clone();
    }

    /** The form shown once at creation and stored. */
    public String text() {
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof WebhookSecret secret && java.security.MessageDigest.isEqual(key, secret.key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return "WebhookSecret[redacted]";
    }
}
