package credits.bootstrap;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * A background worker's rhythm: a pass every interval on its own daemon thread, and another at once
 * while passes come back full, so a backlog drains without waiting. A pass that throws is logged
 * (its exception's class only: messages may carry SQL) and the next run tries again.
 */
final class RepeatedPasses implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RepeatedPasses.class.getName());

    private final String name;
    private final IntSupplier pass;
    private final int full;
    private final ScheduledExecutorService scheduler;

    private RepeatedPasses(String name, IntSupplier pass, int full) {
        this.name = name;
        this.pass = pass;
        this.full = full;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Runs {@code pass} (answering how much it did; {@code full} is the most one may do) on thread {@code name}. */
    static RepeatedPasses start(String name, Duration interval, IntSupplier pass, int full) {
        RepeatedPasses passes = new RepeatedPasses(Objects.requireNonNull(name, "name"), Objects.requireNonNull(pass, "pass"), full);
        passes.scheduler.scheduleWithFixedDelay(passes::run, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return passes;
    }

    /** Passes until one does less than a full one. */
    void run() {
        try {
            while (pass.getAsInt() == full && !Thread.currentThread().isInterrupted()) {
                LOG.log(Level.DEBUG, name + ": a full pass, running another");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, name + " pass failed: " + e.getClass().getSimpleName());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
