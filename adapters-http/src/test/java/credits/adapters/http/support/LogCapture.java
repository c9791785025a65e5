package credits.adapters.http.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects what one JUL logger publishes, at the given level, and keeps it out of the build output;
 * closing restores the logger as it was.
 */
public final class LogCapture implements AutoCloseable {

    private final Logger logger;
    private final Level previousLevel;
    private final boolean previousUseParent;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final BlockingQueue<LogRecord> arrivals = new LinkedBlockingQueue<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
            arrivals.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private LogCapture(String loggerName, Level level) {
        this.logger = Logger.getLogger(loggerName);
        this.previousLevel = logger.getLevel();
        this.previousUseParent = logger.getUseParentHandlers();
        logger.setLevel(level);
        logger.setUseParentHandlers(false);
        logger.addHandler(handler);
    }

    public static LogCapture of(String loggerName, Level level) {
        return new LogCapture(loggerName, level);
    }

    public List<LogRecord> records() {
        return List.copyOf(records);
    }

    /**
     * Waits for the next {@code count} records not yet taken: records written after a response is sent
     * (the access log) can arrive a moment after the client has the response.
     */
    public List<LogRecord> next(int count) throws InterruptedException {
        List<LogRecord> taken = new ArrayList<>(count);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (taken.size() < count) {
            LogRecord record = arrivals.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (record == null) {
                throw new AssertionError("expected " + count + " log records, got " + taken.size());
            }
            taken.add(record);
        }
        return taken;
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
        logger.setUseParentHandlers(previousUseParent);
        logger.setLevel(previousLevel);
    }
}
