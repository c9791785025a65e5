package credits.adapters.persistence;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;

import credits.domain.Balance;
import credits.domain.HoldStatus;
import credits.domain.HoldPage;
import credits.domain.Hold;
import credits.domain.Credit;
import credits.domain.Draw;
import credits.domain.Lot;
import credits.domain.LotCategory;
import credits.domain.LotPage;
import credits.domain.LotTerms;
import credits.domain.CreditsPort;
import credits.domain.Deduction;
import credits.domain.EntryId;
import credits.domain.EntryType;
import credits.domain.Grant;
import credits.domain.HistoryCursor;
import credits.domain.HistoryPage;
import credits.domain.IdempotencyKey;
import credits.domain.LedgerEntry;
import credits.domain.LedgerHash;
import credits.domain.MoveOutcome;
import credits.domain.Refund;
import credits.domain.Usdc;
import credits.domain.UserId;
import org.junit.jupiter.api.Test;

import static credits.adapters.persistence.Moves.ADMIN;
import static credits.adapters.persistence.Moves.METER;
import static credits.adapters.persistence.Moves.OTHER_ADMIN;
import static credits.adapters.persistence.Moves.freshKey;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * What every {@link CreditsPort} adapter must do. Each adapter's test extends this suite, so the
 * in-memory fake and PostgreSQL are held to the very same behaviour, concurrency included.
 *
 * <p>Times are whole milliseconds, as the use case stores them. Every test uses fresh user ids and
 * idempotency keys, so adapters need not be emptied between tests.
 */
public abstract class CreditsPortContract {

    private static final Instant T0 = Instant.parse("2024-01-15T10:30:00.123Z");
    private static final Instant T1 = T0.plusSeconds(60);
    private static final Instant T2 = T0.plusSeconds(120);
    private static final Instant T3 = T0.plusSeconds(180);
    private static final int RACERS = 32;

    /** The adapter under test; the same instance for the whole test. */
    protected abstract CreditsPort port();

    /** How many account records the adapter holds for the user, counted in its own storage. */
    protected abstract long accountRowCount(UserId userId);

    /**
     * Checks, in the adapter's own storage, whatever bookkeeping it keeps beside the ledger (for
     * example what has been refunded of each deduction) after a concurrent workload on these users.
     */
    protected void assertStorageConsistent(List<UserId> users) {
    }

    /** A read long after every move of these tests (none of which expires). */
    protected static final Instant LATER = T0.plus(Duration.ofDays(365));

    /** The credit as a read at {@link #LATER} shows it, in the stored shape. */
    protected Optional<Credit> find(UserId userId) {
        return port().find(userId, LATER).map(CreditsPortContract::credit);
    }

    protected Credit getOrCreate(UserId userId, Instant now) {
        return credit(port().getOrCreate(userId, now));
    }

    protected static Credit credit(Balance balance) {
        return new Credit(balance.userId(), balance.balance(), balance.held(), balance.createdAt(), balance.updatedAt());
    }

    /** A user id no other test has used. */
    protected static UserId freshUser() {
        return UserId.of("user_" + UUID.randomUUID());
    }

    @Test
    void firstRequestOpensTheAccountAtZeroWithTheGivenTime() {
        UserId user = freshUser();

        Credit credit = getOrCreate(user, T0);

        assertThat(credit, is(new Credit(user, Usdc.ZERO, Usdc.ZERO, T0, T0)));
        assertThat(credit.available(), is(Usdc.ZERO));
        assertThat(accountRowCount(user), is(1L));
    }

    @Test
    void laterRequestsReturnTheSameAccountWithItsOriginalTimes() {
        UserId user = freshUser();
        Credit first = getOrCreate(user, T0);

        Credit second = getOrCreate(user, T0.plus(Duration.ofDays(3)));

        assertThat(second, is(first));
        assertThat(second.createdAt(), is(T0));
        assertThat(second.updatedAt(), is(T0));
        assertThat(accountRowCount(user), is(1L));
    }

    @Test
    void findingAnUnknownUserCreatesNothing() {
        UserId user = freshUser();

        Optional<Credit> found = find(user);

        assertThat(found, is(Optional.empty()));
        assertThat(find(user), is(Optional.empty()));
        assertThat(accountRowCount(user), is(0L));
    }

    @Test
    void findReturnsTheAccountGetOrCreateOpened() {
        UserId user = freshUser();
        Credit created = getOrCreate(user, T0);

        assertThat(find(user), is(Optional.of(created)));
    }

    @Test
    void accountsOfDifferentUsersAreIndependent() {
        UserId alice = freshUser();
        UserId bob = freshUser();
        Instant later = T0.plusMillis(1);

        Credit aliceCredit = getOrCreate(alice, T0);
        Credit bobCredit = getOrCreate(bob, later);

        assertThat(aliceCredit.userId(), is(alice));
        assertThat(bobCredit.userId(), is(bob));
        assertThat(bobCredit.createdAt(), is(later));
        assertThat(find(alice), is(Optional.of(aliceCredit)));
        assertThat(accountRowCount(alice), is(1L));
        assertThat(accountRowCount(bob), is(1L));
    }

    @Test
    void userIdsDifferingOnlyInCaseAreDifferentUsers() {
        String suffix = UUID.randomUUID().toString();
        UserId lower = UserId.of("alice-" + suffix);
        UserId upper = UserId.of("ALICE-" + suffix);

        getOrCreate(lower, T0);

        assertThat(find(upper), is(Optional.empty()));
    }

    @Test
    void longestUserIdRoundTripsExactly() {
        String prefix = UUID.randomUUID() + "-";
        UserId user = UserId.of(prefix + "x".repeat(UserId.MAX_LENGTH - prefix.length()));

        assertThat(getOrCreate(user, T0).userId().value(), is(user.value()));
        assertThat(find(user).orElseThrow().userId().value(), is(user.value()));
    }

    @Test
    void unicodeAndEmojiUserIdsRoundTripExactly() {
        String unique = UUID.randomUUID().toString();
        // 255 emoji are 255 characters but 510 UTF-16 units and 1020 UTF-8 bytes: the limit counts characters.
        List<UserId> users = List.of(
                UserId.of("Jürgen Øster ñandú 用户 " + unique),
                UserId.of("\uD83D\uDE80\uD83D\uDCB8 " + unique),
                UserId.of(unique + "\uD83D\uDE00".repeat(UserId.MAX_LENGTH - unique.length())),
                UserId.of("e\u0301 " + unique),
                UserId.of("\u00E9 " + unique));

        for (UserId user : users) {
            getOrCreate(user, T0);
        }

        for (UserId user : users) {
            assertThat(find(user).orElseThrow().userId().value(), is(user.value()));
            assertThat(accountRowCount(user), is(1L));
        }
    }

    @Test
    void racingFirstRequestsForOneNewUserCreateExactlyOneAccount() throws Exception {
        for (int round = 0; round < 5; round++) {
            UserId user = freshUser();
            List<Instant> times = new ArrayList<>();
            for (int i = 0; i < RACERS; i++) {
                times.add(T0.plusMillis(i));
            }

            List<Credit> results = raceGetOrCreate(user, times);

            Set<Credit> distinct = new HashSet<>(results);
            assertThat("round " + round + ": every caller sees the one account", distinct.size(), is(1));
            Credit winner = results.get(0);
            assertThat(times, hasItem(winner.createdAt()));
            assertThat(winner.updatedAt(), is(winner.createdAt()));
            assertThat(winner.balance(), is(Usdc.ZERO));
            assertThat(results, everyItem(equalTo(winner)));
            assertThat("round " + round + ": rows stored", accountRowCount(user), is(1L));
            assertThat(find(user), is(Optional.of(winner)));
        }
    }

    @Test
    void racingFirstRequestsForManyNewUsersKeepTheirAccountsApart() throws Exception {
        List<UserId> users = List.of(freshUser(), freshUser(), freshUser(), freshUser());
        try (ExecutorService pool = Executors.newFixedThreadPool(RACERS)) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Credit>> futures = new ArrayList<>();
            for (int i = 0; i < RACERS; i++) {
                UserId user = users.get(i % users.size());
                Instant now = T0.plusMillis(i);
                futures.add(pool.submit(() -> {
                    start.await();
                    return getOrCreate(user, now);
                }));
            }
            start.countDown();
            for (Future<Credit> future : futures) {
                future.get(30, TimeUnit.SECONDS);
            }
        }

