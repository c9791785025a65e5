package credits.bootstrap.logging;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static credits.bootstrap.logging.JsonLogFormatterTest.accessRecord;
import static credits.bootstrap.logging.JsonLogFormatterTest.fields;
import static credits.bootstrap.logging.JsonLogFormatterTest.record;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

class TextLogFormatterTest {

    private final TextLogFormatter formatter = new TextLogFormatter();

    @Test
    void anEventIsOneReadableLineWithTimeLevelLoggerRequestIdAndMessage() {
        String line = formatter.format(record(Level.INFO, "credits.bootstrap.Main", "Credits service ready"), "req_7");

        assertThat(line, is("2024-01-15T10:30:00.123Z INFO  credits.bootstrap.Main [req_7] Credits service ready\n"));
    }

    @Test
    void lineBreaksInAMessageAreShownEscapedSoOneEventStaysOneLine() {
        String line = formatter.format(record(Level.WARNING, "x", "first\nsecond\r\tthird\u0007"), null);

        assertThat(line, is("2024-01-15T10:30:00.123Z WARN  x first\\nsecond\\r\\tthird\\u0007\n"));
    }

    @Test
    void anAccessRecordIsKeyValuePairsInOrder() {
        String line = formatter.format(accessRecord(fields("req_1", "POST", "/api/billing/credits/deductions", 201, 4.5,
                "meter_gateway", 230L)), null);

        assertThat(line, is("2024-01-15T10:30:00.123Z INFO  credits.access request_id=req_1 method=POST"
                + " route=/api/billing/credits/deductions status=201 latency_ms=4.5 user_id=meter_gateway bytes=230\n"));
    }

    @Test
    void credentialsNeverReachTheTextLineEither() {
        Map<String, Object> fields = fields("req_1", "GET", "/api/billing/credits", 200, 1.0, "u", 1L);
        fields.put("authorization", "Bearer abc.def.ghi");
        String jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.sig";

        String access = formatter.format(accessRecord(fields), null);
        String event = formatter.format(record(Level.INFO, "x", "token was Bearer " + jwt), null);

        assertThat(access, not(containsString("Bearer")));
        assertThat(event, not(containsString(jwt)));
        assertThat(event, containsString("Bearer ***"));
    }

    @Test
    void aStackTraceFollowsOnTheLinesAfterTheEvent() {
        LogRecord record = record(Level.SEVERE, "x", "Unexpected error");
        record.setThrown(new IllegalStateException("boom"));

        String text = formatter.format(record, null);

        assertThat(text, startsWith("2024-01-15T10:30:00.123Z ERROR x Unexpected error\njava.lang.IllegalStateException: boom\n"));
        assertThat(text, containsString("\tat credits.bootstrap.logging.TextLogFormatterTest"));
    }
}
