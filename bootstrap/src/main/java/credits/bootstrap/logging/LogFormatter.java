package credits.bootstrap.logging;

import credits.adapters.http.request.RequestId;
import io.helidon.logging.common.HelidonMdc;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.regex.Pattern;

/**
 * What the service's two log formats share: the request id of the thread that logged (from the
 * MDC, captured on that thread even when the line is written later by another), UTC times with
 * milliseconds, level names as log tools know them, the access-log record shape, and scrubbing of
 * credentials that slipped into a message.
 */
public abstract class LogFormatter extends Formatter {

    /** The logger of the one-line-per-request access log; its single parameter is the line's fields. */
    public static final String ACCESS_LOGGER = "credits.access";

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    // A bearer token or a bare JWT never belongs in a log line, whoever put it into a message.
    private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]+");
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");

    @Override
    public final String format(LogRecord record) {
        return format(record, currentRequestId());
    }

    /**
     * One line (text: plus any stack trace) for the record.
     *
     * @param requestId the request id of the thread that logged, or {@code null}
     */
    public abstract String format(LogRecord record, String requestId);

    /** The request id in this thread's MDC, or {@code null}. */
    static String currentRequestId() {
        return HelidonMdc.get(RequestId.MDC_KEY).orElse(null);
    }

    static String time(LogRecord record) {
        return TIME.format(record.getInstant() == null ? Instant.now() : record.getInstant());
    }

    /** JUL's levels under the names log tools use. */
    static String level(Level level) {
        int value = level.intValue();
        if (value >= Level.SEVERE.intValue()) {
            return "ERROR";
        }
        if (value >= Level.WARNING.intValue()) {
            return "WARN";
        }
        if (value >= Level.CONFIG.intValue()) {
            return "INFO";
        }
        if (value >= Level.FINE.intValue()) {
            return "DEBUG";
        }
        return "TRACE";
    }

    static boolean isAccessRecord(LogRecord record) {
        Object[] parameters = record.getParameters();
        return ACCESS_LOGGER.equals(record.getLoggerName()) && parameters != null && parameters.length == 1
                && parameters[0] instanceof Map;
    }

    /** The access line's fields, in the order the HTTP adapter put them. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> accessFields(LogRecord record) {
        return (Map<String, Object>) record.getParameters()[0];
    }

    /** Field names that could carry credentials are never written, whatever a caller put into the map. */
    static boolean isSensitive(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        return lower.contains("authorization") || lower.contains("token") || lower.contains("secret")
                || lower.contains("password") || lower.contains("cookie");
    }

    /** The message with its parameters filled in, and credentials scrubbed. */
    String message(LogRecord record) {
        return scrub(formatMessage(record));
    }

    static String stackTrace(Throwable thrown) {
        StringWriter text = new StringWriter();
        try (PrintWriter writer = new PrintWriter(text)) {
            thrown.printStackTrace(writer);
        }
        return scrub(text.toString());
    }

    static String scrub(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String scrubbed = BEARER.matcher(text).replaceAll("$1***");
        return JWT.matcher(scrubbed).replaceAll("***");
    }
}