        for (UserId user : users) {
            assertThat(accountRowCount(user), is(1L));
            assertThat(find(user).orElseThrow().userId(), is(user));
        }
        assertThat(find(users.get(0)), is(not(find(users.get(1)))));
    }

    // All callers are released at once by one gate, so the first requests really overlap.
    private List<Credit> raceGetOrCreate(UserId user, List<Instant> times) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(times.size())) {
            CountDownLatch ready = new CountDownLatch(times.size());
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Credit>> futures = new ArrayList<>();
            for (Instant now : times) {
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    start.await();
                    return getOrCreate(user, now);
                }));
            }
            assertThat("racers ready", ready.await(30, TimeUnit.SECONDS), is(true));
            start.countDown();
            List<Credit> results = new ArrayList<>();
            for (Future<Credit> future : futures) {
                results.add(future.get(30, TimeUnit.SECONDS));
            }
            return results;
        }
    }

    // ---------------------------------------------------------------- grants

    @Test
    void grantOpensTheAccountAndAddsExactlyTheAmount() {
        UserId user = freshUser();
        Grant grant = Moves.grant(ADMIN, freshKey(), user, usdc("25.50"), Optional.of("welcome credits"), T1);

        LedgerEntry entry = applied(port().grant(grant));

        assertThat(entry, is(new LedgerEntry(grant.id(), user, EntryType.GRANT, usdc("25.50"), usdc("25.50"),
                Optional.empty(), Optional.of("welcome credits"), Optional.empty(), Optional.of(grant.id()), List.of(),
                Optional.of(LotTerms.DEFAULT_GRANT), Optional.empty(), T1).chained(LedgerHash.GENESIS)));
        assertThat(find(user), is(Optional.of(new Credit(user, usdc("25.50"), Usdc.ZERO, T1, T1))));
        assertThat(accountRowCount(user), is(1L));
        assertThat(ledger(user), contains(entry));
    }

    @Test
    void grantToAnExistingAccountAddsToItAndKeepsItsOpeningTime() {
        UserId user = freshUser();
        getOrCreate(user, T0);

        grant(user, "0.0000001", T1);
        LedgerEntry second = grant(user, "9999999999.9999999", T2);

        assertThat(second.balanceAfter(), is(usdc("10000000000.00")));
        assertThat(find(user), is(Optional.of(new Credit(user, usdc("10000000000.00"), Usdc.ZERO, T0, T2))));
    }

    @Test
    void everyEntryCarriesTheBalanceRightAfterIt() {
        UserId user = freshUser();

        grant(user, "10.00", T1);
        deduct(user, "3.00", T1);
        grant(user, "0.50", T2);
        deduct(user, "7.50", T2);

        assertThat(ledger(user).stream().map(LedgerEntry::balanceAfter).toList(),
                contains(usdc("0.00"), usdc("7.50"), usdc("7.00"), usdc("10.00")));
        assertThat(ledger(user).stream().map(LedgerEntry::type).toList(),
                contains(EntryType.DEDUCTION, EntryType.GRANT, EntryType.DEDUCTION, EntryType.GRANT));
        assertThat(balance(user), is(Usdc.ZERO));
    }

    @Test
    void replayingAGrantReturnsTheOriginalEntryAndMovesNothing() {
        UserId user = freshUser();
        IdempotencyKey key = freshKey();
        LedgerEntry original = applied(port().grant(Moves.grant(ADMIN, key, user, usdc("5.00"), Optional.empty(), T1)));

        MoveOutcome retry = port().grant(Moves.grant(ADMIN, key, user, usdc("5.00"), Optional.empty(), T2));

        assertThat(retry, is(new MoveOutcome.Replayed(original)));
        assertThat(balance(user), is(usdc("5.00")));
        assertThat(find(user).orElseThrow().updatedAt(), is(T1));
        assertThat(ledger(user), contains(original));
    }

    @Test
    void theSameGrantKeyWithADifferentAmountIsRefusedAsReused() {
        UserId user = freshUser();
        IdempotencyKey key = freshKey();
        LedgerEntry original = applied(port().grant(Moves.grant(ADMIN, key, user, usdc("5.00"), Optional.empty(), T1)));

        MoveOutcome reused = port().grant(Moves.grant(ADMIN, key, user, usdc("5.01"), Optional.empty(), T2));

        assertThat(reused, is(new MoveOutcome.KeyReused()));
        assertThat(balance(user), is(usdc("5.00")));
        assertThat(ledger(user), contains(original));
    }

    @Test
    void theSameKeyFromAnotherCallerIsAnIndependentGrant() {
        UserId user = freshUser();
        IdempotencyKey key = freshKey();
        applied(port().grant(Moves.grant(ADMIN, key, user, usdc("5.00"), Optional.empty(), T1)));

        LedgerEntry other = applied(port().grant(Moves.grant(OTHER_ADMIN, key, user, usdc("5.00"), Optional.empty(), T2)));

        assertThat(other.balanceAfter(), is(usdc("10.00")));
        assertThat(ledger(user), hasSize(2));
    }

    @Test
    void theSameKeyOnAnotherOperationIsIndependent() {
        UserId user = freshUser();
        IdempotencyKey key = freshKey();
        applied(port().grant(Moves.grant(ADMIN, key, user, usdc("5.00"), Optional.empty(), T1)));

        LedgerEntry deduction = applied(port().deduct(Moves.deduction(ADMIN, key, user, usdc("2.00"), Optional.empty(), T2)));

        assertThat(deduction.balanceAfter(), is(usdc("3.00")));
        assertThat(ledger(user), hasSize(2));
    }

    @Test
    void aGrantPastTheLargestStorableBalanceIsRefusedAndWritesNothing() {
        UserId user = freshUser();
        LedgerEntry nearlyFull = applied(port().grant(Moves.grant(ADMIN, freshKey(), user,
                Usdc.ofUnits(Long.MAX_VALUE - 5), Optional.empty(), T1)));
        IdempotencyKey key = freshKey();

        MoveOutcome refused = port().grant(Moves.grant(ADMIN, key, user, Usdc.ofUnits(6), Optional.empty(), T2));

        assertThat(refused, is(new MoveOutcome.BalanceLimitExceeded(Usdc.MAX_BALANCE)));

        assertThat(balance(user), is(Usdc.ofUnits(Long.MAX_VALUE - 5)));
        assertThat(ledger(user), contains(nearlyFull));
        assertThat("the key stays free", applied(port().grant(Moves.grant(ADMIN, key, user, Usdc.ofUnits(5),
                Optional.empty(), T2))).balanceAfter(), is(Usdc.ofUnits(Long.MAX_VALUE)));
    }

    @Test
    void replayingAGrantToAFullBalanceIsStillAReplay() {
        UserId user = freshUser();
        IdempotencyKey key = freshKey();
        Grant fill = Moves.grant(ADMIN, key, user, Usdc.ofUnits(Long.MAX_VALUE - 1), Optional.empty(), T1);
        LedgerEntry original = applied(port().grant(fill));

        MoveOutcome retry = port().grant(Moves.grant(ADMIN, key, user, Usdc.ofUnits(Long.MAX_VALUE - 1), Optional.empty(), T2));

        assertThat(retry, is(new MoveOutcome.Replayed(original)));
    }

    @Test
    void anEntryIdUsedTwiceIsRefusedAndWritesNothing() {
        UserId user = freshUser();
        Grant first = Moves.grant(ADMIN, freshKey(), user, usdc("1.00"), Optional.empty(), T1);
        LedgerEntry entry = applied(port().grant(first));
        Grant sameId = new Grant(first.id(), user, usdc("2.00"), LotTerms.DEFAULT_GRANT, Optional.empty(),
                Moves.grant(ADMIN, freshKey(), user, usdc("2.00"), Optional.empty(), T2).idempotency(), T2);

        assertThrows(IllegalStateException.class, () -> port().grant(sameId));

        assertThat(balance(user), is(usdc("1.00")));
        assertThat(ledger(user), contains(entry));
    }

    @Test
    void aRefundPastTheLargestStorableBalanceIsRefusedAndWritesNothing() {
        UserId user = freshUser();
        grant(user, "10.00", T1);
        LedgerEntry deduction = deduct(user, "4.00", T1);
        LedgerEntry filled = applied(port().grant(Moves.grant(ADMIN, freshKey(), user,
                Usdc.ofUnits(Long.MAX_VALUE - usdc("6.00").units() - 1), Optional.empty(), T2)));
        IdempotencyKey key = freshKey();

        MoveOutcome refused = port().refund(Moves.refund(ADMIN, key, deduction.id(), Optional.of(usdc("0.0000002")),
                "bad charge", T3));

        assertThat(refused, is(new MoveOutcome.BalanceLimitExceeded(Usdc.MAX_BALANCE)));
        assertThat(balance(user), is(filled.balanceAfter()));
        assertThat(ledger(user).getFirst(), is(filled));
        assertThat("the key stays free", applied(port().refund(Moves.refund(ADMIN, key, deduction.id(),
                Optional.of(usdc("0.0000001")), "bad charge", T3))).balanceAfter(), is(Usdc.MAX_BALANCE));
    }

    @Test
    void timesNeverRunBackwardsAlongAUsersHistoryWhenAClockIsBehind() {
        UserId user = freshUser();
        LedgerEntry granted = grant(user, "10.00", T3);

        // Moves stamped by instances whose clocks are behind the one that wrote the grant.
        LedgerEntry deducted = deduct(user, "4.00", T1);
        LedgerEntry refunded = refund(deducted.id(), Optional.of("1.00"), T0);
        LedgerEntry grantedAgain = grant(user, "1.00", T2);

        assertThat(deducted.createdAt(), is(granted.createdAt()));
        assertThat(refunded.createdAt(), is(granted.createdAt()));
        assertThat(grantedAgain.createdAt(), is(granted.createdAt()));
        assertThat(ledger(user), contains(grantedAgain, refunded, deducted, granted));
        assertThat(find(user).orElseThrow().updatedAt(), is(T3));
    }

    @Test
    void aMoveTakesTheClocksTimeWhenItIsAheadOfTheLastChange() {
        UserId user = freshUser();
        grant(user, "10.00", T1);

        LedgerEntry deducted = deduct(user, "4.00", T2);

        assertThat(deducted.createdAt(), is(T2));
        assertThat(find(user).orElseThrow().updatedAt(), is(T2));
    }

    // ------------------------------------------------------------ deductions

    @Test
    void deductionWithinTheAvailableBalanceTakesExactlyTheAmount() {
        UserId user = freshUser();
        String granted = grant(user, "1.00", T1).hash().orElseThrow();
        Deduction deduction = Moves.deduction(METER, freshKey(), user, usdc("0.2500001"),
                Optional.of("api_weather/forecast"), T2);

        LedgerEntry entry = applied(port().deduct(deduction));

        assertThat(entry, is(new LedgerEntry(deduction.id(), user, EntryType.DEDUCTION, usdc("0.2500001"),
                usdc("0.7499999"), Optional.of("api_weather/forecast"), Optional.empty(), Optional.empty(), Optional.empty(),
                entry.drawnFrom(), Optional.empty(), Optional.empty(), T2).chained(granted)));
        assertThat(Draw.total(entry.drawnFrom()), is(usdc("0.2500001")));
        assertThat(find(user), is(Optional.of(new Credit(user, usdc("0.7499999"), Usdc.ZERO, T1, T2))));
        assertThat(ledger(user).get(0), is(entry));
    }

    @Test
    void deductingTheWholeBalanceLeavesZero() {
        UserId user = freshUser();
        grant(user, "1.00", T1);

        LedgerEntry entry = deduct(user, "1.00", T2);

        assertThat(entry.balanceAfter(), is(Usdc.ZERO));
        assertThat(balance(user), is(Usdc.ZERO));
    }

    @Test
    void deductionLargerThanAvailableIsRefusedAndWritesNothing() {
        UserId user = freshUser();
        LedgerEntry grant = grant(user, "1.00", T1);
        IdempotencyKey key = freshKey();

        MoveOutcome refused = port().deduct(Moves.deduction(METER, key, user, usdc("1.0000001"), Optional.empty(), T2));

        assertThat(refused, is(new MoveOutcome.InsufficientBalance(usdc("1.00"), usdc("1.0000001"))));
        assertThat(find(user), is(Optional.of(new Credit(user, usdc("1.00"), Usdc.ZERO, T1, T1))));
        assertThat(ledger(user), contains(grant));
        LedgerEntry fitting = applied(port().deduct(Moves.deduction(METER, key, user, usdc("0.50"), Optional.empty(), T3)));
        assertThat("the refused request left its key free", fitting.balanceAfter(), is(usdc("0.50")));
    }

    @Test
    void deductionForAUserWithoutAnAccountIsInsufficientAndOpensNoAccount() {
        UserId user = freshUser();

        MoveOutcome refused = port().deduct(Moves.deduction(METER, freshKey(), user, usdc("0.01"), Optional.empty(), T1));

        assertThat(refused, is(new MoveOutcome.InsufficientBalance(Usdc.ZERO, usdc("0.01"))));
        assertThat(find(user), is(Optional.empty()));
        assertThat(accountRowCount(user), is(0L));
        assertThat(ledger(user), is(empty()));
    }

    @Test
    void heldCreditsAreNotAvailableForDeductions() {
        UserId user = freshUser();
        grant(user, "1.00", T1);
        assertThat(port().placeHold(Moves.hold(METER, freshKey(), user, usdc("0.60"), T1)), instanceOf(MoveOutcome.Applied.class));

        MoveOutcome refused = port().deduct(Moves.deduction(METER, freshKey(), user, usdc("0.41"), Optional.empty(), T2));
        LedgerEntry fitting = deduct(user, "0.40", T2);

        assertThat(refused, is(new MoveOutcome.InsufficientBalance(usdc("0.40"), usdc("0.41"))));
        assertThat(fitting.balanceAfter(), is(usdc("0.60")));
        Credit credit = credit(port().find(user, T2).orElseThrow());
        assertThat(credit.held(), is(usdc("0.60")));
        assertThat(credit.available(), is(Usdc.ZERO));
    }

    @Test
    void replayingADeductionReturnsTheOriginalEvenAfterTheMoneyIsGone() {
        UserId user = freshUser();
        grant(user, "1.00", T1);
        IdempotencyKey key = freshKey();
        LedgerEntry original = applied(port().deduct(Moves.deduction(METER, key, user, usdc("1.00"),
                Optional.of("api/x"), T1)));

        MoveOutcome retry = port().deduct(Moves.deduction(METER, key, user, usdc("1.00"), Optional.of("api/x"), T2));
        MoveOutcome changed = port().deduct(Moves.deduction(METER, key, user, usdc("2.00"), Optional.of("api/x"), T2));

        assertThat(retry, is(new MoveOutcome.Replayed(original)));
        assertThat(changed, is(new MoveOutcome.KeyReused()));
        assertThat(balance(user), is(Usdc.ZERO));
        assertThat(ledger(user), hasSize(2));
    }

    @Test
    void theSameDeductionKeyWithAnotherReferenceIsRefusedAsReused() {
        UserId user = freshUser();
        grant(user, "1.00", T1);
        IdempotencyKey key = freshKey();
        applied(port().deduct(Moves.deduction(METER, key, user, usdc("0.10"), Optional.of("api/a"), T1)));

        MoveOutcome reused = port().deduct(Moves.deduction(METER, key, user, usdc("0.10"), Optional.of("api/b"), T2));

        assertThat(reused, is(new MoveOutcome.KeyReused()));
        assertThat(balance(user), is(usdc("0.90")));
    }

    @Test
    void everyEntryOfAUserChainsToTheOneBeforeItFromTheFirst() {
        UserId user = freshUser();
        grant(user, "5", T1);
        LedgerEntry deducted = deduct(user, "1", T2);
        applied(port().refund(Moves.refund(ADMIN, freshKey(), deducted.id(), Optional.empty(), "bad charge", T3)));
        applied(port().placeHold(Moves.hold(METER, freshKey(), user, usdc("2"), T3)));

        List<LedgerEntry> oldestFirst = new ArrayList<>(ledger(user)).reversed();
        String previous = LedgerHash.GENESIS;
        for (LedgerEntry entry : oldestFirst) {
            assertThat(entry.type() + " follows the entry before it", entry.hash(), is(Optional.of(LedgerHash.of(previous, entry))));
            previous = entry.hash().orElseThrow();
        }
        assertThat(oldestFirst, hasSize(5)); // the hold expired by the read, so its release is chained too
    }

    // --------------------------------------------------------------- refunds

    @Test
    void refundWithoutAnAmountGivesBackTheWholeDeductionToItsUser() {
        UserId user = freshUser();
        grant(user, "1.00", T1);
        LedgerEntry deduction = deduct(user, "0.30", T1);
        Refund refund = Moves.refund(ADMIN, freshKey(), deduction.id(), Optional.empty(), "bad charge", T2);

        LedgerEntry entry = applied(port().refund(refund));

        assertThat(entry, is(new LedgerEntry(refund.id(), user, EntryType.REFUND, usdc("0.30"), usdc("1.00"),
                Optional.empty(), Optional.of("bad charge"), Optional.of(deduction.id()), Optional.empty(), entry.drawnFrom(),
                Optional.empty(), Optional.empty(), T2).chained(deduction.hash().orElseThrow())));
        assertThat(Draw.total(entry.drawnFrom()), is(usdc("0.30")));
        assertThat(find(user), is(Optional.of(new Credit(user, usdc("1.00"), Usdc.ZERO, T1, T2))));
        assertThat(ledger(user).get(0), is(entry));
        assertThat("nothing is left to refund",
                port().refund(Moves.refund(ADMIN, freshKey(), deduction.id(), Optional.empty(), "again", T3)),
                is(new MoveOutcome.RefundExceedsDeduction(Usdc.ZERO)));
    }

    @Test
    void aPartialRefundThenTheRestAddUpToTheDeduction() {
        UserId user = freshUser();
        grant(user, "1.00", T1);
        LedgerEntry deduction = deduct(user, "0.30", T1);

        LedgerEntry part = refund(deduction.id(), Optional.of("0.10"), T2);
        LedgerEntry rest = refund(deduction.id(), Optional.empty(), T3);

        assertThat(part.amount(), is(usdc("0.10")));
        assertThat(part.balanceAfter(), is(usdc("0.80")));
        assertThat(rest.amount(), is(usdc("0.20")));
        assertThat(rest.balanceAfter(), is(usdc("1.00")));
        assertThat(port().refund(Moves.refund(ADMIN, freshKey(), deduction.id(), Optional.of(Usdc.ofUnits(1)), "more", T3)),
                is(new MoveOutcome.RefundExceedsDeduction(Usdc.ZERO)));
    }

    @Test
    void aRefundExceedingWhatIsLeftIsRefusedAndWritesNothing() {
        UserId user = freshUser();
        grant(user, "1.00", T1);
        LedgerEntry deduction = deduct(user, "0.30", T1);
        refund(deduction.id(), Optional.of("0.20"), T2);
        List<LedgerEntry> before = ledger(user);
        IdempotencyKey key = freshKey();

        MoveOutcome refused = port().refund(Moves.refund(ADMIN, key, deduction.id(), Optional.of(usdc("0.1000001")),
                "too much", T3));

        assertThat(refused, is(new MoveOutcome.RefundExceedsDeduction(usdc("0.10"))));
        assertThat(ledger(user), is(before));
        assertThat(balance(user), is(usdc("0.90")));
        assertThat("the refused request left its key free", applied(port().refund(Moves.refund(ADMIN, key,
                deduction.id(), Optional.of(usdc("0.10")), "the rest", T3))).balanceAfter(), is(usdc("1.00")));
    }

    @Test
    void aRefundOfAnUnknownIdFindsNoDeductionAndWritesNothing() {
        IdempotencyKey key = freshKey();

        MoveOutcome refused = port().refund(Moves.refund(ADMIN, key, Moves.newId(), Optional.empty(), "bad charge", T1));

        assertThat(refused, is(new MoveOutcome.DeductionNotFound()));
    }

    @Test
    void onlyDeductionsCanBeRefunded() {
        UserId user = freshUser();
        LedgerEntry grant = grant(user, "1.00", T1);
        LedgerEntry deduction = deduct(user, "0.50", T1);
        LedgerEntry refund = refund(deduction.id(), Optional.of("0.10"), T2);
        List<LedgerEntry> before = ledger(user);

        MoveOutcome ofGrant = port().refund(Moves.refund(ADMIN, freshKey(), grant.id(), Optional.empty(), "no", T3));
        MoveOutcome ofRefund = port().refund(Moves.refund(ADMIN, freshKey(), refund.id(), Optional.empty(), "no", T3));

        assertThat(ofGrant, is(new MoveOutcome.DeductionNotFound()));
        assertThat(ofRefund, is(new MoveOutcome.DeductionNotFound()));
        assertThat(ledger(user), is(before));
        assertThat(balance(user), is(usdc("0.60")));
    }

    @Test
    void replayingARefundReturnsTheOriginalEvenWhenNothingIsLeft() {
        UserId user = freshUser();
        grant(user, "1.00", T1);
        LedgerEntry deduction = deduct(user, "0.30", T1);
        IdempotencyKey key = freshKey();
        LedgerEntry original = applied(port().refund(Moves.refund(ADMIN, key, deduction.id(), Optional.empty(),
                "bad charge", T2)));

        MoveOutcome retry = port().refund(Moves.refund(ADMIN, key, deduction.id(), Optional.empty(), "bad charge", T3));
        MoveOutcome changed = port().refund(Moves.refund(ADMIN, key, deduction.id(), Optional.of(usdc("0.30")),
                "bad charge", T3));

        assertThat(retry, is(new MoveOutcome.Replayed(original)));
        assertThat(changed, is(new MoveOutcome.KeyReused()));
        assertThat(balance(user), is(usdc("1.00")));
        assertThat(ledger(user), hasSize(3));
    }

    @Test
    void aRefundKeyUsedForAnotherDeductionIsRefusedAsReused() {
        UserId user = freshUser();
        grant(user, "1.00", T1);
        LedgerEntry first = deduct(user, "0.30", T1);
        LedgerEntry second = deduct(user, "0.30", T1);
        IdempotencyKey key = freshKey();
        applied(port().refund(Moves.refund(ADMIN, key, first.id(), Optional.empty(), "bad charge", T2)));

        MoveOutcome other = port().refund(Moves.refund(ADMIN, key, second.id(), Optional.empty(), "bad charge", T2));
        MoveOutcome unknown = port().refund(Moves.refund(ADMIN, key, Moves.newId(), Optional.empty(), "bad charge", T2));

        assertThat(other, is(new MoveOutcome.KeyReused()));
        assertThat(unknown, is(new MoveOutcome.KeyReused()));
        assertThat(balance(user), is(usdc("0.70")));
    }

    // --------------------------------------------------------------- history

    @Test
    void historyListsEntriesNewestFirst() {
        UserId user = freshUser();
        LedgerEntry grant = grant(user, "1.00", T1);
        LedgerEntry deduction = deduct(user, "0.25", T2);
        LedgerEntry refund = refund(deduction.id(), Optional.empty(), T3);

        HistoryPage page = port().history(user, Optional.empty(), 10, LATER);

        assertThat(page.entries(), contains(refund, deduction, grant));
        assertThat(page.next(), is(Optional.empty()));
    }

    @Test
    void historyOfAUserWithoutEntriesIsEmpty() {
        UserId user = freshUser();
        getOrCreate(user, T0);

        assertThat(port().history(user, Optional.empty(), 50, LATER), is(new HistoryPage(List.of(), Optional.empty())));
        assertThat(port().history(freshUser(), Optional.empty(), 50, LATER), is(new HistoryPage(List.of(), Optional.empty())));
    }

    @Test
    void historyShowsOnlyTheUsersOwnEntries() {
        UserId alice = freshUser();
        UserId bob = freshUser();
        LedgerEntry aliceGrant = grant(alice, "1.00", T1);
        grant(bob, "2.00", T1);

        assertThat(port().history(alice, Optional.empty(), 50, LATER).entries(), contains(aliceGrant));
    }

    @Test
    void pagingWithALimitWalksEveryEntryExactlyOnce() {
        UserId user = freshUser();
        for (int i = 1; i <= 23; i++) {
            grant(user, "0.0" + (i % 9 + 1), T1.plusMillis(i));
        }
        List<LedgerEntry> all = port().history(user, Optional.empty(), 200, LATER).entries();

        List<Integer> sizes = new ArrayList<>();
        List<LedgerEntry> walked = new ArrayList<>();
        Optional<HistoryCursor> cursor = Optional.empty();
        do {
            HistoryPage page = port().history(user, cursor, 5, LATER);
            sizes.add(page.entries().size());
            walked.addAll(page.entries());
            cursor = page.next();
        } while (cursor.isPresent());

        assertThat(all, hasSize(23));
        assertThat(walked, is(all));
        assertThat(sizes, contains(5, 5, 5, 5, 3));
    }

    @Test
    void aFullLastPageHasNoNextCursor() {
        UserId user = freshUser();
        for (int i = 0; i < 6; i++) {
            grant(user, "1.00", T1);
        }

        HistoryPage first = port().history(user, Optional.empty(), 3, LATER);
        HistoryPage second = port().history(user, first.next(), 3, LATER);

        assertThat(first.entries(), hasSize(3));
        assertThat(first.next().isPresent(), is(true));
        assertThat(second.entries(), hasSize(3));
        assertThat(second.next(), is(Optional.empty()));
    }

    @Test
    void aPageHoldsAtMostTheLimit() {
        UserId user = freshUser();
        for (int i = 0; i < 4; i++) {
            grant(user, "1.00", T1);
        }

        assertThat(port().history(user, Optional.empty(), 1, LATER).entries(), hasSize(1));
        assertThat(port().history(user, Optional.empty(), 4, LATER).entries(), hasSize(4));
        assertThat(port().history(user, Optional.empty(), 4, LATER).next(), is(Optional.empty()));
        assertThat(port().history(user, Optional.empty(), Integer.MAX_VALUE, LATER).entries(), hasSize(4));
    }

    @Test
    void aLimitBelowOneIsRefused() {
        UserId user = freshUser();

        assertThrows(IllegalArgumentException.class, () -> port().history(user, Optional.empty(), 0, LATER));
        assertThrows(IllegalArgumentException.class, () -> port().history(user, Optional.empty(), -1, LATER));
    }

    @Test
    void walkingTheHistoryWhileEntriesAreAddedReturnsEveryEarlierEntryOnce() throws Exception {
        UserId user = freshUser();
        Set<EntryId> existing = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            existing.add(grant(user, "0.01", T1).id());
        }
        AtomicBoolean stop = new AtomicBoolean();
        Semaphore written = new Semaphore(0);
        List<LedgerEntry> walked = new ArrayList<>();
        try (ExecutorService pool = Executors.newSingleThreadExecutor()) {
            Future<Integer> writer = pool.submit(() -> {
                int count = 0;
                while (!stop.get()) {
                    grant(user, "0.01", T2);
                    count++;
                    written.release();
                }
                return count;
            });
            try {
                Optional<HistoryCursor> cursor = Optional.empty();
                do {
                    // Between any two pages at least one new entry has been committed.
                    assertThat(written.tryAcquire(30, TimeUnit.SECONDS), is(true));
                    HistoryPage page = port().history(user, cursor, 4, LATER);
                    walked.addAll(page.entries());
                    cursor = page.next();
                } while (cursor.isPresent());
            } finally {
                stop.set(true);
            }
            assertThat("the writer kept writing", writer.get(30, TimeUnit.SECONDS) > 0, is(true));
        }

        List<EntryId> ids = walked.stream().map(LedgerEntry::id).toList();
        assertThat("no entry twice", new HashSet<>(ids).size(), is(ids.size()));
        assertThat(ids.containsAll(existing), is(true));
        // Only grants were written, so newest first means a strictly falling balance.
        for (int i = 1; i < walked.size(); i++) {
            assertThat(walked.get(i).balanceAfter().isLessThan(walked.get(i - 1).balanceAfter()), is(true));
        }
    }

    // ----------------------------------------------------------- concurrency

    @Test
    void hundredConcurrentDeductionsNeverOverdrawTheBalance() throws Exception {
        UserId user = freshUser();
        grant(user, "1.00", T1);

        List<MoveOutcome> outcomes = race(100, i -> port().deduct(
                Moves.deduction(METER, freshKey(), user, usdc("0.03"), Optional.of("api/call"), T2.plusMillis(i))));

        List<LedgerEntry> appliedEntries = entriesOf(outcomes, MoveOutcome.Applied.class);
        assertThat(appliedEntries, hasSize(33));
        assertThat(count(outcomes, MoveOutcome.InsufficientBalance.class), is(67L));
        assertThat(balance(user), is(usdc("0.01")));
        assertThat(ledger(user).stream().filter(entry -> entry.type() == EntryType.DEDUCTION).count(), is(33L));
        // Each success saw the balance the one before it left: 0.97, 0.94, ... 0.01, each once.
        Set<Usdc> balancesAfter = new HashSet<>();
        for (LedgerEntry entry : appliedEntries) {
            balancesAfter.add(entry.balanceAfter());
        }
        Set<Usdc> expected = new HashSet<>();
        for (int k = 1; k <= 33; k++) {
            expected.add(Usdc.ofUnits(usdc("1.00").units() - k * usdc("0.03").units()));
        }
        assertThat(balancesAfter, is(expected));
        for (MoveOutcome outcome : outcomes) {
            if (outcome instanceof MoveOutcome.InsufficientBalance refused) {
                assertThat(refused.available().isLessThan(usdc("0.03")), is(true));
            }
        }
    }

    @Test
    void concurrentGrantsWithOneKeyCreditOnce() throws Exception {
        UserId user = freshUser();
        IdempotencyKey key = freshKey();

        List<MoveOutcome> outcomes = race(24, i -> port().grant(
                Moves.grant(ADMIN, key, user, usdc("7.50"), Optional.of("promo"), T1.plusMillis(i))));

        List<LedgerEntry> appliedEntries = entriesOf(outcomes, MoveOutcome.Applied.class);
        assertThat(appliedEntries, hasSize(1));
        assertThat(entriesOf(outcomes, MoveOutcome.Replayed.class), everyItem(equalTo(appliedEntries.get(0))));
        assertThat(count(outcomes, MoveOutcome.Replayed.class), is(23L));
        assertThat(balance(user), is(usdc("7.50")));
        assertThat(ledger(user), contains(appliedEntries.get(0)));
        assertThat(accountRowCount(user), is(1L));
    }

    @Test
    void concurrentDeductionsWithOneKeyTakeOnce() throws Exception {
        UserId user = freshUser();
        grant(user, "1.00", T1);
        IdempotencyKey key = freshKey();

        List<MoveOutcome> outcomes = race(24, i -> port().deduct(
                Moves.deduction(METER, key, user, usdc("0.40"), Optional.of("api/x"), T2.plusMillis(i))));

        List<LedgerEntry> appliedEntries = entriesOf(outcomes, MoveOutcome.Applied.class);
        assertThat(appliedEntries, hasSize(1));
        assertThat(entriesOf(outcomes, MoveOutcome.Replayed.class), everyItem(equalTo(appliedEntries.get(0))));
        assertThat(count(outcomes, MoveOutcome.Replayed.class), is(23L));
        assertThat(balance(user), is(usdc("0.60")));
        assertThat(ledger(user), hasSize(2));
    }

    @Test
    void concurrentRefundsOfOneDeductionNeverExceedIt() throws Exception {
        UserId user = freshUser();
        grant(user, "1.00", T1);
        LedgerEntry deduction = deduct(user, "1.00", T1);

        // 20 refunds of 0.10 and 5 of "the rest" ask for far more than the deduction.
        List<MoveOutcome> outcomes = race(25, i -> port().refund(Moves.refund(ADMIN, freshKey(), deduction.id(),
                i < 20 ? Optional.of(usdc("0.10")) : Optional.empty(), "outage " + i, T2.plusMillis(i))));

        long refunded = entriesOf(outcomes, MoveOutcome.Applied.class).stream()
                .mapToLong(entry -> entry.amount().units()).sum();
        assertThat(refunded, is(deduction.amount().units()));
        assertThat(count(outcomes, MoveOutcome.Applied.class) + count(outcomes, MoveOutcome.RefundExceedsDeduction.class),
                is(25L));
        assertThat(balance(user), is(usdc("1.00")));
        long inLedger = ledger(user).stream().filter(entry -> entry.type() == EntryType.REFUND)
                .mapToLong(entry -> entry.amount().units()).sum();
        assertThat(inLedger, is(deduction.amount().units()));
        assertThat(port().refund(Moves.refund(ADMIN, freshKey(), deduction.id(), Optional.empty(), "late", T3)),
                is(new MoveOutcome.RefundExceedsDeduction(Usdc.ZERO)));
    }

    @Test
    void concurrentRefundsWithOneKeyRefundOnce() throws Exception {
        UserId user = freshUser();
        grant(user, "1.00", T1);
        LedgerEntry deduction = deduct(user, "0.30", T1);
        IdempotencyKey key = freshKey();

        // "The rest" is the sharp case: a retry that saw the rest as zero would be refused, not replayed.
        List<MoveOutcome> outcomes = race(16, i -> port().refund(Moves.refund(ADMIN, key, deduction.id(),
                Optional.empty(), "bad charge", T2.plusMillis(i))));

        List<LedgerEntry> appliedEntries = entriesOf(outcomes, MoveOutcome.Applied.class);
        assertThat(appliedEntries, hasSize(1));
        assertThat(appliedEntries.get(0).amount(), is(usdc("0.30")));
        assertThat(count(outcomes, MoveOutcome.Replayed.class), is(15L));
        assertThat(entriesOf(outcomes, MoveOutcome.Replayed.class), everyItem(equalTo(appliedEntries.get(0))));
        assertThat(balance(user), is(usdc("1.00")));
    }

    @Test
    void aRandomConcurrentWorkloadKeepsEveryBalanceEqualToItsLedger() throws Exception {
        List<UserId> users = List.of(freshUser(), freshUser(), freshUser(), freshUser(), freshUser());

        List<RandomWorkload.Attempt> attempts = new RandomWorkload(port(), users, 20240115L, T1).run(8, 300);

        Map<EntryId, LedgerEntry> ledgerById = new HashMap<>();
        for (UserId user : users) {
            List<LedgerEntry> oldestFirst = new ArrayList<>(ledger(user));
            Collections.reverse(oldestFirst);
            long running = 0;
            for (LedgerEntry entry : oldestFirst) {
                running += entry.signedUnits();
                assertThat("balance after " + entry.id(), entry.balanceAfter().units(), is(running));
                assertThat("no entry twice", ledgerById.put(entry.id(), entry), is(nullValue()));
            }
            Credit credit = find(user).orElseThrow();
            assertThat("balance of " + user + " is the sum of its ledger", credit.balance().units(), is(running));
            assertThat(running >= 0, is(true));
        }

        Map<List<Object>, LedgerEntry> appliedByIdentity = new HashMap<>();
        Map<List<Object>, String> fingerprintByIdentity = new HashMap<>();
        for (RandomWorkload.Attempt attempt : attempts) {
            if (attempt.outcome() instanceof MoveOutcome.Applied applied) {
                List<Object> identity = identity(attempt.ask());
                assertThat("one effect per key", appliedByIdentity.put(identity, applied.entry()), is(nullValue()));
                fingerprintByIdentity.put(identity, attempt.ask().fingerprint());
                assertThat("every applied entry is in the ledger", ledgerById.get(applied.entry().id()),
                        is(applied.entry()));
            }
        }
        assertThat("every ledger entry was applied by some request", ledgerById.keySet(),
                is(appliedIdsOf(appliedByIdentity.values())));

        Map<EntryId, Long> refundedByDeduction = new HashMap<>();
        for (LedgerEntry entry : ledgerById.values()) {
            if (entry.type() == EntryType.REFUND) {
                LedgerEntry deduction = ledgerById.get(entry.deductionId().orElseThrow());
                assertThat(deduction.type(), is(EntryType.DEDUCTION));
                assertThat(entry.userId(), is(deduction.userId()));
                refundedByDeduction.merge(deduction.id(), entry.amount().units(), Long::sum);
            }
        }
        refundedByDeduction.forEach((deduction, refunded) -> assertThat("refunds of " + deduction,
                refunded <= ledgerById.get(deduction).amount().units(), is(true)));

        for (RandomWorkload.Attempt attempt : attempts) {
            List<Object> identity = identity(attempt.ask());
            switch (attempt.outcome()) {
                case MoveOutcome.Replayed replayed -> {
                    assertThat(replayed.entry(), is(appliedByIdentity.get(identity)));
                    assertThat(attempt.ask().fingerprint(), is(fingerprintByIdentity.get(identity)));
                }
                case MoveOutcome.KeyReused reused -> {
                    assertThat(appliedByIdentity.containsKey(identity), is(true));
                    assertThat(attempt.ask().fingerprint(), is(not(fingerprintByIdentity.get(identity))));
                }
                case MoveOutcome.InsufficientBalance refused ->
                        assertThat(refused.available().isLessThan(refused.requested()), is(true));
                case MoveOutcome.DeductionNotFound notFound ->
                        assertThat(ledgerById.containsKey(attempt.ask().deductionId())
                                && ledgerById.get(attempt.ask().deductionId()).type() == EntryType.DEDUCTION, is(false));
                case MoveOutcome.RefundExceedsDeduction refused ->
                        assertThat(refused.refundable().compareTo(ledgerById.get(attempt.ask().deductionId()).amount()) <= 0,
                                is(true));
                case MoveOutcome.BalanceLimitExceeded refused ->
                        throw new AssertionError("the workload never comes near the largest balance: " + attempt);
                case MoveOutcome.PaymentAlreadyCredited refused ->
                        throw new AssertionError("the workload makes no top-ups: " + attempt);
                case MoveOutcome.HoldNotFound refused -> throw new AssertionError("the workload places no holds: " + attempt);
                case MoveOutcome.HoldNotActive refused -> throw new AssertionError("the workload places no holds: " + attempt);
                case MoveOutcome.CaptureExceedsHold refused -> throw new AssertionError("the workload places no holds: " + attempt);
                case MoveOutcome.HoldLimitReached refused -> throw new AssertionError("the workload places no holds: " + attempt);
                case MoveOutcome.Applied applied -> {
                }
            }
        }
        assertStorageConsistent(users);
        assertThat("the workload moved money", appliedByIdentity.size() > 100, is(true));
        assertThat("the workload replayed", count(attempts, MoveOutcome.Replayed.class) > 0, is(true));
        assertThat("the workload reused keys", count(attempts, MoveOutcome.KeyReused.class) > 0, is(true));
        assertThat("the workload ran dry", count(attempts, MoveOutcome.InsufficientBalance.class) > 0, is(true));
    }

    // --------------------------------------------------------------- helpers

    private static List<Object> identity(RandomWorkload.Ask ask) {
        return List.of(ask.caller(), ask.op(), ask.key());
    }

    private static Set<EntryId> appliedIdsOf(Collection<LedgerEntry> entries) {
        Set<EntryId> ids = new HashSet<>();
        for (LedgerEntry entry : entries) {
            ids.add(entry.id());
        }
        return ids;
    }

    private LedgerEntry grant(UserId user, String amount, Instant at) {
        return applied(port().grant(Moves.grant(ADMIN, freshKey(), user, usdc(amount), Optional.of("top-up"), at)));
    }

    private LedgerEntry deduct(UserId user, String amount, Instant at) {
        return applied(port().deduct(Moves.deduction(METER, freshKey(), user, usdc(amount), Optional.of("api/call"), at)));
    }

    private LedgerEntry refund(EntryId deduction, Optional<String> amount, Instant at) {
        return applied(port().refund(Moves.refund(ADMIN, freshKey(), deduction, amount.map(Usdc::parse), "bad charge", at)));
    }

    // ---------------------------------------------------------------- lots

    private static final Instant EXPIRY = T0.plusSeconds(3600);

    private static LotTerms promotional(int priority, Optional<Instant> expiresAt) {
        return new LotTerms(LotCategory.PROMOTIONAL, priority, expiresAt);
    }

    @Test
    void aDeductionDrawsByPriorityThenSoonestExpiryThenPromotionalBeforePaidThenOldest() {
        UserId user = freshUser();
        EntryId paid = applied(port().topup(Moves.topup(METER, freshKey(), user, usdc("1"), "pay-" + UUID.randomUUID(), T0))).id();
        EntryId oldPromo = applied(port().grant(Moves.grant(ADMIN, freshKey(), user, usdc("1"), promotional(50, Optional.empty()), T0))).id();
        EntryId laterExpiry = applied(port().grant(Moves.grant(ADMIN, freshKey(), user, usdc("1"),
                promotional(50, Optional.of(EXPIRY.plusSeconds(60))), T0))).id();
        EntryId soonerExpiry = applied(port().grant(Moves.grant(ADMIN, freshKey(), user, usdc("1"),
                promotional(50, Optional.of(EXPIRY)), T0))).id();
        EntryId newPromo = applied(port().grant(Moves.grant(ADMIN, freshKey(), user, usdc("1"), promotional(50, Optional.empty()), T0))).id();
        EntryId firstByPriority = applied(port().grant(Moves.grant(ADMIN, freshKey(), user, usdc("1"),
                new LotTerms(LotCategory.PAID, 10, Optional.empty()), T0))).id();

        LedgerEntry deduction = applied(port().deduct(Moves.deduction(METER, freshKey(), user, usdc("5.5"), Optional.empty(), T1)));

        assertThat(deduction.drawnFrom(), contains(new Draw(firstByPriority, usdc("1")), new Draw(soonerExpiry, usdc("1")),
                new Draw(laterExpiry, usdc("1")), new Draw(oldPromo, usdc("1")), new Draw(newPromo, usdc("1")),
                new Draw(paid, usdc("0.5"))));
        Balance after = port().find(user, T1).orElseThrow();
        assertThat(after.balance(), is(usdc("0.5")));
        assertThat(after.paid(), is(usdc("0.5")));
        assertThat(after.promotional(), is(Usdc.ZERO));
    }

    @Test
    void aLotCountsOneMillisecondBeforeItsExpiryAndIsGoneAtItWithNothingElseRun() {
        UserId user = freshUser();
        EntryId lot = applied(port().grant(Moves.grant(ADMIN, freshKey(), user, usdc("2"), promotional(50, Optional.of(EXPIRY)), T0))).id();
        applied(port().topup(Moves.topup(METER, freshKey(), user, usdc("1"), "pay-" + UUID.randomUUID(), T0)));

        Balance before = port().find(user, EXPIRY.minusMillis(1)).orElseThrow();
        Balance at = port().find(user, EXPIRY).orElseThrow();

        assertThat(before.balance(), is(usdc("3")));
        assertThat(before.nextExpiry(), is(Optional.of(new Balance.NextExpiry(EXPIRY, usdc("2")))));
        assertThat(at.balance(), is(usdc("1")));
        assertThat(at.promotional(), is(Usdc.ZERO));
        assertThat(at.nextExpiry(), is(Optional.empty()));
        assertThat(port().deduct(Moves.deduction(METER, freshKey(), user, usdc("1.5"), Optional.empty(), EXPIRY)),
                is(new MoveOutcome.InsufficientBalance(usdc("1"), usdc("1.5"))));

        List<LedgerEntry> history = port().history(user, Optional.empty(), 10, EXPIRY).entries();
        assertThat(history.get(0).type(), is(EntryType.EXPIRY));
        assertThat(history.get(0).grantId(), is(Optional.of(lot)));
        assertThat(history.get(0).amount(), is(usdc("2")));
        assertThat(history.get(0).createdAt(), is(EXPIRY));
        assertThat(history.get(0).balanceAfter(), is(usdc("1")));
    }

    @Test
    void aMoveAfterAnExpiryWritesTheExpiryFirstAtItsInstant() {
        UserId user = freshUser();
        applied(port().grant(Moves.grant(ADMIN, freshKey(), user, usdc("2"), promotional(50, Optional.of(EXPIRY)), T0)));
        applied(port().grant(Moves.grant(ADMIN, freshKey(), user, usdc("1"), promotional(50, Optional.empty()), T0)));

        LedgerEntry deduction = applied(port().deduct(Moves.deduction(METER, freshKey(), user, usdc("1"), Optional.empty(),
                EXPIRY.plusSeconds(5))));

        List<LedgerEntry> history = ledger(user);
        assertThat(history.get(0), is(deduction));
        assertThat(history.get(1).type(), is(EntryType.EXPIRY));
        assertThat(history.get(1).createdAt(), is(EXPIRY));
        assertThat(deduction.balanceAfter(), is(Usdc.ZERO));
        assertThat(port().settleExpiries(EXPIRY.plusSeconds(10), 100) >= 0, is(true));
        assertThat(ledger(user), hasSize(4));
    }

    @Test
    void theSweeperWritesEachOwedExpiryOnceHoweverOftenItRuns() {
        UserId user = freshUser();
        applied(port().grant(Moves.grant(ADMIN, freshKey(), user, usdc("2"), promotional(50, Optional.of(EXPIRY)), T0)));

        port().settleExpiries(EXPIRY.minusMillis(1), 1000);
        assertThat(port().history(user, Optional.empty(), 10, EXPIRY.minusMillis(1)).entries(), hasSize(1));
        port().settleExpiries(EXPIRY, 1000);
        port().settleExpiries(EXPIRY.plusSeconds(1), 1000);

        List<LedgerEntry> history = ledger(user);
        assertThat(history, hasSize(2));
        assertThat(history.get(0).type(), is(EntryType.EXPIRY));
        assertThat(history.get(0).createdAt(), is(EXPIRY));
        assertThat(balance(user), is(Usdc.ZERO));
    }

    @Test
    void aRefundGoesBackLastDrawnFirstAndWhatReturnsToAnExpiredLotExpiresAgainAtOnce() {
        UserId user = freshUser();
        EntryId expiring = applied(port().grant(Moves.grant(ADMIN, freshKey(), user, usdc("1"),
                promotional(10, Optional.of(EXPIRY)), T0))).id();
        EntryId lasting = applied(port().grant(Moves.grant(ADMIN, freshKey(), user, usdc("1"), promotional(50, Optional.empty()), T0))).id();
        LedgerEntry deduction = applied(port().deduct(Moves.deduction(METER, freshKey(), user, usdc("1.5"), Optional.empty(), T1)));
        assertThat(deduction.drawnFrom(), contains(new Draw(expiring, usdc("1")), new Draw(lasting, usdc("0.5"))));

        Instant later = EXPIRY.plusSeconds(60);
        LedgerEntry refund = applied(port().refund(Moves.refund(ADMIN, freshKey(), deduction.id(), Optional.empty(), "outage", later)));

        assertThat(refund.drawnFrom(), contains(new Draw(lasting, usdc("0.5")), new Draw(expiring, usdc("1"))));
        assertThat(refund.balanceAfter(), is(usdc("2")));
        List<LedgerEntry> history = ledger(user);
        assertThat(history.get(0).type(), is(EntryType.EXPIRY));
        assertThat(history.get(0).grantId(), is(Optional.of(expiring)));
        assertThat(history.get(0).amount(), is(usdc("1")));
        assertThat(history.get(0).createdAt(), is(later));
        assertThat(history.get(1), is(refund));
        assertThat(balance(user), is(usdc("1")));
    }

    @Test
    void concurrentDeductionsAcrossManyLotsNeverOverdrawAndNeverTakeFromAnExpiredLot() throws Exception {
        UserId user = freshUser();
        EntryId expired = applied(port().grant(Moves.grant(ADMIN, freshKey(), user, usdc("10"),
                promotional(0, Optional.of(T1)), T0))).id();
        for (int i = 0; i < 4; i++) {
            applied(port().grant(Moves.grant(ADMIN, freshKey(), user, usdc("10"), promotional(i * 10, Optional.empty()), T0)));
        }

        List<MoveOutcome> outcomes = race(RACERS, racer -> port().deduct(
                Moves.deduction(METER, freshKey(), user, usdc("3"), Optional.empty(), T2)));

        long applied = outcomes.stream().filter(MoveOutcome.Applied.class::isInstance).count();
        assertThat(applied, is(13L)); // 40 spendable, 3 each
        assertThat(balance(user), is(usdc("1")));
        for (LedgerEntry entry : ledger(user)) {
            if (entry.type() == EntryType.DEDUCTION) {
                assertThat(entry.drawnFrom().stream().noneMatch(draw -> draw.lotId().equals(expired)), is(true));
            }
        }
    }

    @Test
    void oneTopUpOfAPaymentRacedUnderSixteenKeysCreditsItOnce() throws Exception {
        UserId user = freshUser();
        String payment = "0x" + UUID.randomUUID();

        List<MoveOutcome> outcomes = race(16, racer -> port().topup(Moves.topup(METER, freshKey(), user, usdc("50"), payment, T1)));

        assertThat(outcomes.stream().filter(MoveOutcome.Applied.class::isInstance).count(), is(1L));
        assertThat(outcomes.stream().filter(MoveOutcome.PaymentAlreadyCredited.class::isInstance).count(), is(15L));
        assertThat(balance(user), is(usdc("50")));
        assertThat(port().find(user, T1).orElseThrow().paid(), is(usdc("50")));
    }

    @Test
    void aPaymentCreditedForOneUserIsRefusedForAnotherAndItsKeyReplays() {
        UserId user = freshUser();
        String payment = "0x" + UUID.randomUUID();
        IdempotencyKey key = freshKey();
        LedgerEntry topup = applied(port().topup(Moves.topup(METER, key, user, usdc("5"), payment, T1)));

        assertThat(port().topup(Moves.topup(METER, key, user, usdc("5"), payment, T2)), is(new MoveOutcome.Replayed(topup)));
        assertThat(port().topup(Moves.topup(METER, freshKey(), freshUser(), usdc("5"), payment, T2)),
                is(new MoveOutcome.PaymentAlreadyCredited()));
        assertThat(topup.deposit().orElseThrow().paymentReference(), is(payment));
        assertThat(topup.lot(), is(Optional.of(LotTerms.DEPOSIT)));
    }

    @Test
    void lotsAreListedInBurnDownOrderAPageAtATimeAndUsedOnesOnlyWithIncludeAll() {
        UserId user = freshUser();
        EntryId used = applied(port().grant(Moves.grant(ADMIN, freshKey(), user, usdc("1"), promotional(0, Optional.empty()), T0))).id();
        EntryId second = applied(port().grant(Moves.grant(ADMIN, freshKey(), user, usdc("1"), promotional(20, Optional.empty()), T0))).id();
        EntryId third = applied(port().grant(Moves.grant(ADMIN, freshKey(), user, usdc("1"), promotional(30, Optional.empty()), T0))).id();
        applied(port().deduct(Moves.deduction(METER, freshKey(), user, usdc("1"), Optional.empty(), T1)));

        LotPage open = port().lots(user, new LotPage.Query(false, Optional.empty(), 1), T2);
        LotPage rest = port().lots(user, new LotPage.Query(false, open.next(), 1), T2);
        LotPage all = port().lots(user, new LotPage.Query(true, Optional.empty(), 10), T2);

        assertThat(open.lots().get(0).id(), is(second));
        assertThat(rest.lots().get(0).id(), is(third));
        assertThat(rest.next(), is(Optional.empty()));
        assertThat(all.lots().stream().map(Lot::id).toList(), contains(used, second, third));
        assertThat(all.lots().get(0).statusAt(T2), is(Lot.Status.USED));
    }

    // ---------------------------------------------------------------- holds

    private LedgerEntry placeHold(UserId user, String amount, Duration expiresIn, Instant at) {
        return applied(port().placeHold(Moves.hold(METER, freshKey(), user, usdc(amount), expiresIn, at)));
    }

    private Hold heldNow(EntryId hold, Instant at) {
        return port().hold(hold, at).orElseThrow();
    }

    @Test
    void aHoldReservesFromTheAvailableBalanceInBurnDownOrderAndLeavesTheBalance() {
        UserId user = freshUser();
        EntryId first = applied(port().grant(Moves.grant(ADMIN, freshKey(), user, usdc("1"), promotional(10, Optional.empty()), T0))).id();
        EntryId second = applied(port().grant(Moves.grant(ADMIN, freshKey(), user, usdc("5"), promotional(50, Optional.empty()), T0))).id();

        LedgerEntry hold = placeHold(user, "2.5", Duration.ofMinutes(5), T1);

        assertThat(hold.type(), is(EntryType.HOLD));
        assertThat(hold.holdId(), is(Optional.of(hold.id())));
        assertThat(hold.balanceAfter(), is(usdc("6")));
        assertThat(hold.drawnFrom(), contains(new Draw(first, usdc("1")), new Draw(second, usdc("1.5"))));
        Balance read = port().find(user, T1).orElseThrow();
        assertThat(read.balance(), is(usdc("6")));
        assertThat(read.held(), is(usdc("2.5")));
        assertThat(read.available(), is(usdc("3.5")));
        Hold placed = heldNow(hold.id(), T1);
        assertThat(placed.status(), is(HoldStatus.ACTIVE));
        assertThat(placed.expiresAt(), is(T1.plus(Duration.ofMinutes(5))));
        LotPage lots = port().lots(user, new LotPage.Query(false, Optional.empty(), 10), T1);
        assertThat(lots.lots().stream().map(Lot::reserved).toList(), contains(usdc("1"), usdc("1.5")));
        assertThat(port().deduct(Moves.deduction(METER, freshKey(), user, usdc("3.6"), Optional.empty(), T1)),
                is(new MoveOutcome.InsufficientBalance(usdc("3.5"), usdc("3.6"))));
    }

    @Test
    void aHoldLargerThanTheAvailableBalanceIsRefusedAndWritesNothing() {
        UserId user = freshUser();
        grant(user, "5", T0);
        placeHold(user, "4", Duration.ofMinutes(5), T1);

        MoveOutcome refused = port().placeHold(Moves.hold(METER, freshKey(), user, usdc("1.0000001"), T1));

        assertThat(refused, is(new MoveOutcome.InsufficientBalance(usdc("1"), usdc("1.0000001"))));
        assertThat(port().find(user, T1).orElseThrow().held(), is(usdc("4")));
        assertThat(port().history(user, Optional.empty(), 10, T1).entries(), hasSize(2));
    }

    @Test
    void theLimitOfActiveHoldsIsCheckedBeforeTheBalance() {
        UserId user = freshUser();
        grant(user, "1", T0);
        for (int i = 0; i < 10; i++) {
            applied(port().placeHold(Moves.hold(METER, freshKey(), user, usdc("0.01"), Duration.ofMinutes(5), 10, T1)));
        }

        assertThat(port().placeHold(Moves.hold(METER, freshKey(), user, usdc("5"), Duration.ofMinutes(5), 10, T1)),
                is(new MoveOutcome.HoldLimitReached(10)));
    }

    @Test
    void aPartialCaptureDeductsFromTheReservedLotsAndFreesTheRestAtOnce() {
        UserId user = freshUser();
        EntryId lot = grant(user, "10", T0).id();
        EntryId hold = placeHold(user, "4", Duration.ofMinutes(5), T1).id();

        LedgerEntry captured = applied(port().capture(Moves.capture(METER, freshKey(), hold, Optional.of(usdc("1.5")), T2)));

        assertThat(captured.type(), is(EntryType.DEDUCTION));
        assertThat(captured.holdId(), is(Optional.of(hold)));
        assertThat(captured.amount(), is(usdc("1.5")));
        assertThat(captured.drawnFrom(), contains(new Draw(lot, usdc("1.5"))));
        assertThat(captured.balanceAfter(), is(usdc("8.5")));
        Balance read = port().find(user, T2).orElseThrow();
        assertThat(read.held(), is(Usdc.ZERO));
        assertThat(read.available(), is(usdc("8.5")));
        Hold ended = heldNow(hold, T2);
        assertThat(ended.status(), is(HoldStatus.CAPTURED));
        assertThat(ended.captured(), is(Optional.of(usdc("1.5"))));
        assertThat(ended.deductionId(), is(Optional.of(captured.id())));
        assertThat(ended.resolvedAt(), is(Optional.of(T2)));
    }

    @Test
    void aCaptureAboveTheHoldIsRefusedAndChangesNothing() {
        UserId user = freshUser();
        grant(user, "10", T0);
        EntryId hold = placeHold(user, "4", Duration.ofMinutes(5), T1).id();

        MoveOutcome refused = port().capture(Moves.capture(METER, freshKey(), hold, Optional.of(usdc("4.0000001")), T2));

        assertThat(refused, is(new MoveOutcome.CaptureExceedsHold(usdc("4"))));
        assertThat(heldNow(hold, T2).status(), is(HoldStatus.ACTIVE));
        assertThat(port().find(user, T2).orElseThrow().held(), is(usdc("4")));
    }

    @Test
    void aReleaseGivesTheWholeHoldBackAndAHoldEndsOnlyOnce() {
        UserId user = freshUser();
        grant(user, "10", T0);
        EntryId hold = placeHold(user, "4", Duration.ofMinutes(5), T1).id();

        LedgerEntry released = applied(port().release(Moves.release(METER, freshKey(), hold, T2)));

        assertThat(released.type(), is(EntryType.HOLD_RELEASE));
        assertThat(released.holdId(), is(Optional.of(hold)));
        assertThat(released.reason(), is(Optional.of("released")));
        assertThat(released.balanceAfter(), is(usdc("10")));
        assertThat(find(user).orElseThrow().held(), is(Usdc.ZERO));
        assertThat(heldNow(hold, T2).status(), is(HoldStatus.RELEASED));
        assertThat(port().release(Moves.release(METER, freshKey(), hold, T3)), is(new MoveOutcome.HoldNotActive(HoldStatus.RELEASED)));
        assertThat(port().capture(Moves.capture(METER, freshKey(), hold, Optional.empty(), T3)),
                is(new MoveOutcome.HoldNotActive(HoldStatus.RELEASED)));
    }

    @Test
    void anUnknownHoldIsNotFoundForCaptureReleaseAndRead() {
        EntryId unknown = new EntryId(UUID.randomUUID());

        assertThat(port().capture(Moves.capture(METER, freshKey(), unknown, Optional.empty(), T1)), is(new MoveOutcome.HoldNotFound()));
        assertThat(port().release(Moves.release(METER, freshKey(), unknown, T1)), is(new MoveOutcome.HoldNotFound()));
        assertThat(port().hold(unknown, T1), is(Optional.empty()));
    }

    @Test
    void aCaptureRetriedWithItsKeyIsReplayedAndTheSameKeyOnAnotherHoldIsReused() {
        UserId user = freshUser();
        grant(user, "10", T0);
        EntryId first = placeHold(user, "1", Duration.ofMinutes(5), T1).id();
        EntryId second = placeHold(user, "1", Duration.ofMinutes(5), T1).id();
        IdempotencyKey key = freshKey();
        LedgerEntry captured = applied(port().capture(Moves.capture(METER, key, first, Optional.empty(), T2)));

        assertThat(port().capture(Moves.capture(METER, key, first, Optional.empty(), T3)), is(new MoveOutcome.Replayed(captured)));
        assertThat(port().capture(Moves.capture(METER, key, second, Optional.empty(), T3)), is(new MoveOutcome.KeyReused()));
        assertThat(balance(user), is(usdc("9")));
        assertThat(heldNow(second, T3).status(), is(HoldStatus.ACTIVE));
    }

    @Test
    void aHoldStopsCountingAtItsExpiryWithNothingRunAndItsReleaseIsWrittenOnceAtThatInstant() {
        UserId user = freshUser();
        grant(user, "10", T0);
        EntryId hold = placeHold(user, "4", Duration.ofSeconds(30), T1).id();
        Instant expiry = T1.plusSeconds(30);

        assertThat(port().find(user, expiry.minusMillis(1)).orElseThrow().available(), is(usdc("6")));
        assertThat(heldNow(hold, expiry.minusMillis(1)).status(), is(HoldStatus.ACTIVE));
        Balance at = port().find(user, expiry).orElseThrow();
        assertThat(at.available(), is(usdc("10")));
        assertThat(at.held(), is(Usdc.ZERO));
        assertThat(heldNow(hold, expiry).status(), is(HoldStatus.EXPIRED));
        assertThat(port().capture(Moves.capture(METER, freshKey(), hold, Optional.empty(), expiry)),
                is(new MoveOutcome.HoldNotActive(HoldStatus.EXPIRED)));

        port().settleExpiries(expiry, 1000);
        port().settleExpiries(expiry.plusSeconds(1), 1000);

        List<LedgerEntry> history = ledger(user);
        assertThat(history, hasSize(3));
        assertThat(history.get(0).type(), is(EntryType.HOLD_RELEASE));
        assertThat(history.get(0).reason(), is(Optional.of("expired")));
        assertThat(history.get(0).createdAt(), is(expiry));
        Hold expired = heldNow(hold, expiry.plusSeconds(2));
        assertThat(expired.status(), is(HoldStatus.EXPIRED));
        assertThat(expired.resolvedAt(), is(Optional.of(expiry)));
        assertThat(find(user).orElseThrow().held(), is(Usdc.ZERO));
    }

    @Test
    void aCaptureDrawsFromAReservedLotThatExpiredMeanwhileAndWhatItGivesBackExpiresThen() {
        UserId user = freshUser();
        EntryId expiring = applied(port().grant(Moves.grant(ADMIN, freshKey(), user, usdc("5"), promotional(10, Optional.of(EXPIRY)),
                T0))).id();
        grant(user, "1", T0);
        EntryId hold = placeHold(user, "4", Duration.ofHours(2), T1).id();
        Instant after = EXPIRY.plusSeconds(60);

        // At the lot's expiry its unreserved 1 goes; the 4 reserved stay until the hold ends.
        assertThat(port().find(user, EXPIRY).orElseThrow().balance(), is(usdc("5")));
        LedgerEntry captured = applied(port().capture(Moves.capture(METER, freshKey(), hold, Optional.of(usdc("3")), after)));

        assertThat(captured.drawnFrom(), contains(new Draw(expiring, usdc("3"))));
        List<LedgerEntry> history = ledger(user);
        assertThat(history.get(0).type(), is(EntryType.EXPIRY));
        assertThat(history.get(0).amount(), is(usdc("1")));
        assertThat(history.get(0).createdAt(), is(after));
        assertThat(history.get(1), is(captured));
        assertThat(history.get(2).type(), is(EntryType.EXPIRY));
        assertThat(history.get(2).createdAt(), is(EXPIRY));
        assertThat(balance(user), is(usdc("1")));
        assertThat(find(user).orElseThrow().held(), is(Usdc.ZERO));
    }

    @Test
    void holdsAreListedNewestFirstByStatusAPageAtATime() {
        UserId user = freshUser();
        grant(user, "10", T0);
        EntryId first = placeHold(user, "1", Duration.ofSeconds(10), T1).id();
        EntryId second = placeHold(user, "1", Duration.ofMinutes(10), T1).id();
        EntryId third = placeHold(user, "1", Duration.ofMinutes(10), T1).id();
        applied(port().release(Moves.release(METER, freshKey(), third, T1)));
        Instant now = T1.plusSeconds(20);

        HoldPage page = port().holds(user, Optional.empty(), Optional.empty(), 2, now);
        HoldPage rest = port().holds(user, Optional.empty(), page.next(), 2, now);

        assertThat(page.holds().stream().map(Hold::id).toList(), contains(third, second));
        assertThat(rest.holds().stream().map(Hold::id).toList(), contains(first));
        assertThat(rest.next(), is(Optional.empty()));
        assertThat(port().holds(user, Optional.of(HoldStatus.ACTIVE), Optional.empty(), 10, now).holds().stream()
                .map(Hold::id).toList(), contains(second));
        assertThat(port().holds(user, Optional.of(HoldStatus.EXPIRED), Optional.empty(), 10, now).holds().stream()
                .map(Hold::status).toList(), contains(HoldStatus.EXPIRED));
        assertThat(port().holds(freshUser(), Optional.empty(), Optional.empty(), 10, now).holds(), hasSize(0));
    }

    @Test
    void concurrentHoldsNeverReserveMoreThanTheBalance() throws Exception {
        UserId user = freshUser();
        grant(user, "5000", T0);

        List<MoveOutcome> outcomes = race(RACERS, racer -> racer % 2 == 0
                ? port().placeHold(Moves.hold(METER, freshKey(), user, usdc("1000"), T1))
                : port().deduct(Moves.deduction(METER, freshKey(), user, usdc("100"), Optional.empty(), T1)));

        long holds = outcomes.stream().filter(outcome -> outcome instanceof MoveOutcome.Applied applied
                && applied.entry().type() == EntryType.HOLD).count();
        long deductions = outcomes.stream().filter(outcome -> outcome instanceof MoveOutcome.Applied applied
                && applied.entry().type() == EntryType.DEDUCTION).count();
        Credit credit = credit(port().find(user, T1).orElseThrow());
        assertThat(credit.held(), is(usdc(Long.toString(holds * 1000))));
        assertThat(credit.balance(), is(usdc(Long.toString(5000 - deductions * 100))));
        assertThat("never more held than the balance", credit.held().compareTo(credit.balance()) <= 0, is(true));
        assertThat(holds * 1000 + deductions * 100 <= 5000, is(true));
    }

    @Test
    void thirtyTwoConcurrentHoldsOfOneOnTenLeaveExactlyTenActive() throws Exception {
        UserId user = freshUser();
        grant(user, "10", T0);

        List<MoveOutcome> outcomes = race(RACERS, racer -> port().placeHold(Moves.hold(METER, freshKey(), user, usdc("1"), T1)));

        assertThat(count(outcomes, MoveOutcome.Applied.class), is(10L));
        assertThat(count(outcomes, MoveOutcome.InsufficientBalance.class), is(22L));
        assertThat(port().holds(user, Optional.of(HoldStatus.ACTIVE), Optional.empty(), 100, T1).holds(), hasSize(10));
        assertThat(port().find(user, T1).orElseThrow().available(), is(Usdc.ZERO));
    }

    @Test
    void aHoldOnALotThatExpiresWhileHeldIsCapturedInFull() {
        UserId user = freshUser();
        EntryId expiring = applied(port().grant(Moves.grant(ADMIN, freshKey(), user, usdc("4"), promotional(10, Optional.of(EXPIRY)),
                T0))).id();
        EntryId hold = placeHold(user, "4", Duration.ofHours(2), T1).id();

        LedgerEntry captured = applied(port().capture(Moves.capture(METER, freshKey(), hold, Optional.empty(), EXPIRY.plusSeconds(1))));

        assertThat(captured.amount(), is(usdc("4")));
        assertThat(captured.drawnFrom(), contains(new Draw(expiring, usdc("4"))));
        assertThat(balance(user), is(Usdc.ZERO));
        assertThat(ledger(user).stream().noneMatch(entry -> entry.type() == EntryType.EXPIRY), is(true));
    }

    @Test
    void placingAndReleasingAHoldRetriedWithTheirKeysAreReplayed() {
        UserId user = freshUser();
        grant(user, "10", T0);
        IdempotencyKey placing = freshKey();
        IdempotencyKey releasing = freshKey();
        LedgerEntry hold = applied(port().placeHold(Moves.hold(METER, placing, user, usdc("3"), T1)));
        LedgerEntry released = applied(port().release(Moves.release(METER, releasing, hold.id(), T2)));

        assertThat(port().placeHold(Moves.hold(METER, placing, user, usdc("3"), T3)), is(new MoveOutcome.Replayed(hold)));
        assertThat(port().placeHold(Moves.hold(METER, placing, user, usdc("4"), T3)), is(new MoveOutcome.KeyReused()));
        assertThat(port().release(Moves.release(METER, releasing, hold.id(), T3)), is(new MoveOutcome.Replayed(released)));
        assertThat(port().holds(user, Optional.empty(), Optional.empty(), 10, T3).holds(), hasSize(1));
        assertThat(port().find(user, T3).orElseThrow().held(), is(Usdc.ZERO));
    }

    @Test
    void aCaptureIsRefundableLikeAnyDeductionBackIntoTheHoldsLots() {
        UserId user = freshUser();
        EntryId lot = grant(user, "10", T0).id();
        EntryId hold = placeHold(user, "4", Duration.ofMinutes(5), T1).id();
        LedgerEntry captured = applied(port().capture(Moves.capture(METER, freshKey(), hold, Optional.of(usdc("3")), T2)));

        LedgerEntry refunded = applied(port().refund(Moves.refund(ADMIN, freshKey(), captured.id(), Optional.empty(), "bad call", T3)));

        assertThat(refunded.amount(), is(usdc("3")));
        assertThat(refunded.drawnFrom(), contains(new Draw(lot, usdc("3"))));
        assertThat(balance(user), is(usdc("10")));
    }

    @Test
    void concurrentHoldsCapturesReleasesAndDeductionsKeepHeldEqualToTheActiveHoldsAndBalanceToTheLedger() throws Exception {
        List<UserId> users = List.of(freshUser(), freshUser(), freshUser());
        users.forEach(user -> grant(user, "50", T0));

        race(RACERS, racer -> {
            java.util.Random random = new java.util.Random(racer);
            for (int step = 0; step < 20; step++) {
                UserId user = users.get(random.nextInt(users.size()));
                Usdc amount = Usdc.ofUnits(1 + random.nextInt(30_000_000));
                MoveOutcome placed = port().placeHold(Moves.hold(METER, freshKey(), user, amount, T1));
                if (placed instanceof MoveOutcome.Applied applied) {
                    EntryId hold = applied.entry().id();
                    switch (random.nextInt(3)) {
                        case 0 -> port().capture(Moves.capture(METER, freshKey(), hold,
                                Optional.of(Usdc.ofUnits(1 + random.nextInt((int) amount.units()))), T1));
                        case 1 -> port().release(Moves.release(METER, freshKey(), hold, T1));
                        default -> { } // left active
                    }
                }
                port().deduct(Moves.deduction(METER, freshKey(), user, Usdc.ofUnits(1 + random.nextInt(5_000_000)), Optional.empty(), T1));
            }
            return null;
        });

        for (UserId user : users) {
            Balance read = port().find(user, T1).orElseThrow();
            long active = port().holds(user, Optional.of(HoldStatus.ACTIVE), Optional.empty(), 1000, T1).holds().stream()
                    .mapToLong(hold -> hold.amount().units()).sum();
            assertThat("held = Σ active holds for " + user, read.held().units(), is(active));
            long signed = port().history(user, Optional.empty(), 1000, T1).entries().stream().mapToLong(LedgerEntry::signedUnits).sum();
            assertThat("balance = Σ entries for " + user, read.balance().units(), is(signed));
            long reserved = port().lots(user, new LotPage.Query(true, Optional.empty(), 100), T1).lots().stream()
                    .mapToLong(lot -> lot.reserved().units()).sum();
            assertThat("Σ reserved = held for " + user, reserved, is(active));
        }
        assertStorageConsistent(users);
    }

    @Test
    void aCaptureAReleaseAndTheExpiryRacingForOneHoldEndItExactlyOnce() throws Exception {
        for (int round = 0; round < 5; round++) {
            UserId user = freshUser();
            grant(user, "10", T0);
            EntryId hold = placeHold(user, "4", Duration.ofSeconds(60), T1).id();
            Instant expiry = T1.plusSeconds(60);
            Instant racingAt = round % 2 == 0 ? expiry.minusMillis(1) : expiry;

            List<MoveOutcome> outcomes = race(12, racer -> switch (racer % 3) {
                case 0 -> port().capture(Moves.capture(METER, freshKey(), hold, Optional.of(usdc("1")), racingAt));
                case 1 -> port().release(Moves.release(METER, freshKey(), hold, racingAt));
                default -> {
                    port().settleExpiries(racingAt, 100);
                    yield new MoveOutcome.HoldNotActive(HoldStatus.EXPIRED);
                }
            });

            long won = outcomes.stream().filter(MoveOutcome.Applied.class::isInstance).count();
            Hold ended = heldNow(hold, expiry.plusSeconds(1));
            List<LedgerEntry> history = ledger(user);
            long endings = history.stream().filter(entry -> entry.holdId().equals(Optional.of(hold))
                    && entry.type() != EntryType.HOLD).count();
            assertThat("one capture, release or expiry ended the hold", endings, is(1L));
            assertThat(won, is(ended.status() == HoldStatus.EXPIRED ? 0L : 1L));
            assertThat(find(user).orElseThrow().held(), is(Usdc.ZERO));
            for (MoveOutcome outcome : outcomes) {
                if (!(outcome instanceof MoveOutcome.Applied)) {
                    assertThat(outcome, instanceOf(MoveOutcome.HoldNotActive.class));
                }
            }
        }
    }

    private static LedgerEntry applied(MoveOutcome outcome) {
        assertThat(outcome, instanceOf(MoveOutcome.Applied.class));
        return ((MoveOutcome.Applied) outcome).entry();
    }

    private Usdc balance(UserId user) {
        return find(user).orElseThrow().balance();
    }

    /** The user's whole ledger, newest first, read through the port a page at a time. */
    private List<LedgerEntry> ledger(UserId user) {
        List<LedgerEntry> entries = new ArrayList<>();
        Optional<HistoryCursor> cursor = Optional.empty();
        do {
            HistoryPage page = port().history(user, cursor, 200, LATER);
            entries.addAll(page.entries());
            cursor = page.next();
        } while (cursor.isPresent());
        return entries;
    }

    private static Usdc usdc(String text) {
        return Usdc.parse(text);
    }

    private static List<LedgerEntry> entriesOf(List<MoveOutcome> outcomes, Class<? extends MoveOutcome> kind) {
        List<LedgerEntry> entries = new ArrayList<>();
        for (MoveOutcome outcome : outcomes) {
            if (kind.isInstance(outcome)) {
                switch (outcome) {
                    case MoveOutcome.Applied applied -> entries.add(applied.entry());
                    case MoveOutcome.Replayed replayed -> entries.add(replayed.entry());
                    default -> throw new IllegalArgumentException(kind + " carries no entry");
                }
            }
        }
        return entries;
    }

    private static long count(List<?> outcomes, Class<? extends MoveOutcome> kind) {
        return outcomes.stream()
                .map(item -> item instanceof RandomWorkload.Attempt attempt ? attempt.outcome() : item)
                .filter(kind::isInstance)
                .count();
    }

    /** Runs the racers on their own threads, released together by one gate; their results in racer order. */
    private static <T> List<T> race(int racers, IntFunction<T> racer) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(racers)) {
            CountDownLatch ready = new CountDownLatch(racers);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                int racerIndex = i;
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    start.await();
                    return racer.apply(racerIndex);
                }));
            }
            assertThat("racers ready", ready.await(30, TimeUnit.SECONDS), is(true));
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(60, TimeUnit.SECONDS));
            }
            return results;
        }
    }
}
