package credits.bootstrap;

import credits.adapters.http.ApiSettings;
import credits.adapters.http.ApiSettings.RateLimit;
import credits.adapters.http.HistoryCursorKey;
import credits.domain.InvalidValueException;
import credits.domain.RetrySchedule;
import credits.domain.Usdc;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.config.EnvironmentVariables;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
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
        Optional<String> dbMigrationUser,
        Optional<String> dbMigrationPassword,
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
        Duration shutdownGrace,
        Optional<HistoryCursorKey> historyCursorKey,
        Duration expirySweepInterval,
        int maxActiveHoldsPerUser,
        RetrySchedule webhookRetrySchedule,
        Optional<Usdc> defaultLowBalance) {

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
        return new Settings(host, port, store, dataDir, dbUrl, dbUser, dbPassword, dbMigrationUser, dbMigrationPassword,
                dbPoolSize, dbConnectTimeout,
                dbStatementTimeout, jwtHmacSecret, jwtJwks, jwtIssuer, jwtAudience, trustUserHeader, user, service,
                corsOrigins, logFormat, shutdownGrace, historyCursorKey, expirySweepInterval, maxActiveHoldsPerUser,
                webhookRetrySchedule, defaultLowBalance);
    }

    /**
     * Who runs the Flyway migrations on an external database: the migration user when one is
     * configured (with its own password), else {@code CREDITS_DB_USER}, which then does both.
     */
    public String migrationUser() {
        return dbMigrationUser.or(() -> dbUser).orElse("");
    }

    public String migrationPassword() {
        return (dbMigrationUser.isPresent() ? dbMigrationPassword : dbPassword).orElse("");
    }

    /** True when no external database is configured, so the service runs its own PostgreSQL. */
    public boolean embeddedDatabase() {
        return store == Store.POSTGRES && dbUrl.isEmpty();
    }

    /** A dev secret may be generated only where nothing leaves the machine: embedded database or memory store. */
    public boolean mayGenerateDevSecret() {
        return store == Store.MEMORY || embeddedDatabase();
    }

    /** The settings from {@code env} (the process environment, or a test's) over the defaults in {@code application.yaml}. */
    public static Settings load(Map<String, String> env) {
        // Helidon's own mapping of variable names to keys (EnvironmentVariables.expand is what its
        // environment source uses), over a map so that tests can pass theirs. Blank means unset.
        Map<String, String> set = new HashMap<>();
        env.forEach((name, value) -> {
            if (value != null && !value.isBlank()) {
                set.put(name, value.trim());
            }
        });
        Config config = Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                // The first source wins over the later ones.
                .addSource(ConfigSources.create(EnvironmentVariables.expand(set)))
                .addSource(ConfigSources.classpath("application.yaml"))
                .build();
        Reader in = new Reader(config);
        return new Settings(
                in.text("credits.host").orElseThrow(() -> in.missing("credits.host")),
                in.integer("credits.port", 0, 65535),
                in.text("credits.store").map(Settings::store).orElseThrow(() -> in.missing("credits.store")),
                Path.of(in.text("credits.data.dir").orElseThrow(() -> in.missing("credits.data.dir"))).toAbsolutePath().normalize(),
                in.text("credits.db.url"),
                in.text("credits.db.user"),
                in.text("credits.db.password"),
                in.text("credits.db.migration.user"),
                in.onlyWith("credits.db.migration.password", "credits.db.migration.user"),
                in.integer("credits.db.pool.size", 1, 1000),
                Duration.ofMillis(in.integer("credits.db.connect.timeout.ms", 500, 600_000)),
                Duration.ofMillis(in.integer("credits.db.statement.timeout.ms", 100, 600_000)),
                in.text("credits.jwt.hmac.secret"),
                in.text("credits.jwt.jwks"),
                in.text("credits.jwt.issuer"),
                in.text("credits.jwt.audience"),
                in.bool("credits.trust.user.header"),
                in.rateLimit("credits.rate.limit"),
                in.rateLimit("credits.service.rate.limit"),
                in.text("credits.cors.origins").map(Settings::corsOrigins).orElse(List.of()),
                in.text("credits.log.format").map(Settings::logFormat).orElseThrow(() -> in.missing("credits.log.format")),
                Duration.ofSeconds(in.integer("credits.shutdown.grace.seconds", 0, 3600)),
                in.text("credits.history.cursor.key").map(Settings::historyCursorKey),
                Duration.ofSeconds(in.integer("credits.expiry.sweep.seconds", 1, 3600)),
                in.integer("credits.max.active.holds.per.user", 1, Integer.MAX_VALUE),
                in.text("credits.webhook.retry.seconds").map(Settings::retrySchedule)
                        .orElseThrow(() -> in.missing("credits.webhook.retry.seconds")),
                in.text("credits.default.low.balance.usdc").map(Settings::defaultLowBalance));
    }

    static final int MAX_RETRIES = 50;
    static final long MAX_RETRY_SECONDS = 7 * 24 * 3600;

    /** Whole seconds, comma-separated: the delay before each retry of a webhook delivery, in order. */
    private static RetrySchedule retrySchedule(String value) {
        String[] parts = value.split(",", -1);
        List<Long> seconds = new java.util.ArrayList<>(parts.length);
        try {
            for (String part : parts) {
                long delay = Long.parseLong(part.trim());
                if (delay < 1 || delay > MAX_RETRY_SECONDS) {
                    throw new NumberFormatException();
                }
                seconds.add(delay);
            }
        } catch (NumberFormatException e) {
            seconds.clear();
        }
        if (seconds.isEmpty() || seconds.size() > MAX_RETRIES) {
            throw new IllegalArgumentException("CREDITS_WEBHOOK_RETRY_SECONDS must be 1 to " + MAX_RETRIES
                    + " comma-separated whole numbers of seconds from 1 to " + MAX_RETRY_SECONDS
                    + " (the delay before each retry), e.g. 5,300,1800,7200,18000,36000,86400");
        }
        return RetrySchedule.seconds(seconds);
    }

    /** An amount above 0 in the API's format, e.g. 5.00: the low-balance threshold of users who set none. */
    private static Usdc defaultLowBalance(String value) {
        try {
            Usdc amount = Usdc.parse(value);
            if (amount.equals(Usdc.ZERO)) {
                throw new InvalidValueException("must be above 0");
            }
            return amount;
        } catch (InvalidValueException e) {
            throw new IllegalArgumentException("CREDITS_DEFAULT_LOW_BALANCE_USDC must be an amount above 0 like 5.00"
                    + " (" + e.getMessage() + "); leave it unset for no default threshold");
        }
    }

    /** Base64 of exactly 32 bytes, e.g. from {@code openssl rand -base64 32}; the message never shows the value. */
    private static HistoryCursorKey historyCursorKey(String value) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            bytes = new byte[0];
        }
        if (bytes.length != HistoryCursorKey.LENGTH_BYTES) {
            throw new IllegalArgumentException("CREDITS_HISTORY_CURSOR_KEY must be the base64 of " + HistoryCursorKey.LENGTH_BYTES
                    + " random bytes (e.g. openssl rand -base64 " + HistoryCursorKey.LENGTH_BYTES + ")");
        }
        return HistoryCursorKey.of(bytes);
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

    // The rule itself is the HTTP adapter's (ApiSettings.origins); here only the variable is named.
    private static List<String> corsOrigins(String value) {
        try {
            return ApiSettings.origins(Arrays.asList(value.split(",")));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("CREDITS_CORS_ORIGINS must be a comma-separated list of origins"
                    + " like https://billing.example.com (scheme, host and optional port; no path, no *)", e);
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
                + ", dbPassword=" + (dbPassword.isPresent() ? "***" : "(unset)")
                + ", dbMigrationUser=" + dbMigrationUser.orElse("(unset)")
                + ", dbMigrationPassword=" + (dbMigrationPassword.isPresent() ? "***" : "(unset)") + ", dbPoolSize=" + dbPoolSize
                + ", jwtHmacSecret=" + (jwtHmacSecret.isPresent() ? "***" : "(unset)") + ", jwtJwks=" + jwtJwks.orElse("(unset)")
                + ", trustUserHeader=" + trustUserHeader + ", userRateLimit=" + userRateLimit
                + ", serviceRateLimit=" + serviceRateLimit + ", corsOrigins=" + corsOrigins + ", logFormat=" + logFormat
                + ", shutdownGrace=" + shutdownGrace + ", maxActiveHoldsPerUser=" + maxActiveHoldsPerUser
                + ", webhookRetrySchedule=" + webhookRetrySchedule.delays() + ", defaultLowBalance=" + defaultLowBalance.map(Usdc::format).orElse("(unset)")
                + ", historyCursorKey=" + (historyCursorKey.isPresent() ? "***" : "(unset)") + "]";
    }

    /** JDBC URLs may carry a password in their query string: shown without it. */
    static String withoutQuery(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    /**
     * Typed reads of the merged configuration. Refusals name the environment variable, the name
     * operators know: the key in upper case with underscores for dots, Helidon's mapping reversed.
     */
    private record Reader(Config config) {

        static String variable(String key) {
            return key.replace('.', '_').toUpperCase(Locale.ROOT);
        }

        IllegalStateException missing(String key) {
            return new IllegalStateException("application.yaml has no default for " + key);
        }

        Optional<String> text(String key) {
            return config.get(key).asString().asOptional().map(String::trim).filter(s -> !s.isEmpty());
        }

        /** A setting that means nothing without another one: refused alone rather than silently ignored. */
        Optional<String> onlyWith(String key, String otherKey) {
            Optional<String> value = text(key);
            if (value.isPresent() && text(otherKey).isEmpty()) {
                throw new IllegalArgumentException(variable(key) + " is set but " + variable(otherKey) + " is not");
            }
            return value;
        }

        int integer(String key, int min, int max) {
            String raw = text(key).orElseThrow(() -> missing(key));
            try {
                int value = Integer.parseInt(raw);
                if (value < min || value > max) {
                    throw new NumberFormatException();
                }
                return value;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(variable(key) + " must be a whole number from " + min + " to " + max);
            }
        }

        /** A token bucket from {@code <key>.capacity} and {@code <key>.refill.per.second}; capacity 0 switches it off. */
        RateLimit rateLimit(String key) {
            String capacityKey = key + ".capacity";
            String refillKey = key + ".refill.per.second";
            int capacity = integer(capacityKey, 0, 1_000_000_000);
            int refill = integer(refillKey, 0, 1_000_000_000);
            if (capacity == 0) {
                return RateLimit.DISABLED;
            }
            if (refill == 0) {
                throw new IllegalArgumentException(variable(refillKey) + " must be at least 1 while " + variable(capacityKey)
                        + " is above 0 (set the capacity to 0 to switch the limit off)");
            }
            return new RateLimit(capacity, refill);
        }

        boolean bool(String key) {
            return switch (text(key).orElseThrow(() -> missing(key)).toLowerCase(Locale.ROOT)) {
                case "true", "yes", "1" -> true;
                case "false", "no", "0" -> false;
                default -> throw new IllegalArgumentException(variable(key) + " must be true or false");
            };
        }
    }
}
