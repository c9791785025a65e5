package credits.bootstrap;

import credits.application.port.in.SettleExpiries;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the expiry sweep every interval on its own scheduler thread, so owed {@code expiry} entries
 * are written within a few seconds of their instant even for users nobody touches. Reads never wait
 * for it (they already exclude what expired), and every instance may run one: the store claims each
 * user with {@code FOR UPDATE SKIP LOCKED}, so no expiry is written twice.
 */
final class ExpirySweeper implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ExpirySweeper.class.getName());

    private final SettleExpiries settle;
    private final ScheduledExecutorService scheduler;

    private ExpirySweeper(SettleExpiries settle, ScheduledExecutorService scheduler) {
        this.settle = settle;
        this.scheduler = scheduler;
    }

    static ExpirySweeper start(SettleExpiries settle, Duration interval) {
        Objects.requireNonNull(settle, "settle");
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "expiry-sweeper");
            thread.setDaemon(true);
            return thread;
        });
        ExpirySweeper sweeper = new ExpirySweeper(settle, scheduler);
        scheduler.scheduleWithFixedDelay(sweeper::sweep, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return sweeper;
    }

    /** One sweep: passes until one settles fewer users than a pass may, so a backlog drains at once. */
    void sweep() {
        try {
            while (settle.settleOnce() == SettleExpiries.USERS_PER_PASS && !Thread.currentThread().isInterrupted()) {
                LOG.log(Level.DEBUG, "expiry sweep: a full pass, running another");
            }
        } catch (RuntimeException e) {
            // The next run tries again; a user's own next move writes its expiries meanwhile.
            LOG.log(Level.WARNING, "Expiry sweep failed: " + e.getClass().getSimpleName());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
