package credits.adapters.persistence.postgres;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How to reach PostgreSQL (or a PostgreSQL-compatible engine) and how to size the pool.
 *
 * @param jdbcUrl           a {@code jdbc:postgresql:} URL
 * @param user              the runtime role the pool connects as; the migrations grant it its row privileges
 * @param password          may be empty (trust or peer authentication); never printed
 * @param maxPoolSize       connections kept open, and operations let through at once; small is right for
 *                          PostgreSQL, though commits waiting on WAL flushes hold theirs a while (benchmarks.md)
 * @param connectionTimeout how long a caller waits for a free connection before failing, queueing included
 * @param statementTimeout  the server-side cap on any one statement, so a stuck query cannot hold a connection forever
 * @param migrationUser     the role that owns the schema and runs the Flyway migrations; may be {@code user}
 * @param migrationPassword its password; never printed
 */
public record PostgresSettings(
        String jdbcUrl,
        String user,
        String password,
        int maxPoolSize,
        Duration connectionTimeout,
        Duration statementTimeout,
        String migrationUser,
        String migrationPassword) {

    // HikariCP refuses connection timeouts below 250 ms, and gets half of this one.
    private static final Duration MIN_CONNECTION_TIMEOUT = Duration.ofMillis(500);
    // A password may also travel in the URL's query string; toString masks it there too.
    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)(password=)[^&;]*");

    public PostgresSettings {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(connectionTimeout, "connectionTimeout");
        Objects.requireNonNull(statementTimeout, "statementTimeout");
        Objects.requireNonNull(migrationUser, "migrationUser");
        Objects.requireNonNull(migrationPassword, "migrationPassword");
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("jdbcUrl must start with jdbc:postgresql:");
        }
        if (user.isBlank()) {
            throw new IllegalArgumentException("user must not be blank");
        }
        // The runtime role's name reaches the grant migration as a Flyway placeholder inside a
        // string literal; no sane role name holds a quote, so one is refused rather than escaped.
        if (user.indexOf('\'') >= 0) {
            throw new IllegalArgumentException("user must not contain a single quote");
        }
        if (migrationUser.isBlank()) {
            throw new IllegalArgumentException("migrationUser must not be blank");
        }
        if (maxPoolSize < 1) {
            throw new IllegalArgumentException("maxPoolSize must be at least 1, was " + maxPoolSize);
        }
        if (connectionTimeout.compareTo(MIN_CONNECTION_TIMEOUT) < 0) {
            throw new IllegalArgumentException("connectionTimeout must be at least " + MIN_CONNECTION_TIMEOUT.toMillis() + " ms");
        }
        if (statementTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("statementTimeout must be at least 1 ms");
        }
    }

    /** One role for everything: it runs the migrations and serves requests (the grants are then no-ops). */
    public PostgresSettings(String jdbcUrl, String user, String password, int maxPoolSize, Duration connectionTimeout,
                            Duration statementTimeout) {
        this(jdbcUrl, user, password, maxPoolSize, connectionTimeout, statementTimeout, user, password);
    }

    /** The same settings with another role running the migrations, so the runtime role need own nothing. */
    public PostgresSettings withMigrationRole(String migrationUser, String migrationPassword) {
        return new PostgresSettings(jdbcUrl, user, password, maxPoolSize, connectionTimeout, statementTimeout,
                migrationUser, migrationPassword);
    }


    @Override
    public String toString() {
        return "PostgresSettings[jdbcUrl=" + URL_PASSWORD.matcher(jdbcUrl).replaceAll("$1****")
                + ", user=" + user
                + ", password=" + (password.isEmpty() ? "(empty)" : "****")
                + ", maxPoolSize=" + maxPoolSize
                + ", connectionTimeout=" + connectionTimeout
                + ", statementTimeout=" + statementTimeout
                + ", migrationUser=" + migrationUser
                + ", migrationPassword=" + (migrationPassword.isEmpty() ? "(empty)" : "****") + "]";
    }
}
