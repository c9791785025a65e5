package credits.adapters.persistence;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import credits.domain.CreditsPort;
import credits.domain.EntryId;
import credits.domain.EntryType;
import credits.domain.IdempotencyKey;
import credits.domain.MoveOutcome;
import credits.domain.UserId;
import credits.domain.Usdc;

/**
 * Threads that grant, deduct, refund earlier deductions and retry earlier requests (with the same
 * and with a changed body) against a few users at once. Keys come from a small shared pool, so
 * threads also collide on keys they did not mean to share. Each thread's choices follow a seeded
 * {@link Random}; the interleaving is up to the scheduler, which is the point.
 */
final class RandomWorkload {

    /** One request as a client would send it; sending it again is a retry. */
    record Ask(EntryType op, UserId caller, IdempotencyKey key, UserId user, EntryId deductionId, Optional<Usdc> amount,
               String text) {

        MoveOutcome send(CreditsPort port, Instant at) {
            return switch (op) {
                case GRANT -> port.grant(Moves.grant(caller, key, user, amount.orElseThrow(), Optional.of(text), at));
                case DEDUCTION -> port.deduct(Moves.deduction(caller, key, user, amount.orElseThrow(), Optional.of(text), at));
                case REFUND -> port.refund(Moves.refund(caller, key, deductionId, amount, text, at));
                case TOPUP, EXPIRY, HOLD, HOLD_RELEASE -> throw new IllegalArgumentException("the workload sends no " + op.code());
            };
        }

        String fingerprint() {
            return switch (op) {
                case GRANT, DEDUCTION -> Moves.fingerprint(op.code(), user.value(), amount.orElseThrow().units(), text);
                case REFUND -> Moves.fingerprint("refund", deductionId.toString(), amount.map(Usdc::units).orElse(null), text);
                case TOPUP, EXPIRY, HOLD, HOLD_RELEASE -> throw new IllegalArgumentException("the workload sends no " + op.code());
            };
        }

        /** The same key with a different body: one unit more (or an explicit amount instead of "the rest"). */
        Ask changed() {
            Usdc other = amount.map(units -> Usdc.ofUnits(units.units() + 1)).orElse(Usdc.ofUnits(1));
            return new Ask(op, caller, key, user, deductionId, Optional.of(other), text);
        }
    }

    record Attempt(Ask ask, MoveOutcome outcome) {
    }

    private static final int KEYS = 1_000;

    private final CreditsPort port;
    private final List<UserId> users;
    private final long seed;
    private final String keyPrefix = "rnd-" + UUID.randomUUID() + "-";
    private final AtomicLong clock = new AtomicLong();
    private final Instant start;

    private final List<Ask> sent = Collections.synchronizedList(new ArrayList<>());
    private final List<EntryId> deductions = Collections.synchronizedList(new ArrayList<>());
    private final ConcurrentLinkedQueue<Attempt> attempts = new ConcurrentLinkedQueue<>();

    RandomWorkload(CreditsPort port, List<UserId> users, long seed, Instant start) {
        this.port = port;
        this.users = List.copyOf(users);
        this.seed = seed;
        this.start = start;
    }

    /** Gives every user something to spend, then runs the threads; every attempt and its outcome. */
    List<Attempt> run(int threads, int operationsPerThread) throws Exception {
        for (UserId user : users) {
            send(new Ask(EntryType.GRANT, Moves.ADMIN, key("seed-" + user.value()), user, null,
                    Optional.of(Usdc.parse("5.00")), "opening balance"));
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Random random = new Random(seed * 1_000 + t);
                running.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    for (int i = 0; i < operationsPerThread; i++) {
                        send(next(random));
                    }
                    return null;
                }));
            }
            if (!ready.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("workload threads did not start");
            }
            go.countDown();
            for (Future<?> thread : running) {
                thread.get(5, TimeUnit.MINUTES);
            }
        }
        return List.copyOf(attempts);
    }

    private Ask next(Random random) {
        int roll = random.nextInt(100);
        if (roll < 25) {
            return new Ask(EntryType.GRANT, random.nextBoolean() ? Moves.ADMIN : Moves.OTHER_ADMIN, pooledKey(random),
                    anyUser(random), null, Optional.of(units(random, 10_000_000)), "top-up");
        }
        if (roll < 55) {
            return new Ask(EntryType.DEDUCTION, Moves.METER, pooledKey(random), anyUser(random), null,
                    Optional.of(units(random, 20_000_000)), "api/call-" + random.nextInt(5));
        }
        if (roll < 70) {
            // Mostly an applied deduction; now and then an id that is no deduction at all.
            EntryId deduction = random.nextInt(20) == 0 ? Moves.newId() : pick(deductions, random).orElseGet(Moves::newId);
            Optional<Usdc> amount = random.nextInt(10) < 4 ? Optional.empty() : Optional.of(units(random, 5_000_000));
            return new Ask(EntryType.REFUND, random.nextBoolean() ? Moves.ADMIN : Moves.OTHER_ADMIN, pooledKey(random),
                    null, deduction, amount, "bad charge");
        }
        Optional<Ask> earlier = pick(sent, random);
        if (earlier.isEmpty()) {
            return next(random);
        }
        return roll < 85 ? earlier.get() : earlier.get().changed();
    }

    private void send(Ask ask) {
        MoveOutcome outcome = ask.send(port, start.plusMillis(clock.incrementAndGet()));
        sent.add(ask);
        if (ask.op() == EntryType.DEDUCTION && outcome instanceof MoveOutcome.Applied applied) {
            deductions.add(applied.entry().id());
        }
        attempts.add(new Attempt(ask, outcome));
    }

    private IdempotencyKey pooledKey(Random random) {
        return key(Integer.toString(random.nextInt(KEYS)));
    }

    private IdempotencyKey key(String name) {
        return new IdempotencyKey(keyPrefix + name.replaceAll("[^A-Za-z0-9_-]", "_"));
    }

    private UserId anyUser(Random random) {
        return users.get(random.nextInt(users.size()));
    }

    private static Usdc units(Random random, int max) {
        return Usdc.ofUnits(1 + random.nextInt(max));
    }

    private static <T> Optional<T> pick(List<T> list, Random random) {
        synchronized (list) {
            return list.isEmpty() ? Optional.empty() : Optional.of(list.get(random.nextInt(list.size())));
        }
    }
}
