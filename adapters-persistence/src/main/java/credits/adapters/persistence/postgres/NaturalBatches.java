package credits.adapters.persistence.postgres;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

import credits.domain.StorageUnavailableException;

/**
 * Natural batching: requests queue on a lane, and each lane's one thread takes whatever queued
 * while its previous batch was at the database, up to {@code maxBatch}, and writes it at once. No
 * timer: under light load a batch is one request, written {@code alone} as before, so its latency
 * is unchanged; under load the batches grow by themselves and one transaction carries many
 * requests.
 *
 * <p>A request's lane is fixed by its key (the user), so one user's requests are written in the
 * order they arrived and never by two lanes at once. Queues are bounded: a full one refuses at
 * once with {@link StorageUnavailableException} (503 with Retry-After) instead of growing. A caller
 * is answered only after its batch's transaction ended.
 *
 * <p>When a batch fails for a reason that is not "the database cannot answer now" (a unique key
 * that a twin on another instance took meanwhile, a check the batch broke), each of its requests is
 * written {@code alone}, so one request's failure never fails the others. When the database cannot
 * answer (the connection broke, possibly after the commit), the whole batch gets that failure and
 * nothing is written again: its callers retry with their idempotency keys, which replays what did
 * commit.
 */
final class NaturalBatches<I, O> implements AutoCloseable {

    private final Function<I, O> alone;
    private final Function<List<I>, List<O>> together;
    private final Predicate<RuntimeException> databaseUnavailable;
    private final ToIntFunction<I> laneKey;
    private final int maxBatch;
    private final List<Lane> lanes = new ArrayList<>();
    private final LongAdder batched = new LongAdder();
    // Every write of the lanes (a batch of one included) and the requests they carried: their ratio is the average batch.
    private final LongAdder writes = new LongAdder();
    private final LongAdder written = new LongAdder();
    // Queued once per lane by close(): the lane writes what came before it and ends.
    private final Pending<I, O> stop = new Pending<>(null);
    private volatile boolean closed;

    NaturalBatches(String name, int lanes, int maxBatch, int queuePerLane, ToIntFunction<I> laneKey, Function<I, O> alone,
                   Function<List<I>, List<O>> together, Predicate<RuntimeException> databaseUnavailable) {
        if (lanes < 1 || maxBatch < 1 || queuePerLane < 1) {
            throw new IllegalArgumentException("lanes, batch size and queue must be at least 1");
        }
        this.alone = Objects.requireNonNull(alone, "alone");
        this.together = Objects.requireNonNull(together, "together");
        this.databaseUnavailable = Objects.requireNonNull(databaseUnavailable, "databaseUnavailable");
        this.laneKey = Objects.requireNonNull(laneKey, "laneKey");
        this.maxBatch = maxBatch;
        for (int i = 0; i < lanes; i++) {
            Lane lane = new Lane(new ArrayBlockingQueue<>(queuePerLane));
            lane.thread = Thread.ofPlatform().daemon().name(name + "-" + i).start(lane::run);
            this.lanes.add(lane);
        }
    }

    /** Writes {@code request} in the next batch of its lane and returns what became of it. */
    O submit(I request) {
        Objects.requireNonNull(request, "request");
        Lane lane = lanes.get(Math.floorMod(laneKey.applyAsInt(request), lanes.size()));
        Pending<I, O> pending = new Pending<>(request);
        if (closed) {
            throw new StorageUnavailableException("The service is shutting down", null);
        }
        if (!lane.queue.offer(pending)) {
            throw new StorageUnavailableException("Too many requests are waiting for the database", null);
        }
        try {
            return pending.result.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw e;
        }
    }

    /** Requests waiting in the lanes' queues now (racy: a gauge, not a count to decide on). */
    int queued() {
        return lanes.stream().mapToInt(lane -> lane.queue.size()).sum();
    }

    /** How many requests so far were written in a batch of more than one. */
    long batched() {
        return batched.sum();
    }

    /** How many batches the lanes wrote so far, a batch of one included, and the requests they carried. */
    Counts counts() {
        return new Counts(writes.sum(), written.sum());
    }

    /** Batches written and the requests in them, since the lanes started. */
    record Counts(long batches, long requests) {
    }

    /**
     * Stops the lanes: new requests are refused, each lane finishes the batch it is writing and
     * what queued before the stop, and anything left is refused as "unavailable".
     */
    @Override
    public void close() {
        closed = true;
        try {
            for (Lane lane : lanes) {
                lane.queue.put(stop); // the lane keeps draining, so there is room soon
            }
            for (Lane lane : lanes) {
                lane.thread.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Lane lane : lanes) {
            List<Pending<I, O>> left = new ArrayList<>();
            lane.queue.drainTo(left);
            left.stream().filter(pending -> pending != stop).forEach(pending -> pending.result.completeExceptionally(
                    new StorageUnavailableException("The service is shutting down", null)));
        }
    }

    private record Pending<I, O>(I request, CompletableFuture<O> result) {
        Pending(I request) {
            this(request, new CompletableFuture<>());
        }
    }

    private final class Lane {
        private final BlockingQueue<Pending<I, O>> queue;
        private Thread thread;

        Lane(BlockingQueue<Pending<I, O>> queue) {
            this.queue = queue;
        }

        void run() {
            List<Pending<I, O>> batch = new ArrayList<>(maxBatch);
            while (true) {
                try {
                    batch.add(queue.take());
                } catch (InterruptedException e) {
                    return;
                }
                queue.drainTo(batch, maxBatch - 1);
                boolean stopping = batch.removeIf(pending -> pending == stop);
                if (!batch.isEmpty()) {
                    write(batch);
                }
                batch.clear();
                if (stopping) {
                    return;
                }
            }
        }

        private void write(List<Pending<I, O>> batch) {
            writes.increment();
            written.add(batch.size());
            if (batch.size() == 1) {
                writeAlone(batch.get(0));
                return;
            }
            List<O> outcomes;
            try {
                outcomes = together.apply(batch.stream().map(Pending::request).toList());
                if (outcomes.size() != batch.size()) {
                    throw new IllegalStateException(outcomes.size() + " outcomes for a batch of " + batch.size());
                }
            } catch (RuntimeException e) {
                if (databaseUnavailable.test(e)) {
                    batch.forEach(pending -> pending.result.completeExceptionally(e));
                } else {
                    batch.forEach(this::writeAlone);
                }
                return;
            } catch (Error e) {
                // The lane lives on (its callers would otherwise wait for ever); each caller gets the error.
                batch.forEach(pending -> pending.result.completeExceptionally(e));
                return;
            }
            batched.add(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result.complete(outcomes.get(i));
            }
        }

        private void writeAlone(Pending<I, O> pending) {
            try {
                pending.result.complete(alone.apply(pending.request));
            } catch (RuntimeException | Error e) {
                pending.result.completeExceptionally(e);
            }
        }
    }
}
