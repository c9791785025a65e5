package credits.adapters.persistence.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import credits.domain.Deduction;
import credits.domain.EntryId;
import credits.domain.EntryType;
import credits.domain.Grant;
import credits.domain.Capture;
import credits.domain.HoldRequest;
import credits.domain.HoldStatus;
import credits.domain.Release;
import credits.domain.Idempotency;
import credits.domain.IdempotencyKey;
import credits.domain.LedgerEntry;
import credits.domain.LotCategory;
import credits.domain.LotTerms;
import credits.domain.MoveOutcome;
import credits.domain.Operation;
import credits.domain.Usdc;
import credits.domain.UserId;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

/**
 * Moves written together in one transaction ({@link PostgresCreditsAdapter#writeTogether}) behave
 * exactly as the same moves written one after the other, on a real PostgreSQL whose
 * constraints and deferred checks see every batch.
 */
class BatchedMovesTest {

    private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");
    private static final Instant LATER = AT.plus(Duration.ofDays(3650));
    private static final UserId ADMIN = UserId.of("admin_finance");
    private static final UserId METER = UserId.of("meter_gateway");

    private static EmbeddedPostgres postgres;
    private static PostgresStore store;
    private static PostgresCreditsAdapter adapter;

    @BeforeAll
    static void startDatabase() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        store = PostgresStore.open(new PostgresSettings("jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres",
                "postgres", "", 20, Duration.ofSeconds(10), Duration.ofSeconds(10)));
        adapter = new PostgresCreditsAdapter(store.dbClient(), new PoolGate(20, Duration.ofSeconds(10)));
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        if (adapter != null) {
            adapter.close();
        }
        if (store != null) {
            store.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void twoDeductionsOfOneUserInOneBatchAreDecidedAsIfOneAfterTheOther() {
        UserId user = freshUser();
        grant(user, 10, LotTerms.DEFAULT_GRANT);

        List<MoveOutcome> outcomes = together(List.of(deduction(user, 6), deduction(user, 6), deduction(user, 4)));

        assertThat(outcomes.get(0), instanceOf(MoveOutcome.Applied.class));
        assertThat(outcomes.get(1), is(new MoveOutcome.InsufficientBalance(Usdc.ofUnits(4), Usdc.ofUnits(6))));
        assertThat(outcomes.get(2), instanceOf(MoveOutcome.Applied.class));
        assertThat(balanceAfter(outcomes.get(0)), is(Usdc.ofUnits(4)));
        assertThat(balanceAfter(outcomes.get(2)), is(Usdc.ZERO));
        assertThat(adapter.find(user, AT).orElseThrow().balance(), is(Usdc.ZERO));
        assertThat("newest first, in the order decided", history(user),
                contains(applied(outcomes.get(2)), applied(outcomes.get(0)), historyGrant(user)));
    }

    @Test
    void aSecondRequestWithTheSameKeyInOneBatchIsTheFirstOnesReplayAndMovesNothing() {
        UserId user = freshUser();
        grant(user, 10, LotTerms.DEFAULT_GRANT);
        IdempotencyKey key = freshKey();

        List<MoveOutcome> outcomes = together(List.of(deduction(user, 3, key), deduction(user, 3, key)));

        assertThat(outcomes.get(1), is(new MoveOutcome.Replayed(applied(outcomes.get(0)))));
        assertThat(adapter.find(user, AT).orElseThrow().balance(), is(Usdc.ofUnits(7)));
    }

    @Test
    void aKeyAlreadyInTheLedgerIsReplayedAndTheSameKeyWithAnotherBodyIsRefused() {
        UserId user = freshUser();
        grant(user, 10, LotTerms.DEFAULT_GRANT);
        IdempotencyKey key = freshKey();
        MoveOutcome first = adapter.deductAlone(deduction(user, 2, key));

        List<MoveOutcome> outcomes = together(List.of(deduction(user, 2, key), deduction(user, 5, key)));

        assertThat(outcomes, contains(new MoveOutcome.Replayed(applied(first)), new MoveOutcome.KeyReused()));
        assertThat(adapter.find(user, AT).orElseThrow().balance(), is(Usdc.ofUnits(8)));
    }

    @Test
    void aRefusedDeductionInABatchLeavesTheOthersWritten() {
        UserId rich = freshUser();
        UserId poor = freshUser();
        UserId unknown = freshUser();
        grant(rich, 10, LotTerms.DEFAULT_GRANT);
        grant(poor, 1, LotTerms.DEFAULT_GRANT);

        List<MoveOutcome> outcomes = together(List.of(deduction(poor, 2), deduction(rich, 2),
                deduction(unknown, 1), deduction(rich, 3)));

        assertThat(outcomes.get(0), is(new MoveOutcome.InsufficientBalance(Usdc.ofUnits(1), Usdc.ofUnits(2))));
        assertThat(outcomes.get(2), is(new MoveOutcome.InsufficientBalance(Usdc.ZERO, Usdc.ofUnits(1))));
        assertThat(adapter.find(rich, AT).orElseThrow().balance(), is(Usdc.ofUnits(5)));
        assertThat(adapter.find(poor, AT).orElseThrow().balance(), is(Usdc.ofUnits(1)));
        assertThat("no account is opened by a refused deduction", adapter.find(unknown, AT).isPresent(), is(false));
    }

    @Test
    void aBatchOfRefusalsOnlyWritesNothing() throws SQLException {
        UserId user = freshUser();
        grant(user, 1, LotTerms.DEFAULT_GRANT);
        long revision = queryLong("SELECT revision FROM credits WHERE user_id = ?", user.value());

        List<MoveOutcome> outcomes = together(List.of(deduction(user, 2), deduction(user, 3)));

        assertThat(outcomes, everyItem(instanceOf(MoveOutcome.InsufficientBalance.class)));
        assertThat(queryLong("SELECT revision FROM credits WHERE user_id = ?", user.value()), is(revision));
    }

    @Test
    void aBatchDrawsAcrossLotsInBurnDownOrderAndWritesOwedExpiriesFirst() {
        UserId user = freshUser();
        Instant expiry = AT.plusSeconds(60);
        EntryId expiring = grant(user, 5, new LotTerms(LotCategory.PROMOTIONAL, 10, Optional.of(expiry)));
        EntryId first = grant(user, 3, new LotTerms(LotCategory.PROMOTIONAL, 20, Optional.empty()));
        EntryId second = grant(user, 10, new LotTerms(LotCategory.PAID, 50, Optional.empty()));
        Instant after = expiry.plusSeconds(1);

        List<MoveOutcome> outcomes = together(List.of(deduction(user, 4, after), deduction(user, 1, after)));

        LedgerEntry spanning = applied(outcomes.get(0));
        assertThat(spanning.drawnFrom().get(0).lotId(), is(first));
        assertThat(spanning.drawnFrom().get(0).amount(), is(Usdc.ofUnits(3)));
        assertThat(spanning.drawnFrom().get(1).lotId(), is(second));
        assertThat(spanning.drawnFrom().get(1).amount(), is(Usdc.ofUnits(1)));
        assertThat(applied(outcomes.get(1)).drawnFrom().get(0).lotId(), is(second));
        List<LedgerEntry> history = history(user);
        assertThat(history.get(2).type(), is(EntryType.EXPIRY));
        assertThat(history.get(2).grantId(), is(Optional.of(expiring)));
        assertThat(history.get(2).createdAt(), is(expiry));
        assertThat(adapter.find(user, after).orElseThrow().balance(), is(Usdc.ofUnits(8)));
    }

    @Test
    void aBatchWritesTheReleaseOfAHoldThatExpiredBeforeTheDeductionThatFollowsIt() {
        UserId user = freshUser();
        grant(user, 10, LotTerms.DEFAULT_GRANT);
        MoveOutcome placed = adapter.placeHold(new HoldRequest(new EntryId(UUID.randomUUID()), user, Usdc.ofUnits(8), Optional.empty(),
                Duration.ofSeconds(30), 1000, new Idempotency(METER, Operation.HOLD, freshKey(), TestQueries.digest("hold " + user)), AT));
        EntryId hold = applied(placed).id();
        Instant after = AT.plusSeconds(31);

        List<MoveOutcome> outcomes = together(List.of(deduction(user, 9, after), deduction(user, 1, after)));

        assertThat(outcomes.get(0), instanceOf(MoveOutcome.Applied.class));
        assertThat(outcomes.get(1), instanceOf(MoveOutcome.Applied.class));
        List<LedgerEntry> history = history(user);
        assertThat(history.get(2).type(), is(EntryType.HOLD_RELEASE));
        assertThat(history.get(2).reason(), is(Optional.of("expired")));
        assertThat(history.get(2).createdAt(), is(AT.plusSeconds(30)));
        assertThat(adapter.hold(hold, after).orElseThrow().status(), is(credits.domain.HoldStatus.EXPIRED));
        assertThat(adapter.find(user, after).orElseThrow().held(), is(Usdc.ZERO));
        assertThat(adapter.find(user, after).orElseThrow().balance(), is(Usdc.ZERO));
    }

    @Test
    void referencesWithQuotesBackslashesBracesAndTheWordNullAreStoredExactly() {
        UserId user = freshUser();
        grant(user, 10, LotTerms.DEFAULT_GRANT);
        List<String> references = List.of("say \"hi\"", "back\\slash", "{a,b}", "NULL", "x y", "ünï, cödé ✓");
        List<Deduction> batch = new ArrayList<>();
        references.forEach(reference -> batch.add(deduction(user, 1, freshKey(), Optional.of(reference), AT)));
        batch.add(deduction(user, 1, freshKey(), Optional.empty(), AT));

        List<MoveOutcome> outcomes = together(batch);

        List<Optional<String>> stored = history(user).reversed().stream().skip(1).map(LedgerEntry::reference).toList();
        List<Optional<String>> sent = new ArrayList<>(references.stream().map(Optional::of).toList());
        sent.add(Optional.empty());
        assertThat(stored, is(sent));
        assertThat(outcomes.stream().map(BatchedMovesTest::applied).map(LedgerEntry::reference).toList(), is(sent));
    }

    @Test
    void concurrentDeductionsThroughTheLanesAreBatchedAndNeverOverdraw() throws Exception {
        List<UserId> users = List.of(freshUser(), freshUser(), freshUser());
        users.forEach(user -> grant(user, 100, LotTerms.DEFAULT_GRANT));
        List<Future<MoveOutcome>> outcomes = new ArrayList<>();

        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 600; i++) {
                UserId user = users.get(i % users.size());
                outcomes.add(callers.submit(() -> adapter.deduct(deduction(user, 1))));
            }
        }

