package credits.adapters.persistence.postgres;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

import javax.sql.DataSource;

/** What the PostgreSQL tests share: a stand-in request fingerprint and a one-number query straight to the database. */
final class TestQueries {

    private TestQueries() {
    }

    /** Any 64 hex characters will do as a fingerprint here; one made from the request keeps requests apart. */
    static String digest(String request) {
        UUID first = UUID.nameUUIDFromBytes(request.getBytes(StandardCharsets.UTF_8));
        UUID second = UUID.nameUUIDFromBytes(("2" + request).getBytes(StandardCharsets.UTF_8));
        return (first.toString() + second.toString()).replace("-", "");
    }

    /** The first column of the first row of {@code sql}, bypassing the service. */
    static long queryLong(DataSource database, String sql, Object... params) throws SQLException {
        try (Connection connection = database.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
