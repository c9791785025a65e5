package credits.bootstrap.logging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import credits.adapters.http.request.RequestId;
import io.helidon.logging.common.HelidonMdc;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

class JsonLogFormatterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant AT = Instant.parse("2024-01-15T10:30:00.123456Z");

    private final JsonLogFormatter formatter = new JsonLogFormatter();

    @Test
    void anEventIsOneJsonObjectOnOneLineWithTimeLevelLoggerAndMessage() throws Exception {
        String line = formatter.format(record(Level.INFO, "credits.bootstrap.Main", "Credits service ready"), null);

        assertThat(line, endsWith("}\n"));
        assertThat(line.indexOf('\n'), is(line.length() - 1));
        JsonNode json = JSON.readTree(line);
        assertThat(json.get("time").asText(), is("2024-01-15T10:30:00.123Z"));
        assertThat(json.get("level").asText(), is("INFO"));
        assertThat(json.get("logger").asText(), is("credits.bootstrap.Main"));
        assertThat(json.get("message").asText(), is("Credits service ready"));
        assertThat(json.has("request_id"), is(false));
        assertThat(json.has("exception_class"), is(false));
    }

    @Test
    void quotesBackslashesLineBreaksAndControlCharactersCannotBreakOrForgeALine() throws Exception {
        String nasty = "he said \"hi\"\\ and left\n{\"level\":\"ERROR\",\"message\":\"forged\"}\r\t\u0001 ünïcödé €";

        String line = formatter.format(record(Level.WARNING, "x", nasty), null);

        assertThat(line.indexOf('\n'), is(line.length() - 1));
        assertThat(line.indexOf('\r'), is(-1));
        assertThat(JSON.readTree(line).get("message").asText(), is(nasty));
    }

    @Test
    void theRequestIdOfTheLoggingThreadIsAddedFromTheMdc() throws Exception {
        HelidonMdc.set(RequestId.MDC_KEY, "req_from_mdc");
        try {
            JsonNode json = JSON.readTree(formatter.format(record(Level.INFO, "x", "handled")));

            assertThat(json.get("request_id").asText(), is("req_from_mdc"));
        } finally {
            HelidonMdc.remove(RequestId.MDC_KEY);
        }
    }

    @Test
    void anExceptionBringsItsClassMessageAndStackTrace() throws Exception {
        LogRecord record = record(Level.SEVERE, "credits.adapters.http.error.ProblemErrorHandler", "Unexpected error");
        record.setThrown(new IllegalStateException("the pool is closed", new RuntimeException("root cause")));

        JsonNode json = JSON.readTree(formatter.format(record, "req_1"));

        assertThat(json.get("level").asText(), is("ERROR"));
        assertThat(json.get("request_id").asText(), is("req_1"));
        assertThat(json.get("exception_class").asText(), is("java.lang.IllegalStateException"));
        assertThat(json.get("exception_message").asText(), is("the pool is closed"));
        assertThat(json.get("stack_trace").asText(), containsString("at credits.bootstrap.logging.JsonLogFormatterTest"));
        assertThat(json.get("stack_trace").asText(), containsString("Caused by: java.lang.RuntimeException: root cause"));
    }

    @Test
    void anAccessRecordsFieldsBecomeTopLevelMembersInTheirOrderWithoutMessageOrException() throws Exception {
        LogRecord access = accessRecord(fields("req_42", "GET", "/api/billing/credits", 200, 3.25, "user_123", 211L));
        access.setThrown(new IllegalStateException("must not appear"));

        JsonNode json = JSON.readTree(formatter.format(access, "req_from_mdc_is_ignored"));

        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        assertThat(names, contains("time", "level", "logger", "request_id", "method", "route", "status", "latency_ms",
                "user_id", "bytes"));
        assertThat(json.get("logger").asText(), is("credits.access"));
        assertThat(json.get("request_id").asText(), is("req_42"));
        assertThat(json.get("status").isInt(), is(true));
        assertThat(json.get("status").asInt(), is(200));
        assertThat(json.get("latency_ms").asDouble(), is(3.25));
        assertThat(json.get("bytes").isIntegralNumber(), is(true));
        assertThat(json.get("user_id").asText(), is("user_123"));
    }

    @Test
    void anAnonymousAccessRecordHasANullUserId() throws Exception {
        JsonNode json = JSON.readTree(formatter.format(accessRecord(fields("req_1", "GET", "unmatched", 404, null, null, null)),
                null));

        assertThat(json.get("user_id").isNull(), is(true));
        assertThat(json.get("latency_ms").isNull(), is(true));
    }

    @Test
    void credentialFieldsOfAnAccessRecordAreNeverWrittenNorCanTheyOverwriteTheLinesOwnFields() throws Exception {
        Map<String, Object> fields = fields("req_1", "GET", "/api/billing/credits", 200, 1.0, "u", 10L);
        fields.put("authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.c2lnbmF0dXJl");
        fields.put("Authorization", "Bearer abc");
        fields.put("access_token", "secret-token");
        fields.put("level", "DEBUG");
        fields.put("time", "yesterday");

        String line = formatter.format(accessRecord(fields), null);

        JsonNode json = JSON.readTree(line);
        assertThat(line, not(containsString("eyJ")));
        assertThat(line, not(containsString("Bearer")));
        assertThat(line, not(containsString("secret-token")));
        assertThat(json.get("level").asText(), is("INFO"));
        assertThat(json.get("time").asText(), is("2024-01-15T10:30:00.123Z"));
    }

    @Test
    void aBearerTokenOrJwtThatSlippedIntoAMessageIsScrubbed() throws Exception {
        String jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        LogRecord record = record(Level.WARNING, "x", "Refused Authorization: Bearer " + jwt + " and raw " + jwt);
        record.setThrown(new IllegalArgumentException("bad token " + jwt));

        String line = formatter.format(record, null);

        assertThat(line, not(containsString("eyJzdWIiOiJhbGljZSJ9")));
        assertThat(JSON.readTree(line).get("message").asText(), is("Refused Authorization: Bearer *** and raw ***"));
        assertThat(JSON.readTree(line).get("exception_message").asText(), is("bad token ***"));
    }

    @Test
    void parametersAreFilledIntoTheMessage() throws Exception {
        LogRecord record = record(Level.INFO, "x", "pool {0} has {1} connections");
        record.setParameters(new Object[] {"credits", 8});

        assertThat(JSON.readTree(formatter.format(record, null)).get("message").asText(), is("pool credits has 8 connections"));
    }

    @Test
    void levelsUseTheNamesLogToolsKnow() throws Exception {
        assertThat(levelOf(Level.SEVERE), is("ERROR"));
        assertThat(levelOf(Level.WARNING), is("WARN"));
        assertThat(levelOf(Level.INFO), is("INFO"));
        assertThat(levelOf(Level.CONFIG), is("INFO"));
        assertThat(levelOf(Level.FINE), is("DEBUG"));
        assertThat(levelOf(Level.FINEST), is("TRACE"));
    }

    @Test
    void aRecordWithoutLoggerNameStillGivesValidJson() throws Exception {
        LogRecord record = new LogRecord(Level.INFO, null);

        JsonNode json = JSON.readTree(formatter.format(record, null));

        assertThat(json.get("logger").asText(), is(""));
        assertThat(json.get("message").isNull(), is(true));
        assertThat(json.get("request_id"), nullValue());
    }

    private String levelOf(Level level) throws Exception {
        return JSON.readTree(formatter.format(record(level, "x", "m"), null)).get("level").asText();
    }

    static LogRecord record(Level level, String logger, String message) {
        LogRecord record = new LogRecord(level, message);
        record.setLoggerName(logger);
        record.setInstant(AT);
        return record;
    }

    static LogRecord accessRecord(Map<String, Object> fields) {
        LogRecord record = record(Level.INFO, LogFormatter.ACCESS_LOGGER, "access");
        record.setParameters(new Object[] {fields});
        return record;
    }

    static Map<String, Object> fields(String requestId, String method, String route, int status, Double latency,
                                      String userId, Long bytes) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("request_id", requestId);
        fields.put("method", method);
        fields.put("route", route);
        fields.put("status", status);
        fields.put("latency_ms", latency);
        fields.put("user_id", userId);
        fields.put("bytes", bytes);
        return fields;
    }
}