        long applied = 0;
        for (Future<MoveOutcome> outcome : outcomes) {
            applied += outcome.get() instanceof MoveOutcome.Applied ? 1 : 0;
        }
        assertThat("each user's 100 units, and no more", applied, is(300L));
        for (UserId user : users) {
            assertThat(adapter.find(user, AT).orElseThrow().balance(), is(Usdc.ZERO));
            assertThat(history(user).stream().filter(entry -> entry.type() == EntryType.DEDUCTION).count(), is(100L));
        }
        assertThat("some deductions shared a batch", adapter.batchedMoves(), greaterThan(0L));
        assertThat(adapter.batchedMoves(), lessThanOrEqualTo(600L));
    }

    @Test
    void holdsCapturesReleasesAndDeductionsOfOneUserInOneBatchAreDecidedInTurn() {
        UserId user = freshUser();
        grant(user, 10, LotTerms.DEFAULT_GRANT);
        EntryId first = applied(adapter.placeHold(hold(user, 5, freshKey(), 1000))).holdId().orElseThrow();
        HoldRequest second = hold(user, 6, freshKey(), 1000);

        List<MoveOutcome> outcomes = adapter.writeTogether(List.of(
                adapter.batched(capture(first, 2), user),
                adapter.batched(release(first), user),
                adapter.batched(second),
                adapter.batched(hold(user, 6, freshKey(), 1000)),
                adapter.batched(deduction(user, 1))));

        assertThat(balanceAfter(outcomes.get(0)), is(Usdc.ofUnits(8)));
        assertThat(outcomes.get(1), is(new MoveOutcome.HoldNotActive(HoldStatus.CAPTURED)));
        applied(outcomes.get(2));
        assertThat(outcomes.get(3), is(new MoveOutcome.InsufficientBalance(Usdc.ofUnits(2), Usdc.ofUnits(6))));
        assertThat(balanceAfter(outcomes.get(4)), is(Usdc.ofUnits(7)));
        assertThat(adapter.hold(first, LATER.minus(Duration.ofDays(3640))).orElseThrow().captured(), is(Optional.of(Usdc.ofUnits(2))));
        assertThat(adapter.hold(second.id(), AT).orElseThrow().status(), is(HoldStatus.ACTIVE));
        assertThat(adapter.find(user, AT).orElseThrow().held(), is(Usdc.ofUnits(6)));
        assertThat(adapter.find(user, AT).orElseThrow().balance(), is(Usdc.ofUnits(7)));
    }

    @Test
    void aHoldPlacedAndEndedInOneBatchIsStoredAsItEnds() {
        UserId user = freshUser();
        grant(user, 10, LotTerms.DEFAULT_GRANT);
        HoldRequest placed = hold(user, 4, freshKey(), 1000);
        adapter.writeTogether(List.of(adapter.batched(placed)));
        EntryId other = applied(adapter.placeHold(hold(user, 1, freshKey(), 1000))).holdId().orElseThrow();

        List<MoveOutcome> outcomes = adapter.writeTogether(List.of(adapter.batched(hold(user, 3, freshKey(), 1000)),
                adapter.batched(release(other), user), adapter.batched(capture(placed.id(), 4), user)));

        outcomes.forEach(BatchedMovesTest::applied);
        assertThat(adapter.hold(placed.id(), AT).orElseThrow().status(), is(HoldStatus.CAPTURED));
        assertThat(adapter.hold(other, AT).orElseThrow().status(), is(HoldStatus.RELEASED));
        assertThat(adapter.find(user, AT).orElseThrow().held(), is(Usdc.ofUnits(3)));
    }

    @Test
    void twoHoldsUnderOneKeyInOneBatchHaveOneEffectAndTheHoldLimitCountsTheBatchsOwn() {
        UserId user = freshUser();
        grant(user, 10, LotTerms.DEFAULT_GRANT);
        IdempotencyKey key = freshKey();
        HoldRequest twin = hold(user, 2, key, 2);

        List<MoveOutcome> outcomes = adapter.writeTogether(List.of(adapter.batched(twin), adapter.batched(hold(user, 2, key, 2)),
                adapter.batched(hold(user, 2, freshKey(), 2)), adapter.batched(hold(user, 2, freshKey(), 2))));

        LedgerEntry placed = applied(outcomes.get(0));
        assertThat(outcomes.get(1), is(new MoveOutcome.Replayed(placed)));
        applied(outcomes.get(2));
        assertThat(outcomes.get(3), is(new MoveOutcome.HoldLimitReached(2)));
        assertThat(adapter.find(user, AT).orElseThrow().held(), is(Usdc.ofUnits(4)));
    }

    // ---------------------------------------------------------------- helpers

    private static HoldRequest hold(UserId user, long units, IdempotencyKey key, int limit) {
        return new HoldRequest(new EntryId(UUID.randomUUID()), user, Usdc.ofUnits(units), Optional.empty(), Duration.ofMinutes(15),
                limit, new Idempotency(METER, Operation.HOLD, key, TestQueries.digest("hold " + user + " " + units)), AT);
    }

    private static Capture capture(EntryId hold, long units) {
        return new Capture(new EntryId(UUID.randomUUID()), hold, Optional.of(Usdc.ofUnits(units)), Optional.empty(),
                new Idempotency(METER, Operation.CAPTURE, freshKey(), TestQueries.digest("capture " + hold + " " + units)), AT);
    }

    private static Release release(EntryId hold) {
        return new Release(new EntryId(UUID.randomUUID()), hold,
                new Idempotency(METER, Operation.RELEASE, freshKey(), TestQueries.digest("release " + hold)), AT);
    }

    private static EntryId grant(UserId user, long units, LotTerms terms) {
        Grant grant = new Grant(new EntryId(UUID.randomUUID()), user, Usdc.ofUnits(units), terms, Optional.empty(),
                new Idempotency(ADMIN, Operation.GRANT, freshKey(), TestQueries.digest("grant " + UUID.randomUUID())), AT);
        return applied(adapter.grant(grant)).id();
    }

    private static Deduction deduction(UserId user, long units) {
        return deduction(user, units, freshKey());
    }

    private static Deduction deduction(UserId user, long units, IdempotencyKey key) {
        return deduction(user, units, key, Optional.empty(), AT);
    }

    private static Deduction deduction(UserId user, long units, Instant at) {
        return deduction(user, units, freshKey(), Optional.empty(), at);
    }

    private static Deduction deduction(UserId user, long units, IdempotencyKey key, Optional<String> reference, Instant at) {
        return new Deduction(new EntryId(UUID.randomUUID()), user, Usdc.ofUnits(units), reference,
                new Idempotency(METER, Operation.DEDUCTION, key, TestQueries.digest("deduction " + user + " " + units + " " + reference)), at);
    }

    private static List<LedgerEntry> history(UserId user) {
        return adapter.history(user, Optional.empty(), 100, LATER).entries();
    }

    private static LedgerEntry historyGrant(UserId user) {
        List<LedgerEntry> all = history(user);
        return all.get(all.size() - 1);
    }

    private static LedgerEntry applied(MoveOutcome outcome) {
        assertThat(outcome, instanceOf(MoveOutcome.Applied.class));
        return ((MoveOutcome.Applied) outcome).entry();
    }

    private static Usdc balanceAfter(MoveOutcome outcome) {
        return applied(outcome).balanceAfter();
    }

    private static UserId freshUser() {
        return UserId.of("batch_" + UUID.randomUUID());
    }

    private static IdempotencyKey freshKey() {
        return new IdempotencyKey("batch-" + UUID.randomUUID());
    }

    private static long queryLong(String sql, Object... params) throws SQLException {
        return TestQueries.queryLong(postgres.getPostgresDatabase(), sql, params);
    }

    /** The deductions written as one batch, as a lane writes them. */
    private List<MoveOutcome> together(List<Deduction> batch) {
        return adapter.writeTogether(batch.stream().map(adapter::batched).toList());
    }
}
