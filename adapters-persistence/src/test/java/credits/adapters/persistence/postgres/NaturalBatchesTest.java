package credits.adapters.persistence.postgres;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import credits.domain.StorageUnavailableException;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NaturalBatchesTest {

    private final List<String> alone = Collections.synchronizedList(new ArrayList<>());
    private final List<List<Integer>> batches = Collections.synchronizedList(new ArrayList<>());

    @Test
    void aLoneRequestIsWrittenOnItsOwnWithoutWaitingForOthers() {
        try (NaturalBatches<Integer, String> lanes = lanes(1, 10, 10, this::writeAlone, this::writeTogether)) {
            assertThat(lanes.submit(7), is("alone 7"));
        }
        assertThat(alone, contains("7"));
        assertThat(batches, is(empty()));
    }

    @Test
    void requestsThatQueueWhileTheLaneIsBusyGoTogetherInTheNextBatchInArrivalOrder() throws Exception {
        HeldFirst held = new HeldFirst();
        Function<Integer, String> slowAlone = held.then(this::writeAlone);
        try (NaturalBatches<Integer, String> lanes = lanes(1, 10, 10, slowAlone, this::writeTogether);
             ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<String> first = callers.submit(() -> lanes.submit(0));
            await(held.busy);
            List<Future<String>> queued = new ArrayList<>();
            for (int i = 1; i <= 4; i++) {
                int request = i;
                queued.add(callers.submit(() -> lanes.submit(request)));
                awaitQueued(lanes, i);
            }
            held.release.countDown();

            assertThat(first.get(10, TimeUnit.SECONDS), is("alone 0"));
            for (int i = 0; i < queued.size(); i++) {
                assertThat(queued.get(i).get(10, TimeUnit.SECONDS), is("together " + (i + 1)));
            }
        }
        assertThat(batches, contains(List.of(1, 2, 3, 4)));
        assertThat(alone, contains("0"));
    }

    @Test
    void aBatchIsNeverLargerThanTheMaximum() throws Exception {
        HeldFirst held = new HeldFirst();
        Function<Integer, String> slowAlone = held.then(this::writeAlone);
        try (NaturalBatches<Integer, String> lanes = lanes(1, 3, 10, slowAlone, this::writeTogether);
             ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            callers.submit(() -> lanes.submit(0));
            await(held.busy);
            for (int i = 1; i <= 6; i++) {
                int request = i;
                callers.submit(() -> lanes.submit(request));
                awaitQueued(lanes, i);
            }
            held.release.countDown();
        }
        assertThat(batches, contains(List.of(1, 2, 3), List.of(4, 5, 6)));
    }

    @Test
    void aFullQueueRefusesAtOnceAsUnavailable() throws Exception {
        HeldFirst held = new HeldFirst();
        Function<Integer, String> slowAlone = held.then(this::writeAlone);
        try (NaturalBatches<Integer, String> lanes = lanes(1, 10, 2, slowAlone, this::writeTogether);
             ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            callers.submit(() -> lanes.submit(0));
            await(held.busy);
            callers.submit(() -> lanes.submit(1));
            awaitQueued(lanes, 1);
            callers.submit(() -> lanes.submit(2));
            awaitQueued(lanes, 2);

            assertThrows(StorageUnavailableException.class, () -> lanes.submit(3));
            held.release.countDown();
        }
        assertThat(batches, contains(List.of(1, 2)));
    }

    @Test
    void aBatchTheDatabaseRefusedIsWrittenRequestByRequestSoOneFailureFailsOnlyItself() throws Exception {
        Function<List<Integer>, List<String>> refusing = batch -> {
            throw new IllegalStateException("a unique key taken meanwhile");
        };
        Function<Integer, String> aloneFailingOnThree = request -> {
            if (request == 3) {
                throw new IllegalArgumentException("three");
            }
            return writeAlone(request);
        };
        List<Object> answers = answersOfAQueuedBatch(aloneFailingOnThree, refusing, 4);

        assertThat(answers, contains("alone 1", "alone 2", "IllegalArgumentException", "alone 4"));
    }

    @Test
    void whenTheDatabaseCannotAnswerTheWholeBatchFailsAndNothingIsWrittenAgain() throws Exception {
        Function<List<Integer>, List<String>> unavailable = batch -> {
            throw new StorageUnavailableException("connection broke", null);
        };
        List<Object> answers = answersOfAQueuedBatch(this::writeAlone, unavailable, 3);

        assertThat(answers, contains("StorageUnavailableException", "StorageUnavailableException", "StorageUnavailableException"));
        assertThat("only the first request, written alone before the batch", alone, contains("0"));
    }

    @Test
    void closingWritesWhatQueuedBeforeItAndRefusesWhatComesAfter() throws Exception {
        HeldFirst held = new HeldFirst();
        Function<Integer, String> slowAlone = held.then(this::writeAlone);
        NaturalBatches<Integer, String> lanes = lanes(1, 10, 10, slowAlone, this::writeTogether);
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<String> first = callers.submit(() -> lanes.submit(0));
            await(held.busy);
            Future<String> queued = callers.submit(() -> lanes.submit(1));
            awaitQueued(lanes, 1);
            Thread closer = Thread.ofVirtual().start(lanes::close);
            held.release.countDown();
            closer.join(10_000);

            assertThat(first.get(10, TimeUnit.SECONDS), is("alone 0"));
            assertThat(queued.get(10, TimeUnit.SECONDS), is("alone 1"));
            assertThrows(StorageUnavailableException.class, () -> lanes.submit(2));
        }
    }

    @Test
    void oneKeyAlwaysTakesTheSameLaneAndDifferentKeysSpreadOverThem() throws Exception {
        List<String> threads = Collections.synchronizedList(new ArrayList<>());
        Function<Integer, String> recordingThread = request -> {
            threads.add(request % 2 + " " + Thread.currentThread().getName());
            return writeAlone(request);
        };
        try (NaturalBatches<Integer, String> lanes = lanes(2, 10, 10, recordingThread, this::writeTogether)) {
            for (int i = 0; i < 6; i++) {
                lanes.submit(i);
            }
        }
        assertThat(List.copyOf(new java.util.TreeSet<>(threads)), containsInAnyOrder("0 test-lanes-0", "1 test-lanes-1"));
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Holds the lane on request 0 (written alone), queues requests 1..{@code queued}, releases it,
     * and returns each queued request's answer, or the simple name of what it threw.
     */
    private List<Object> answersOfAQueuedBatch(Function<Integer, String> aloneAfterFirst, Function<List<Integer>, List<String>> together,
                                               int queued) throws Exception {
        HeldFirst held = new HeldFirst();
        Function<Integer, String> first = held.then(request -> request == 0 ? writeAlone(request) : aloneAfterFirst.apply(request));
        List<Object> answers = new ArrayList<>();
        try (NaturalBatches<Integer, String> lanes = lanes(1, 10, 10, first, together);
             ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            callers.submit(() -> lanes.submit(0));
            await(held.busy);
            List<Future<String>> futures = new ArrayList<>();
            for (int i = 1; i <= queued; i++) {
                int request = i;
                futures.add(callers.submit(() -> lanes.submit(request)));
                awaitQueued(lanes, i);
            }
            held.release.countDown();
            for (Future<String> future : futures) {
                try {
                    answers.add(future.get(10, TimeUnit.SECONDS));
                } catch (java.util.concurrent.ExecutionException e) {
                    answers.add(e.getCause().getClass().getSimpleName());
                }
            }
        }
        return answers;
    }

    /** Holds the lane on the first request written alone until released, so the next ones queue behind it. */
    private static final class HeldFirst {
        final CountDownLatch busy = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final java.util.concurrent.atomic.AtomicBoolean taken = new java.util.concurrent.atomic.AtomicBoolean();

        Function<Integer, String> then(Function<Integer, String> alone) {
            return request -> {
                if (taken.compareAndSet(false, true)) {
                    busy.countDown();
                    await(release);
                }
                return alone.apply(request);
            };
        }
    }

    private NaturalBatches<Integer, String> lanes(int lanes, int maxBatch, int queue, Function<Integer, String> alone,
                                                  Function<List<Integer>, List<String>> together) {
        return new NaturalBatches<>("test-lanes", lanes, maxBatch, queue, Integer::intValue, alone, together,
                StorageUnavailableException.class::isInstance);
    }

    private String writeAlone(Integer request) {
        alone.add(String.valueOf(request));
        return "alone " + request;
    }

    private List<String> writeTogether(List<Integer> batch) {
        batches.add(List.copyOf(batch));
        return batch.stream().map(request -> "together " + request).toList();
    }

    /** Waits for the condition itself (the lane's queue length), yielding, with a deadline only for a hang. */
    private static void awaitQueued(NaturalBatches<?, ?> lanes, int queued) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (lanes.queued() < queued) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("requests never queued");
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat("released in time", latch.await(10, TimeUnit.SECONDS), is(true));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
