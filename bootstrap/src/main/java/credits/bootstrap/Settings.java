package credits.bootstrap;

import credits.adapters.http.ApiSettings;
import credits.adapters.http.ApiSettings.RateLimit;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
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
        boolean trustUserHeader,
        RateLimit userRateLimit,
        RateLimit serviceRateLimit,
        List<String> corsOrigins,
        LogFormat logFormat,
        Duration shutdownGrace) {

    public enum Store { POSTGRES, MEMORY }

    /** One JSON object per line for log shippers, or plain lines for a developer's terminal. */
    public enum LogFormat { JSON, TEXT }

    public Settings {
        corsOrigins = List.copyOf(corsOrigins);
        jwtHmacSecret.ifPresent(secret -> credits.adapters.http.auth.VerificationKeys.hmacSecretBytes(secret, "CREDITS_JWT_HMAC_SECRET"));
    }

    /** What the HTTP adapter needs to protect itself: rate limits and the CORS allow-list. */
    public ApiSettings apiSettings() {
        return new ApiSettings(userRateLimit, serviceRateLimit, corsOrigins);
    }

    /** The same settings with other rate limits (tests switch them on and off). */
    public Settings withRateLimits(RateLimit user, RateLimit service) {
        return new Settings(host, port, store, dataDir, dbUrl, dbUser, dbPassword, dbPoolSize, dbConnectTimeout,
                dbStatementTimeout, jwtHmacSecret, jwtJwks, jwtIssuer, jwtAudience, trustUserHeader, user, service,
                corsOrigins, logFormat, shutdownGrace);
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
                in.integer("CREDITS_DB_POOL_SIZE", "credits.db.pool-size", 16, 1, 1000),
                Duration.ofMillis(in.integer("CREDITS_DB_CONNECT_TIMEOUT_MS", "credits.db.connect-timeout-ms", 2000, 500, 600_000)),
                Duration.ofMillis(in.integer("CREDITS_DB_STATEMENT_TIMEOUT_MS", "credits.db.statement-timeout-ms", 5000, 100, 600_000)),
                in.text("CREDITS_JWT_HMAC_SECRET", "credits.jwt.hmac-secret"),
                in.text("CREDITS_JWT_JWKS", "credits.jwt.jwks"),
                in.text("CREDITS_JWT_ISSUER", "credits.jwt.issuer"),
                in.text("CREDITS_JWT_AUDIENCE", "credits.jwt.audience"),
                in.bool("CREDITS_TRUST_USER_HEADER", "credits.trust-user-header", false),
                in.rateLimit("CREDITS_RATE_LIMIT_CAPACITY", "credits.rate-limit.capacity", 10,
                        "CREDITS_RATE_LIMIT_REFILL_PER_SECOND", "credits.rate-limit.refill-per-second", 1),
                in.rateLimit("CREDITS_SERVICE_RATE_LIMIT_CAPACITY", "credits.service-rate-limit.capacity", 2000,
                        "CREDITS_SERVICE_RATE_LIMIT_REFILL_PER_SECOND", "credits.service-rate-limit.refill-per-second", 1000),
                in.text("CREDITS_CORS_ORIGINS", "credits.cors-origins").map(Settings::corsOrigins).orElse(List.of()),
                in.text("CREDITS_LOG_FORMAT", "credits.log-format").map(Settings::logFormat).orElse(LogFormat.JSON),
                Duration.ofSeconds(in.integer("CREDITS_SHUTDOWN_GRACE_SECONDS", "credits.shutdown-grace-seconds", 10, 0, 3600)));
    }

    /**
     * The log format alone, read before anything else so that even a refused start logs in the
     * format the operator asked for; JSON when the value is missing or not understood.
     */
    static LogFormat logFormat(Map<String, String> env) {
        try {
            return Optional.ofNullable(env.get("CREDITS_LOG_FORMAT")).filter(v -> !v.isBlank())
                    .map(Settings::logFormat).orElse(LogFormat.JSON);
        } catch (IllegalArgumentException e) {
            return LogFormat.JSON;
        }
    }

    private static LogFormat logFormat(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "json" -> LogFormat.JSON;
            case "text" -> LogFormat.TEXT;
            default -> throw new IllegalArgumentException("CREDITS_LOG_FORMAT must be json or text");
        };
    }

    // Browsers send the Origin as scheme://host[:port], so that is what each entry must be: a typo
    // such as a trailing slash or a path would never match and is refused at start instead.
    private static List<String> corsOrigins(String value) {
        List<String> origins = Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        for (String origin : origins) {
            if (!isOrigin(origin)) {
                throw new IllegalArgumentException("CREDITS_CORS_ORIGINS must be a comma-separated list of origins"
                        + " like https://billing.example.com (scheme, host and optional port; no path, no *)");
            }
        }
        return origins;
    }

    private static boolean isOrigin(String origin) {
        try {
            URI uri = new URI(origin);
            return (uri.getScheme() != null && (uri.getScheme().equals("http") || uri.getScheme().equals("https")))
                    && uri.getHost() != null && uri.getRawUserInfo() == null
                    && (uri.getRawPath() == null || uri.getRawPath().isEmpty())
                    && uri.getRawQuery() == null && uri.getRawFragment() == null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
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
                + ", trustUserHeader=" + trustUserHeader + ", userRateLimit=" + userRateLimit
                + ", serviceRateLimit=" + serviceRateLimit + ", corsOrigins=" + corsOrigins + ", logFormat=" + logFormat
                + ", shutdownGrace=" + shutdownGrace + "]";
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

        /** A token bucket from two settings; capacity 0 switches it off. */
        RateLimit rateLimit(String capacityEnv, String capacityKey, int capacityFallback,
                            String refillEnv, String refillKey, int refillFallback) {
            int capacity = integer(capacityEnv, capacityKey, capacityFallback, 0, 1_000_000_000);
            int refill = integer(refillEnv, refillKey, refillFallback, 0, 1_000_000_000);
            if (capacity == 0) {
                return RateLimit.DISABLED;
            }
            if (refill == 0) {
                throw new IllegalArgumentException(refillEnv + " must be at least 1 while " + capacityEnv
                        + " is above 0 (set the capacity to 0 to switch the limit off)");
            }
            return new RateLimit(capacity, refill);
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
