package credits.bootstrap;

import credits.adapters.http.auth.DevTokens;
import credits.domain.UserId;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code token --user alice [--scope credits:admin]... [--ttl 3600]}: prints an HS256 token signed
 * with the secret the service verifies with, so a newcomer's first call works in a minute.
 */
final class TokenCommand {

    private static final String USAGE = "usage: token --user ID [--scope SCOPE]... [--ttl SECONDS]";

    private TokenCommand() {
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        String user = null;
        List<String> scopes = new ArrayList<>();
        long ttlSeconds = 3600;
        try {
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--user" -> user = required("--user", value);
                    case "--scope" -> scopes.add(required("--scope", value));
                    case "--ttl" -> ttlSeconds = Long.parseLong(required("--ttl", value));
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
                i++;
            }
            if (user == null) {
                throw new IllegalArgumentException("--user is required");
            }
            if (ttlSeconds < 1 || ttlSeconds > Duration.ofDays(30).toSeconds()) {
                throw new IllegalArgumentException("--ttl must be 1 to 2592000 seconds");
            }
            UserId userId = new UserId(user);
            Settings settings = Settings.load(env);
            String secret = DevSecret.resolve(settings);
            out.println(DevTokens.mintHs256(secret, userId.value(), scopes, Duration.ofSeconds(ttlSeconds), Clock.systemUTC()));
            return 0;
        } catch (NumberFormatException e) {
            err.println("--ttl must be a whole number of seconds\n" + USAGE);
            return 2;
        } catch (IllegalArgumentException e) { // includes InvalidValueException from the user id
            err.println(e.getMessage() + "\n" + USAGE);
            return 2;
        } catch (IllegalStateException e) {
            err.println(e.getMessage());
            return 1;
        }
    }

    private static String required(String option, String value) {
        if (value == null || value.startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }
}
