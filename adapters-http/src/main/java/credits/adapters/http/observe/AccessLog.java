package credits.adapters.http.observe;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * One record per request on the {@value #LOGGER_NAME} logger at INFO: message {@value #MESSAGE}, and as
 * its only parameter an ordered map of {@code request_id, method, route, status, latency_ms, user_id,
 * bytes}. The log formatter decides JSON or text. Never headers, tokens, query strings or bodies: the
 * route is the template, not the path (which can carry user ids).
 */
public final class AccessLog {

    public static final String LOGGER_NAME = "credits.access";
    public static final String MESSAGE = "access";

    private static final Logger LOGGER = Logger.getLogger(LOGGER_NAME);

    private AccessLog() {
    }

    /** Cheap enough to ask per request: nothing is built when the logger is off. */
    public static boolean enabled() {
        return LOGGER.isLoggable(Level.INFO);
    }

    /**
     * @param route         the matched route template, {@code unmatched} when none matched
     * @param latencyMillis from the first filter to the response being sent; {@code null} when unknown
     * @param userId        the authenticated caller (for a deduction the metering gateway, not the charged
     *                      user), {@code null} when there is none
     * @param bytes         what was written for the response, status line and headers included, when the
     *                      server reports it; else its Content-Length; {@code null} when unknown
     */
    public static void write(String requestId, String method, String route, int status, Double latencyMillis,
                             String userId, Long bytes) {
        Map<String, Object> fields = new LinkedHashMap<>(10);
        fields.put("request_id", requestId);
        fields.put("method", method);
        fields.put("route", route);
        fields.put("status", status);
        fields.put("latency_ms", latencyMillis);
        fields.put("user_id", userId);
        fields.put("bytes", bytes);
        LogRecord record = new LogRecord(Level.INFO, MESSAGE);
        record.setLoggerName(LOGGER_NAME);
        record.setParameters(new Object[] {fields});
        LOGGER.log(record);
    }
}
