package credits.bootstrap;

import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Who verifies tokens, decided at start-up, and the token command a newcomer uses first. */
class StartupRulesTest {

    @TempDir
    Path dataDir;

    @Test
    void anExternalDatabaseWithoutSecretOrJwksRefusesToStartAndSaysWhatToSet() {
        Settings settings = Settings.load(Map.of("CREDITS_DB_URL", "jdbc:postgresql://db.internal:5432/credits",
                "CREDITS_DATA_DIR", dataDir.toString()));

        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> CreditsServer.authSettings(settings));

        assertThat(refused.getMessage(), containsString("CREDITS_JWT_HMAC_SECRET"));
        assertThat(refused.getMessage(), containsString("CREDITS_JWT_JWKS"));
        assertThat(Files.exists(dataDir.resolve(DevSecret.FILE_NAME)), is(false));
    }

    @Test
    void theEmbeddedDefaultMakesOneOwnerOnlyDevSecretAndKeepsUsingIt() throws Exception {
        Settings settings = Settings.load(Map.of("CREDITS_DATA_DIR", dataDir.toString()));

        String first = CreditsServer.authSettings(settings).hmacSecret().orElseThrow();
        String second = CreditsServer.authSettings(settings).hmacSecret().orElseThrow();

        assertThat(second, is(first));
        assertThat(first.length() >= 32, is(true));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve(DevSecret.FILE_NAME))),
                is("rw-------"));
    }

    @Test
    void aConfiguredSecretWinsOverTheDevSecret() {
        String secret = "configured-secret-of-at-least-32-bytes!!";
        Settings settings = Settings.load(Map.of("CREDITS_DATA_DIR", dataDir.toString(), "CREDITS_JWT_HMAC_SECRET", secret));

        assertThat(CreditsServer.authSettings(settings).hmacSecret().orElseThrow(), is(secret));
        assertThat(Files.exists(dataDir.resolve(DevSecret.FILE_NAME)), is(false));
    }

    @Test
    void aConfiguredSecretShorterThan32BytesRefusesToLoadNamingTheVariableNotTheValue() {
        String secret = "thirty-one-bytes-of-secret-text";

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> Settings.load(Map.of("CREDITS_DATA_DIR", dataDir.toString(), "CREDITS_JWT_HMAC_SECRET", secret)));

        assertThat(refused.getMessage(), containsString("CREDITS_JWT_HMAC_SECRET must be at least 32 bytes"));
        assertThat(refused.getMessage(), not(containsString(secret)));
    }

    @Test
    void aDevSecretFileHoldingTooShortASecretIsRefusedWithHowToMend() throws Exception {
        Files.writeString(dataDir.resolve(DevSecret.FILE_NAME), "too-short\n");

        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> DevSecret.loadOrCreate(dataDir));

        assertThat(refused.getMessage(), containsString("at least 32 bytes"));
        assertThat(refused.getMessage(), containsString("delete it to have a new one made"));
        assertThat(refused.getMessage(), not(containsString("too-short")));
    }

    @Test
    void theTokenCommandMintsATokenForTheUserAndScopesSignedWithTheServicesSecret() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Map<String, String> env = Map.of("CREDITS_DATA_DIR", dataDir.toString());

        int status = TokenCommand.run(new String[] {"--user", "alice", "--scope", "credits:admin"}, env,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));

        assertThat(status, is(0));
        SignedJWT token = SignedJWT.parse(out.toString(StandardCharsets.UTF_8).trim());
        assertThat(token.getJWTClaimsSet().getSubject(), is("alice"));
        assertThat(token.getJWTClaimsSet().getExpirationTime() != null, is(true));
        String secret = CreditsServer.authSettings(Settings.load(env)).hmacSecret().orElseThrow();
        assertThat(token.verify(new com.nimbusds.jose.crypto.MACVerifier(secret.getBytes(StandardCharsets.UTF_8))), is(true));
        assertThat(token.getJWTClaimsSet().toString(), containsString("credits:admin"));
    }

    @Test
    void theTokenCommandWithoutAUserIsAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = TokenCommand.run(new String[] {"--scope", "credits:admin"}, Map.of("CREDITS_DATA_DIR", dataDir.toString()),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status, is(2));
        assertThat(err.toString(StandardCharsets.UTF_8), containsString("--user is required"));
    }

    @Test
    void theTokenCommandRefusesToInventASecretForAnExternalDatabase() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int status = TokenCommand.run(new String[] {"--user", "alice"},
                Map.of("CREDITS_DATA_DIR", dataDir.toString(), "CREDITS_DB_URL", "jdbc:postgresql://db:5432/credits"),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));

        assertThat(status, is(1));
        assertThat(out.toString(StandardCharsets.UTF_8), not(containsString(".")));
        assertThat(List.of(dataDir.toFile().list()).contains(DevSecret.FILE_NAME), is(false));
    }
}
