package credits.bootstrap;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import credits.adapters.persistence.postgres.PostgresReconciliation;
import credits.adapters.persistence.postgres.PostgresSettings;
import credits.domain.AccountAudit.Discrepancy;
import credits.domain.EntryId;
import credits.domain.UserId;

import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * {@code reconcile [--user ID] [--json]}: checks, on the configured database, that every account's
 * balance is the signed sum of its entries and what is left of its lots, its held part the sum of its
 * active holds, and its hash chain unbroken (api.md, "Tamper evidence and reconciliation"). Prints one
 * line per discrepancy on stdout and a summary; progress goes to stderr when it takes long. Exit 0
 * when everything holds, 1 on any discrepancy, 2 when it could not run. It only reads, whether or not
 * the service runs on that database.
 */
final class ReconcileCommand {

    static final int CLEAN = 0;
    static final int DISCREPANCIES = 1;
    static final int COULD_NOT_RUN = 2;
    private static final String USAGE = "usage: reconcile [--user ID] [--json]";
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
    private static final JsonFactory JSON = new JsonFactory();

    private ReconcileCommand() {
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        return run(args, env, out, err, System::nanoTime);
    }

    /** With {@code nanoTime} as the clock that paces progress reports and times the run. */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err, LongSupplier nanoTime) {
        Optional<UserId> user = Optional.empty();
        boolean json = false;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--json" -> json = true;
                    case "--user" -> {
                        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                            throw new IllegalArgumentException("--user needs a value");
                        }
                        user = Optional.of(new UserId(args[++i]));
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
        } catch (IllegalArgumentException e) { // includes InvalidValueException from the user id
            err.println(e.getMessage() + "\n" + USAGE);
            return COULD_NOT_RUN;
        }
        Report report = new Report(out, err, json, nanoTime);
        try {
            Settings settings = Settings.load(env);
            if (settings.store() == Settings.Store.MEMORY) {
                err.println("reconcile could not run: CREDITS_STORE=memory keeps nothing to reconcile");
                return COULD_NOT_RUN;
            }
            PostgresReconciliation.Summary summary = settings.embeddedDatabase()
                    ? onEmbedded(settings, user, report) : PostgresReconciliation.run(external(settings), user, report::discrepancy,
                    report::progress);
            report.summary(summary);
            return summary.discrepancies() == 0 ? CLEAN : DISCREPANCIES;
        } catch (SQLException e) {
            err.println("reconcile could not run: the database could not be read: " + e.getMessage()
                    + (e.getSQLState() == null ? "" : " (SQLSTATE " + e.getSQLState() + ")"));
            return COULD_NOT_RUN;
        } catch (IOException | RuntimeException e) { // bad settings, no cluster, PostgreSQL that does not start
            err.println("reconcile could not run: " + e.getMessage());
            return COULD_NOT_RUN;
        }
    }

    /**
     * On the embedded database: the one a running service started, or, when none runs, one started
     * here as the service would (and stopped after), holding the data dir's lock meanwhile.
     */
    private static PostgresReconciliation.Summary onEmbedded(Settings settings, Optional<UserId> user, Report report)
            throws IOException, SQLException {
        Path dataDir = settings.dataDir();
        if (!EmbeddedPostgresServer.hasCluster(dataDir)) {
            throw new IllegalStateException("no embedded database in data dir " + dataDir.toAbsolutePath()
                    + " (set CREDITS_DATA_DIR or CREDITS_DB_URL)");
        }
        EmbeddedPostgresServer started;
        try {
            started = EmbeddedPostgresServer.start(dataDir);
        } catch (EmbeddedPostgresServer.DataDirInUseException running) {
            PostgresSettings db = database(settings, EmbeddedPostgresServer.runningJdbcUrl(dataDir), EmbeddedAccess.RUNTIME,
                    EmbeddedPostgresServer.runtimePassword(dataDir));
            return PostgresReconciliation.run(db, user, report::discrepancy, report::progress);
        }
        try (started) {
            PostgresSettings db = database(settings, started.jdbcUrl(), started.user(), started.password());
            return PostgresReconciliation.run(db, user, report::discrepancy, report::progress);
        }
    }

    private static PostgresSettings external(Settings settings) {
        return database(settings, settings.dbUrl().orElseThrow(), settings.dbUser().orElse(""), settings.dbPassword().orElse(""));
    }

    // The service's runtime role: it may read every table, and reconcile needs nothing more.
    private static PostgresSettings database(Settings settings, String url, String user, String password) {
        return new PostgresSettings(url, user, password, 1, settings.dbConnectTimeout(), settings.dbStatementTimeout());
    }

    /** What reconcile prints: discrepancies and the summary on stdout, as text or JSON lines; progress on stderr. */
    private static final class Report {
        private final PrintStream out;
        private final PrintStream err;
        private final boolean json;
        private final LongSupplier nanoTime;
        private final long started;
        private long lastProgress;

        Report(PrintStream out, PrintStream err, boolean json, LongSupplier nanoTime) {
            this.out = out;
            this.err = err;
            this.json = json;
            this.nanoTime = nanoTime;
            this.started = nanoTime.getAsLong();
            this.lastProgress = started;
        }

        void discrepancy(Discrepancy found) {
            String entry = found.entry().map(EntryId::toString).orElse(null);
            if (json) {
                out.println(json(generator -> {
                    generator.writeStringField("account", found.account());
                    generator.writeStringField("entry", entry);
                    generator.writeStringField("check", found.check().code());
                    generator.writeStringField("expected", found.expected());
                    generator.writeStringField("found", found.found());
                }));
            } else {
                out.println("discrepancy account=" + word(found.account()) + " entry=" + (entry == null ? "-" : entry)
                        + " check=" + found.check().code() + " expected=" + word(found.expected()) + " found=" + word(found.found()));
            }
        }

        void progress(long accounts, long entries) {
            long now = nanoTime.getAsLong();
            if (now - lastProgress >= PROGRESS_EVERY.toNanos()) {
                lastProgress = now;
                err.println("reconcile: " + accounts + " accounts, " + entries + " entries checked so far ("
                        + Duration.ofNanos(now - started).toSeconds() + " s)");
            }
        }

        void summary(PostgresReconciliation.Summary summary) {
            long millis = Duration.ofNanos(nanoTime.getAsLong() - started).toMillis();
            if (json) {
                out.println(json(generator -> {
                    generator.writeNumberField("accounts", summary.accounts());
                    generator.writeNumberField("entries", summary.entries());
                    generator.writeNumberField("discrepancies", summary.discrepancies());
                    generator.writeNumberField("elapsed_ms", millis);
                }));
            } else {
                out.println("reconcile: " + summary.accounts() + " accounts, " + summary.entries() + " entries checked, "
                        + summary.discrepancies() + " discrepancies (" + millis + " ms)");
            }
        }

        /** A value as one word of the line: as it is when it has no space, quote or '=', else JSON-quoted. */
        private static String word(String value) {
            if (!value.isEmpty() && value.chars().noneMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c)
                    || c == '"' || c == '=')) {
                return value;
            }
            return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(value)) + "\"";
        }

        private interface Fields {
            void write(JsonGenerator generator) throws IOException;
        }

        private static String json(Fields fields) {
            StringWriter text = new StringWriter();
            try (JsonGenerator generator = JSON.createGenerator(text)) {
                generator.writeStartObject();
                fields.write(generator);
                generator.writeEndObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return text.toString();
        }
    }
}
