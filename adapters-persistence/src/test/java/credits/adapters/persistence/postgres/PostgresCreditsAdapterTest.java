package credits.adapters.persistence.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;

import credits.adapters.persistence.CreditsPortContract;
import credits.domain.CreditsPort;
import credits.domain.UserId;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The contract suite on a real PostgreSQL 18, plus what only a database can promise: the
 * constraints refuse broken accounts even when a statement bypasses the Java code.
 */
class PostgresCreditsAdapterTest extends CreditsPortContract {

    private static final String CHECK_VIOLATION = "23514";
    private static final String UNIQUE_VIOLATION = "23505";

    private static EmbeddedPostgres postgres;
    private static PostgresStore store;

    @BeforeAll
    static void startDatabase() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        // More connections than racers, so the race tests overlap in the database, not in the pool.
        store = PostgresStore.open(new PostgresSettings(
                "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres", "postgres", "",
                40, Duration.ofSeconds(10), Duration.ofSeconds(10)));
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        if (store != null) {
            store.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Override
    protected CreditsPort port() {
        return store.credits();
    }

    @Override
    protected long accountRowCount(UserId userId) {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM credits WHERE user_id = ?")) {
            count.setString(1, userId.value());
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void databaseRefusesANegativeBalance() {
        UserId user = freshUser();
        port().getOrCreate(user, Instant.parse("2024-01-15T10:30:00Z"));

        SQLException refused = assertThrows(SQLException.class,
                () -> update("UPDATE credits SET balance_units = -1 WHERE user_id = ?", user));

        assertThat(refused.getSQLState(), is(CHECK_VIOLATION));
        assertThat(refused.getMessage(), containsString("credits_balance_not_negative"));
    }

    @Test
    void databaseRefusesAHoldLargerThanTheBalance() throws SQLException {
        UserId user = freshUser();
        port().getOrCreate(user, Instant.parse("2024-01-15T10:30:00Z"));
        update("UPDATE credits SET balance_units = 100 WHERE user_id = ?", user);

        SQLException refused = assertThrows(SQLException.class,
                () -> update("UPDATE credits SET held_units = 101 WHERE user_id = ?", user));

        assertThat(refused.getSQLState(), is(CHECK_VIOLATION));
        assertThat(refused.getMessage(), containsString("credits_held_within_balance"));
    }

    @Test
    void databaseRefusesANegativeHold() {
        UserId user = freshUser();
        port().getOrCreate(user, Instant.parse("2024-01-15T10:30:00Z"));

        SQLException refused = assertThrows(SQLException.class,
                () -> update("UPDATE credits SET held_units = -1 WHERE user_id = ?", user));

        assertThat(refused.getSQLState(), is(CHECK_VIOLATION));
        assertThat(refused.getMessage(), containsString("credits_held_not_negative"));
    }

    @Test
    void databaseRefusesASecondAccountForOneUser() {
        UserId user = freshUser();
        port().getOrCreate(user, Instant.parse("2024-01-15T10:30:00Z"));

        SQLException refused = assertThrows(SQLException.class, () -> update(
                "INSERT INTO credits (user_id, created_at, updated_at) VALUES (?, now(), now())", user));

        assertThat(refused.getSQLState(), is(UNIQUE_VIOLATION));
    }

    @Test
    void databaseRefusesAnEmptyUserId() throws SQLException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            SQLException refused = assertThrows(SQLException.class, () -> statement.executeUpdate(
                    "INSERT INTO credits (user_id, created_at, updated_at) VALUES ('', now(), now())"));

            assertThat(refused.getSQLState(), is(CHECK_VIOLATION));
            assertThat(refused.getMessage(), containsString("credits_user_id_length"));
        }
    }

    @Test
    void storedTimesAreTheExactInstantsWhateverTheSessionTimeZone() throws SQLException {
        UserId user = freshUser();
        Instant now = Instant.parse("2024-01-15T10:30:00.123Z");
        port().getOrCreate(user, now);

        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement setZone = connection.createStatement();
             PreparedStatement read = connection.prepareStatement(
                     "SELECT created_at = timestamptz '2024-01-15 10:30:00.123+00' FROM credits WHERE user_id = ?")) {
            setZone.execute("SET TIME ZONE 'Pacific/Chatham'");
            read.setString(1, user.value());
            try (ResultSet rows = read.executeQuery()) {
                rows.next();
                assertThat(rows.getBoolean(1), is(true));
            }
        }
        assertThat(port().find(user).orElseThrow().createdAt(), is(now));
    }

    @Test
    void newAccountsStartWithZeroUnitsInTheDatabase() throws SQLException {
        UserId user = freshUser();
        port().getOrCreate(user, Instant.parse("2024-01-15T10:30:00Z"));

        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             PreparedStatement read = connection.prepareStatement(
                     "SELECT balance_units, held_units FROM credits WHERE user_id = ?")) {
            read.setString(1, user.value());
            try (ResultSet rows = read.executeQuery()) {
                rows.next();
                assertThat(rows.getLong(1), is(0L));
                assertThat(rows.getLong(2), is(0L));
            }
        }
    }

    private static void update(String sql, UserId user) throws SQLException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, user.value());
            statement.executeUpdate();
        }
    }
}
