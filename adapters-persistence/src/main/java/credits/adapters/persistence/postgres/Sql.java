package credits.adapters.persistence.postgres;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;

/**
 * A statement written with {@code :named} parameters, turned into JDBC's positional form once, when
 * the adapter class loads. Helidon DbClient would re-parse named SQL on every call (and hash the text
 * to name an unnamed statement); the profile showed both on the hot path, so they are done here once.
 * The statements are ours: parameters are plain lower-case identifiers, and {@code ::} casts are
 * refused so a colon can only start a parameter.
 */
final class Sql {

    private static final Pattern PARAMETER = Pattern.compile(":([a-z_]+)");

    private final String name;
    private final String jdbc;
    private final List<String> order;

    private Sql(String name, String jdbc, List<String> order) {
        this.name = name;
        this.jdbc = jdbc;
        this.order = List.copyOf(order);
    }

    static Sql named(String name, String text) {
        if (text.contains("::")) {
            throw new IllegalArgumentException(name + ": write CAST(... AS type), not ::type, so parameters stay unambiguous");
        }
        List<String> order = new ArrayList<>();
        Matcher matcher = PARAMETER.matcher(text);
        StringBuilder jdbc = new StringBuilder(text.length());
        while (matcher.find()) {
            order.add(matcher.group(1));
            matcher.appendReplacement(jdbc, "?");
        }
        matcher.appendTail(jdbc);
        return new Sql(name, jdbc.toString(), order);
    }

    /** The statement's name in DbClient's logs and errors. */
    String name() {
        return name;
    }

    /** The text with every {@code :name} replaced by {@code ?}. */
    String jdbc() {
        return jdbc;
    }

    /**
     * The values in parameter order. Every parameter must have an entry (an entry may be
     * {@code null}, bound as SQL NULL), so a misspelt name fails loudly instead of binding NULL.
     * Entries no parameter names are ignored: one map of a move's values serves several statements.
     */
    List<Object> bind(Map<String, ?> values) {
        Object[] bound = new Object[order.size()];
        for (int i = 0; i < bound.length; i++) {
            String parameter = order.get(i);
            if (!values.containsKey(parameter)) {
                throw new IllegalArgumentException(name + ": no value for :" + parameter);
            }
            bound[i] = values.get(parameter);
        }
        // Arrays.asList, not List.of: NULL is a legitimate value.
        return Arrays.asList(bound);
    }

    /** Runs this statement for at most one row. */
    Optional<DbRow> get(DbExecute execute, Map<String, ?> values) {
        return execute.createNamedGet(name, jdbc).params(bind(values)).execute();
    }

    /** Runs this statement for its rows; the caller closes the stream. */
    Stream<DbRow> query(DbExecute execute, Map<String, ?> values) {
        return execute.createNamedQuery(name, jdbc).params(bind(values)).execute();
    }

    /** Runs this statement and answers how many rows it changed. */
    long dml(DbExecute execute, Map<String, ?> values) {
        return execute.createNamedDmlStatement(name, jdbc).params(bind(values)).execute();
    }
}
