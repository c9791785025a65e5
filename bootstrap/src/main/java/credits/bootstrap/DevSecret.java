package credits.bootstrap;

import credits.adapters.http.auth.VerificationKeys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The HS256 secret a developer's machine uses when none is configured: random, made once, kept in
 * the data dir (owner-only) so tokens minted by {@code token} keep working across restarts.
 * Only ever used with the embedded database or the memory store, never against a shared database.
 */
final class DevSecret {

    static final String FILE_NAME = "dev-jwt-secret";

    private DevSecret() {
    }

    static String loadOrCreate(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            Files.createDirectories(dataDir);
            if (!Files.exists(file)) {
                byte[] random = new byte[VerificationKeys.MIN_HMAC_SECRET_BYTES];
                new SecureRandom().nextBytes(random);
                String secret = HexFormat.of().formatHex(random);
                Path temp = Files.createTempFile(dataDir, FILE_NAME, ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(temp, secret + "\n", StandardCharsets.UTF_8);
                try {
                    // A link never replaces an existing file, so a service and a token command racing
                    // on a fresh data dir both end up with the same secret.
                    Files.createLink(file, temp);
                } catch (FileAlreadyExistsException lostTheRace) {
                    // the other one's secret stands
                } finally {
                    Files.deleteIfExists(temp);
                }
            }
            String secret = Files.readString(file, StandardCharsets.UTF_8).trim();
            try {
                VerificationKeys.hmacSecretBytes(secret, "The dev JWT secret in " + file);
            } catch (IllegalArgumentException tooShort) {
                throw new IllegalStateException(tooShort.getMessage() + "; delete it to have a new one made");
            }
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read or create the dev JWT secret in " + dataDir, e);
        }
    }

    /** The secret the service verifies with: the configured one, else (where allowed) the dev one. */
    static String resolve(Settings settings) {
        if (settings.jwtHmacSecret().isPresent()) {
            return settings.jwtHmacSecret().get();
        }
        if (!settings.mayGenerateDevSecret()) {
            throw new IllegalStateException("CREDITS_JWT_HMAC_SECRET is not set; an HS256 secret is required");
        }
        return loadOrCreate(settings.dataDir());
    }
}
