package credits.bootstrap;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the service can be told, read once at start-up: {@code application.yaml} gives the
 * defaults, and each setting's environment variable (the names operators rely on) wins over it.
 * A bad value stops the start with a message naming the variable; secrets never appear in messages.
 */
public record Settings(
        String host,
        int port,
        Store store,
        Path dataDir,
        Optional<String> dbUrl,
        Optional<String> dbUser,
        Optional<String> dbPassword,
        int dbPoolSize,
        Duration dbConnectTimeout,
        Duration dbStatementTimeout,
        Optional<String> jwtHmacSecret,
        Optional<String> jwtJwks,
        Optional<String> jwtIssuer,
        Optional<String> jwtAudience,
        boolean trustUserHeader) {

    public enum Store { POSTGRES, MEMORY }

    /** The smallest HS256 key RFC 7518 allows. */
    static final int MIN_HMAC_SECRET_BYTES = 32;

    public Settings {
        jwtHmacSecret.ifPresent(secret -> {
            if (secret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < MIN_HMAC_SECRET_BYTES) {
                throw new IllegalArgumentException("CREDITS_JWT_HMAC_SECRET must be at least " + MIN_HMAC_SECRET_BYTES + " bytes");
            }
        });
    }

    /** True when no external database is configured, so the service runs its own PostgreSQL. */
    public boolean embeddedDatabase() {
        return store == Store.POSTGRES && dbUrl.isEmpty();
    }

    /** A dev secret may be generated only where nothing leaves the machine: embedded database or memory store. */
    public boolean mayGenerateDevSecret() {
        return store == Store.MEMORY || embeddedDatabase();
    }

    public static Settings load(Map<String, String> env) {
        return load(env, Config.just(ConfigSources.classpath("application.yaml")));
    }

    static Settings load(Map<String, String> env, Config yaml) {
        Reader in = new Reader(env, yaml);
        return new Settings(
                in.text("CREDITS_HOST", "server.host").orElse("0.0.0.0"),
                in.integer("CREDITS_PORT", "server.port", 8080, 0, 65535),
                in.text("CREDITS_STORE", "credits.store").map(Settings::store).orElse(Store.POSTGRES),
                Path.of(in.text("CREDITS_DATA_DIR", "credits.data-dir").orElse("./data")).toAbsolutePath().normalize(),
                in.text("CREDITS_DB_URL", "credits.db.url"),
                in.text("CREDITS_DB_USER", "credits.db.user"),
                in.text("CREDITS_DB_PASSWORD", "credits.db.password"),
                in.integer("CREDITS_DB_POOL_SIZE", "credits.db.pool-size", 8, 1, 1000),
                Duration.ofMillis(in.integer("CREDITS_DB_CONNECT_TIMEOUT_MS", "credits.db.connect-timeout-ms", 2000, 250, 600_000)),
                Duration.ofMillis(in.integer("CREDITS_DB_STATEMENT_TIMEOUT_MS", "credits.db.statement-timeout-ms", 5000, 100, 600_000)),
                in.text("CREDITS_JWT_HMAC_SECRET", "credits.jwt.hmac-secret"),
                in.text("CREDITS_JWT_JWKS", "credits.jwt.jwks"),
                in.text("CREDITS_JWT_ISSUER", "credits.jwt.issuer"),
                in.text("CREDITS_JWT_AUDIENCE", "credits.jwt.audience"),
                in.bool("CREDITS_TRUST_USER_HEADER", "credits.trust-user-header", false));
    }

    private static Store store(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "postgres", "postgresql" -> Store.POSTGRES;
            case "memory" -> Store.MEMORY;
            default -> throw new IllegalArgumentException("CREDITS_STORE must be postgres or memory");
        };
    }

    @Override
    public String toString() {
        // Secrets are reported as set or not, never printed.
        return "Settings[host=" + host + ", port=" + port + ", store=" + store + ", dataDir=" + dataDir
                + ", dbUrl=" + dbUrl.map(Settings::withoutQuery).orElse("(embedded)") + ", dbUser=" + dbUser.orElse("")
                + ", dbPassword=" + (dbPassword.isPresent() ? "***" : "(unset)") + ", dbPoolSize=" + dbPoolSize
                + ", jwtHmacSecret=" + (jwtHmacSecret.isPresent() ? "***" : "(unset)") + ", jwtJwks=" + jwtJwks.orElse("(unset)")
                + ", trustUserHeader=" + trustUserHeader + "]";
    }

    /** JDBC URLs may carry a password in their query string: shown without it. */
    static String withoutQuery(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    /** Environment first, then yaml; blank means unset. */
    private record Reader(Map<String, String> env, Config yaml) {

        Optional<String> text(String envName, String yamlKey) {
            String fromEnv = env.get(envName);
            if (fromEnv != null && !fromEnv.isBlank()) {
                return Optional.of(fromEnv.trim());
            }
            return yaml.get(yamlKey).asString().asOptional().map(String::trim).filter(s -> !s.isEmpty());
        }

        int integer(String envName, String yamlKey, int fallback, int min, int max) {
            Optional<String> raw = text(envName, yamlKey);
            if (raw.isEmpty()) {
                return fallback;
            }
            try {
                int value = Integer.parseInt(raw.get());
                if (value < min || value > max) {
                    throw new NumberFormatException();
                }
                return value;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(envName + " must be a whole number from " + min + " to " + max);
            }
        }

        boolean bool(String envName, String yamlKey, boolean fallback) {
            return text(envName, yamlKey).map(v -> switch (v.toLowerCase(Locale.ROOT)) {
                case "true", "yes", "1" -> true;
                case "false", "no", "0" -> false;
                default -> throw new IllegalArgumentException(envName + " must be true or false");
            }).orElse(fallback);
        }
    }
}
