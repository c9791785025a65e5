package credits.bootstrap;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Properties;

/**
 * The embedded cluster's passwords, one per role: the superuser's (used only to create and fix
 * the other two), the schema owner's (runs the migrations) and the runtime role's (the service's
 * pool). Random, made once, kept in {@code <data dir>/postgres-credentials}, owner-only; never logged.
 */
record EmbeddedCredentials(String superuser, String owner, String runtime) {

    static final String FILE_NAME = "postgres-credentials";
    private static final SecureRandom RANDOM = new SecureRandom();

    static Optional<EmbeddedCredentials> load(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        OwnerOnlyFiles.restrict(file); // a copy restored from a backup with a loose mode is tightened again
        Properties values = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            values.load(reader);
        }
        return Optional.of(new EmbeddedCredentials(password(values, EmbeddedAccess.SUPERUSER, file),
                password(values, EmbeddedAccess.OWNER, file), password(values, EmbeddedAccess.RUNTIME, file)));
    }

    static EmbeddedCredentials create(Path dataDir) throws IOException {
        EmbeddedCredentials credentials = new EmbeddedCredentials(random(), random(), random());
        OwnerOnlyFiles.write(dataDir.resolve(FILE_NAME), """
                # Passwords of the embedded PostgreSQL's roles, made by the credits service. Keep this file
                # with the cluster (back both up together): without it the cluster cannot be opened.
                %s=%s
                %s=%s
                %s=%s
                """.formatted(EmbeddedAccess.SUPERUSER, credentials.superuser, EmbeddedAccess.OWNER, credentials.owner,
                EmbeddedAccess.RUNTIME, credentials.runtime));
        return credentials;
    }

    private static String password(Properties values, String role, Path file) {
        String password = values.getProperty(role, "").trim();
        if (password.isEmpty()) {
            throw new IllegalStateException(file + " has no password for " + role);
        }
        return password;
    }

    // 32 random bytes in hex: no character that needs quoting anywhere.
    private static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public String toString() {
        return "EmbeddedCredentials[****]";
    }
}
