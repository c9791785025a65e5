package credits.adapters.persistence.postgres;

import credits.domain.StorageUnavailableException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.both;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PoolGateTest {

    @Test
    void noMoreOperationsRunAtOnceThanThereAreConnectionsAndTheRestQueue() throws Exception {
        PoolGate gate = new PoolGate(3, Duration.ofSeconds(10));
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> done = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                done.add(threads.submit(() -> gate.through(() -> {
                    most.accumulateAndGet(running.incrementAndGet(), Math::max);
                    await(release);
                    running.decrementAndGet();
                    return 1;
                })));
            }
            // The first three are in and held there; then all of them go through, three at a time.
            Awaitility.await("three operations admitted").atMost(Duration.ofSeconds(10)).until(() -> running.get() == 3);
            Awaitility.await("the other 37 queued").atMost(Duration.ofSeconds(10)).until(() -> gate.queued() == 37);
            release.countDown();
            for (Future<Integer> each : done) {
                assertThat(each.get(30, TimeUnit.SECONDS), is(1));
            }
        }
        assertThat(most.get(), is(3));
    }

    @Test
    void anOperationThatCannotGetInWithinTheWaitIsStorageUnavailable() throws Exception {
        PoolGate gate = new PoolGate(1, Duration.ofMillis(200));
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = Thread.ofVirtual().start(() -> gate.through(() -> {
            holding.countDown();
            await(release);
            return null;
        }));
        holding.await();

        long started = System.nanoTime();
        assertThrows(StorageUnavailableException.class, () -> gate.through(() -> "never runs"));
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertThat(waitedMillis, is(both(greaterThanOrEqualTo(190L)).and(lessThan(2_000L))));
        release.countDown();
        holder.join();
    }

    @Test
    void aFailingOperationGivesItsPlaceBack() {
        PoolGate gate = new PoolGate(1, Duration.ofMillis(200));

        assertThrows(IllegalStateException.class, () -> gate.through(() -> {
            throw new IllegalStateException("boom");
        }));

        assertThat(gate.through(() -> "ran"), is("ran"));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
