package credits.adapters.persistence.postgres;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PostgresSettingsTest {

    private static final String URL = "jdbc:postgresql://db.internal:5432/credits";

    @Test
    void printingSettingsNeverShowsThePassword() {
        PostgresSettings settings = settings(URL, "credits", "s3cret-Pa55");

        assertThat(settings.toString(), not(containsString("s3cret-Pa55")));
        assertThat(settings.toString(), containsString("db.internal"));
    }

    @Test
    void printingSettingsNeverShowsAPasswordInTheUrl() {
        PostgresSettings settings = settings(URL + "?ssl=true&password=url-s3cret&user=x", "credits", "");

        assertThat(settings.toString(), not(containsString("url-s3cret")));
        assertThat(settings.toString(), containsString("ssl=true"));
    }

    @Test
    void anEmptyPasswordIsAccepted() {
        assertThat(settings(URL, "postgres", "").password(), is(""));
    }

    @Test
    void settingsThatCannotWorkAreRefused() {
        Duration second = Duration.ofSeconds(1);
        assertThrows(IllegalArgumentException.class, () -> new PostgresSettings("jdbc:mysql://x/y", "u", "", 1, second, second));
        assertThrows(IllegalArgumentException.class, () -> new PostgresSettings(URL, " ", "", 1, second, second));
        assertThrows(IllegalArgumentException.class, () -> new PostgresSettings(URL, "u", "", 0, second, second));
        assertThrows(IllegalArgumentException.class, () -> new PostgresSettings(URL, "u", "", 1, Duration.ofMillis(10), second));
        assertThrows(IllegalArgumentException.class, () -> new PostgresSettings(URL, "u", "", 1, second, Duration.ZERO));
        assertThrows(NullPointerException.class, () -> new PostgresSettings(URL, "u", null, 1, second, second));
        assertThrows(NullPointerException.class, () -> new PostgresSettings(null, "u", "", 1, second, second));
        assertThrows(IllegalArgumentException.class, () -> new PostgresSettings(URL, "o'brien", "", 1, second, second));
        assertThrows(IllegalArgumentException.class, () -> settings(URL, "u", "").withMigrationRole(" ", ""));
    }

    @Test
    void withoutAMigrationRoleTheRuntimeRoleRunsTheMigrations() {
        PostgresSettings settings = settings(URL, "credits", "s3cret-Pa55");

        assertThat(settings.migrationUser(), is("credits"));
        assertThat(settings.migrationPassword(), is("s3cret-Pa55"));
    }

    @Test
    void aMigrationRoleKeepsTheRuntimeRoleAndItsPasswordIsNeverShown() {
        PostgresSettings settings = settings(URL, "credits_app", "app-Pa55")
                .withMigrationRole("credits_owner", "owner-Pa55");

        assertThat(settings.user(), is("credits_app"));
        assertThat(settings.migrationUser(), is("credits_owner"));
        assertThat(settings.toString(), containsString("migrationUser=credits_owner"));
        assertThat(settings.toString(), not(containsString("owner-Pa55")));
    }

    private static PostgresSettings settings(String url, String user, String password) {
        return new PostgresSettings(url, user, password, 16, Duration.ofSeconds(2), Duration.ofSeconds(5));
    }
}
