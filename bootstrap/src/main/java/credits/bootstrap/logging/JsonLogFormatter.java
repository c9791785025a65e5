package credits.bootstrap.logging;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import java.util.Set;
import java.util.logging.LogRecord;

/**
 * One JSON object per line, for log shippers: {@code time}, {@code level}, {@code logger},
 * {@code message}, {@code request_id} when the logging thread had one, and {@code exception_class},
 * {@code exception_message}, {@code stack_trace} when a throwable came with the record. An access
 * record ({@value #ACCESS_LOGGER}) carries its fields as top-level members instead of a message.
 * Jackson writes the strings, so quotes, backslashes, control characters and line breaks in a
 * message can neither break the line nor forge another.
 */
public final class JsonLogFormatter extends LogFormatter {

    private static final JsonFactory JSON = JsonFactory.builder().build();
    // Written by the formatter itself: an access map cannot overwrite them.
    private static final Set<String> OWN_FIELDS = Set.of("time", "level", "logger");

    @Override
    public String format(LogRecord record, String requestId) {
        StringWriter line = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(line)) {
            json.writeStartObject();
            json.writeStringField("time", time(record));
            json.writeStringField("level", level(record.getLevel()));
            json.writeStringField("logger", record.getLoggerName() == null ? "" : record.getLoggerName());
            if (isAccessRecord(record)) {
                writeAccessFields(json, accessFields(record));
            } else {
                json.writeStringField("message", message(record));
                if (requestId != null) {
                    json.writeStringField("request_id", requestId);
                }
                Throwable thrown = record.getThrown();
                if (thrown != null) {
                    json.writeStringField("exception_class", thrown.getClass().getName());
                    if (thrown.getMessage() != null) {
                        json.writeStringField("exception_message", scrub(thrown.getMessage()));
                    }
                    json.writeStringField("stack_trace", stackTrace(thrown));
                }
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return line.append('\n').toString();
    }

    private static void writeAccessFields(JsonGenerator json, Map<String, Object> fields) throws IOException {
        for (Map.Entry<String, Object> field : fields.entrySet()) {
            String key = field.getKey();
            if (key == null || OWN_FIELDS.contains(key) || isSensitive(key)) {
                continue;
            }
            json.writeFieldName(key);
            writeValue(json, field.getValue());
        }
    }

    private static void writeValue(JsonGenerator json, Object value) throws IOException {
        switch (value) {
            case null -> json.writeNull();
            case Integer number -> json.writeNumber(number);
            case Long number -> json.writeNumber(number);
            case Short number -> json.writeNumber(number);
            case Double number when Double.isFinite(number) -> json.writeNumber(number);
            case Float number when Float.isFinite(number) -> json.writeNumber(number);
            case BigDecimal number -> json.writeNumber(number);
            case BigInteger number -> json.writeNumber(number);
            case Boolean bool -> json.writeBoolean(bool);
            case java.util.Optional<?> optional -> writeValue(json, optional.orElse(null));
            default -> json.writeString(String.valueOf(value));
        }
    }
}
