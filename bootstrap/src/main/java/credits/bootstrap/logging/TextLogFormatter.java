package credits.bootstrap.logging;

import java.util.Map;
import java.util.logging.LogRecord;

/**
 * Plain lines for a developer's terminal ({@code CREDITS_LOG_FORMAT=text}):
 * {@code 2024-01-15T10:30:00.000Z INFO  credits.bootstrap.Main [req_…] message}, a stack trace on the
 * lines after it; access records as {@code key=value} pairs. Line breaks inside a message are shown
 * as {@code \n} so that one event stays one line.
 */
public final class TextLogFormatter extends LogFormatter {

    @Override
    public String format(LogRecord record, String requestId) {
        StringBuilder line = new StringBuilder(160)
                .append(time(record)).append(' ')
                .append(pad(level(record.getLevel()))).append(' ')
                .append(record.getLoggerName());
        if (isAccessRecord(record)) {
            for (Map.Entry<String, Object> field : accessFields(record).entrySet()) {
                if (field.getKey() != null && !isSensitive(field.getKey())) {
                    line.append(' ').append(field.getKey()).append('=').append(oneLine(String.valueOf(field.getValue())));
                }
            }
            return line.append('\n').toString();
        }
        if (requestId != null) {
            line.append(" [").append(requestId).append(']');
        }
        line.append(' ').append(oneLine(message(record))).append('\n');
        if (record.getThrown() != null) {
            line.append(stackTrace(record.getThrown()));
        }
        return line.toString();
    }

    private static String pad(String level) {
        return level.length() >= 5 ? level : level + " ".repeat(5 - level.length());
    }

    private static String oneLine(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                if (out == null) {
                    out = new StringBuilder(text.length() + 8).append(text, 0, i);
                }
                switch (c) {
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    default -> out.append(String.format("\\u%04x", (int) c));
                }
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }
}
