package credits.adapters.persistence.postgres;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SqlTest {

    @Test
    void namedParametersBecomePositionalInOrderOfAppearanceAndRepeatsAreBoundEachTime() {
        Sql sql = Sql.named("move", "UPDATE t SET a = a - :amount WHERE id = :id AND a >= :amount");

        assertThat(sql.jdbc(), is("UPDATE t SET a = a - ? WHERE id = ? AND a >= ?"));
        assertThat(sql.bind(Map.of("id", "u1", "amount", 5L)), contains(5L, "u1", 5L));
    }

    @Test
    void aNullValueIsBoundAsSqlNull() {
        Sql sql = Sql.named("reason", "SELECT CAST(:reason AS varchar(10))");
        Map<String, Object> values = new HashMap<>();
        values.put("reason", null);

        assertThat(sql.bind(values).size(), is(1));
        assertThat(sql.bind(values).get(0), is((Object) null));
    }

    @Test
    void aMissingValueIsRefusedRatherThanBoundAsNull() {
        Sql sql = Sql.named("pair", "SELECT :a, :b");

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> sql.bind(Map.of("a", 1)));
        assertThat(refused.getMessage(), containsString("pair"));
    }

    @Test
    void aMisspeltNameIsRefusedWhileValuesNoParameterNamesAreIgnored() {
        Sql sql = Sql.named("one", "SELECT :amount");

        assertThrows(IllegalArgumentException.class, () -> sql.bind(Map.of("amuont", 1)));
        assertThat(sql.bind(Map.of("amount", 1, "reason", "spare")), contains(1));
    }

    @Test
    void postgresCastSyntaxIsRefusedBecauseItsColonsWouldReadAsParameters() {
        assertThrows(IllegalArgumentException.class, () -> Sql.named("cast", "SELECT :id::uuid"));
    }

    @Test
    void aStatementWithoutParametersIsLeftAsWritten() {
        Sql sql = Sql.named("plain", "SELECT 1");

        assertThat(sql.jdbc(), is("SELECT 1"));
        assertThat(sql.bind(Map.of()).isEmpty(), is(true));
    }
}
