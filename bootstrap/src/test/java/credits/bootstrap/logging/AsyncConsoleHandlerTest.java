package credits.bootstrap.logging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import credits.adapters.http.request.RequestId;
import io.helidon.logging.common.HelidonMdc;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

import static credits.bootstrap.logging.JsonLogFormatterTest.record;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

class AsyncConsoleHandlerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void recordsAreWrittenInOrderOneJsonObjectPerLine() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AsyncConsoleHandler handler = new AsyncConsoleHandler(out, new JsonLogFormatter(), 100);

        for (int i = 0; i < 50; i++) {
            handler.publish(record(Level.INFO, "x", "event " + i));
        }
        handler.flush();

        List<String> messages = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            messages.add(JSON.readTree(line).get("message").asText());
        }
        assertThat(messages, hasSize(50));
        assertThat(messages.get(0), is("event 0"));
        assertThat(messages.get(49), is("event 49"));
        handler.close();
    }

    @Test
    void theRequestIdIsTakenOnTheLoggingThreadNotTheWriterThread() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AsyncConsoleHandler handler = new AsyncConsoleHandler(out, new JsonLogFormatter(), 100);

        HelidonMdc.set(RequestId.MDC_KEY, "req_logged_here");
        try {
            handler.publish(record(Level.INFO, "x", "inside a request"));
        } finally {
            HelidonMdc.remove(RequestId.MDC_KEY);
        }
        handler.flush();

        JsonNode json = JSON.readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(json.get("request_id").asText(), is("req_logged_here"));
        handler.close();
    }

    @Test
    void aStalledStdoutNeverBlocksTheLoggerRecordsAreDroppedAndCountedInstead() throws Exception {
        StalledOutput out = new StalledOutput();
        AsyncConsoleHandler handler = new AsyncConsoleHandler(out, new TextLogFormatter(), 4);

        handler.publish(record(Level.INFO, "x", "first")); // taken by the writer, which then stalls on write
        assertThat(out.writing.await(5, TimeUnit.SECONDS), is(true));
        long started = System.nanoTime();
        for (int i = 0; i < 100; i++) {
            handler.publish(record(Level.INFO, "x", "burst " + i));
        }
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertThat("publishing 100 records against a stalled stdout took " + tookMillis + " ms", tookMillis < 1_000, is(true));
        assertThat(handler.droppedRecords(), is(96L));

        out.release.countDown();
        handler.flush();
        handler.publish(record(Level.INFO, "x", "after the stall"));
        handler.flush();
        String written = out.written();
        assertThat(written, containsString("burst 3"));
        assertThat(written, containsString("after the stall"));
        assertThat(written, containsString("Log queue full: 96 log records dropped"));
        handler.close();
    }

    @Test
    void afterCloseRecordsAreWrittenAtOnceSoShutdownMessagesAreNotLost() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AsyncConsoleHandler handler = new AsyncConsoleHandler(out, new TextLogFormatter(), 10);
        handler.publish(record(Level.INFO, "x", "before close"));

        handler.close();
        handler.publish(record(Level.INFO, "x", "after close"));

        String written = out.toString(StandardCharsets.UTF_8);
        assertThat(written.indexOf("before close") >= 0 && written.indexOf("before close") < written.indexOf("after close"),
                is(true));
    }

    @Test
    void recordsBelowTheHandlersLevelAreIgnored() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AsyncConsoleHandler handler = new AsyncConsoleHandler(out, new TextLogFormatter(), 10);
        handler.setLevel(Level.WARNING);

        handler.publish(record(Level.INFO, "x", "chatter"));
        handler.publish(record(Level.WARNING, "x", "warning"));
        handler.flush();

        assertThat(out.toString(StandardCharsets.UTF_8).split("\n").length, is(1));
        assertThat(out.size(), greaterThan(0));
        handler.close();
    }

    /** An stdout whose reader stopped reading: the first write blocks until released. */
    private static final class StalledOutput extends OutputStream {
        final CountDownLatch writing = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            writing.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (buffer) {
                buffer.write(bytes, offset, length);
            }
        }

        String written() {
            synchronized (buffer) {
                return buffer.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
