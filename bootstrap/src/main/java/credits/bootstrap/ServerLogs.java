package credits.bootstrap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The embedded PostgreSQL's own log: bounded and owner-only. PostgreSQL's logging collector
 * writes {@code <cluster>/log/postgresql-<start time>.log}, mode 0600, and starts a new file at
 * 10 MB or after a day; PostgreSQL never deletes one, so {@link #prune} keeps the newest
 * {@value #KEPT_FILES} and the service runs it at start and then every minute: at most about
 * 100 MB, plus whatever one minute can add. (A fixed ring of names with log_truncate_on_rotation
 * would need no pruning, but PostgreSQL truncates only on time-based rotation, so the size bound
 * would be lost.) Errors are logged terse and without their statement: a unique violation's
 * detail and the failing SQL carry user ids and idempotency keys.
 */
final class ServerLogs {

    static final String DIRECTORY = "log"; // relative to the cluster dir, which initdb makes 0700
    static final int KEPT_FILES = 10;
    // Timestamps that sort as text: the newest file is the last name.
    private static final String FILE_NAME = "postgresql-%Y-%m-%d_%H%M%S.log";
    private static final Pattern FILE = Pattern.compile("postgresql-\\d{4}-\\d{2}-\\d{2}_\\d{6}\\.log");

    /**
     * The server settings, passed on the postmaster's command line at every start. Zonky joins
     * them with spaces into one pg_ctl option, so no value may contain a space.
     */
    static final Map<String, String> SETTINGS = Map.of(
            "logging_collector", "on",
            "log_directory", DIRECTORY,
            "log_filename", FILE_NAME,
            "log_file_mode", "0600",
            "log_rotation_size", "10MB",
            "log_rotation_age", "1d",
            "log_truncate_on_rotation", "off",
            "log_min_error_statement", "panic",
            "log_error_verbosity", "terse");

    private ServerLogs() {
    }

    /** Deletes all but the newest {@code keep} log files; other files in the directory are left alone. */
    static void prune(Path logDirectory, int keep) throws IOException {
        if (!Files.isDirectory(logDirectory)) {
            return;
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(logDirectory)) {
            files = listing.filter(path -> FILE.matcher(path.getFileName().toString()).matches()).sorted().toList();
        }
        for (Path old : files.subList(0, Math.max(0, files.size() - keep))) {
            Files.deleteIfExists(old);
        }
    }
}
