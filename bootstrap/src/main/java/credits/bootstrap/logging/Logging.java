package credits.bootstrap.logging;

import credits.bootstrap.Settings.LogFormat;
import io.helidon.logging.common.LogConfig;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * Sets up java.util.logging, which everything logs through (System.Logger, Helidon, and SLF4J via
 * slf4j-jdk14): levels from {@code logging.properties} on the classpath, and one handler writing
 * the chosen format to stdout off the request threads. An operator's own
 * {@code -Djava.util.logging.config.file} wins over all of it.
 */
public final class Logging {

    /** Records that may wait for the writer; at ~300 bytes a line, about 2.5 MB at most. */
    static final int QUEUE_CAPACITY = 8_192;

    private static final String HELIDON_LOGGING_DISABLED = "io.helidon.logging.config.disabled";

    private static volatile AsyncConsoleHandler installed;

    private Logging() {
    }

    /** Installs the stdout handler in {@code format}; calling it again switches the format. */
    public static synchronized void configure(LogFormat format) {
        if (System.getProperty("java.util.logging.config.file") != null
                || System.getProperty("java.util.logging.config.class") != null) {
            return;
        }
        // Helidon configures JUL itself the first time any of its classes touches LogConfig, which
        // can be late (it was during shutdown): it re-reads logging.properties, and that removes our
        // handler. Tell it not to, and let its one-time initialisation happen now.
        System.setProperty(HELIDON_LOGGING_DISABLED, "true");
        LogConfig.initClass();
        LogManager manager = LogManager.getLogManager();
        try (InputStream levels = Logging.class.getResourceAsStream("/logging.properties")) {
            if (levels != null) {
                manager.readConfiguration(levels);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read logging.properties", e);
        }
        Logger root = Logger.getLogger("");
        for (Handler handler : root.getHandlers()) {
            root.removeHandler(handler);
            handler.close();
        }
        AsyncConsoleHandler handler = new AsyncConsoleHandler(System.out, formatter(format), QUEUE_CAPACITY);
        root.addHandler(handler);
        installed = handler;
    }

    static LogFormatter formatter(LogFormat format) {
        return format == LogFormat.TEXT ? new TextLogFormatter() : new JsonLogFormatter();
    }

    /** Log records dropped because stdout could not keep up; 0 when this handler is not in use. */
    public static long droppedRecords() {
        AsyncConsoleHandler handler = installed;
        return handler == null ? 0 : handler.droppedRecords();
    }

    /** Writes out what is queued; for shutdown, before the JVM stops. */
    public static void flush() {
        AsyncConsoleHandler handler = installed;
        if (handler != null) {
            handler.flush();
        }
    }
}
