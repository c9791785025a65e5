package credits.adapters.persistence;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import credits.domain.Credit;
import credits.domain.CreditsPort;
import credits.domain.UserId;
import credits.domain.Usdc;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * What every {@link CreditsPort} adapter must do. Each adapter's test extends this suite, so the
 * in-memory fake and PostgreSQL are held to the very same behaviour, concurrency included.
 *
 * <p>Times are whole milliseconds, as the use case stores them. Every test uses fresh user ids, so
 * adapters need not be emptied between tests.
 */
public abstract class CreditsPortContract {

    private static final Instant T0 = Instant.parse("2024-01-15T10:30:00.123Z");
    private static final int RACERS = 32;

    /** The adapter under test; the same instance for the whole test. */
    protected abstract CreditsPort port();

    /** How many account records the adapter holds for the user, counted in its own storage. */
    protected abstract long accountRowCount(UserId userId);

    /** A user id no other test has used. */
    protected static UserId freshUser() {
        return UserId.of("user_" + UUID.randomUUID());
    }

    @Test
    void firstRequestOpensTheAccountAtZeroWithTheGivenTime() {
        UserId user = freshUser();

        Credit credit = port().getOrCreate(user, T0);

        assertThat(credit, is(new Credit(user, Usdc.ZERO, Usdc.ZERO, T0, T0)));
        assertThat(credit.available(), is(Usdc.ZERO));
        assertThat(accountRowCount(user), is(1L));
    }

    @Test
    void laterRequestsReturnTheSameAccountWithItsOriginalTimes() {
        UserId user = freshUser();
        Credit first = port().getOrCreate(user, T0);

        Credit second = port().getOrCreate(user, T0.plus(Duration.ofDays(3)));

        assertThat(second, is(first));
        assertThat(second.createdAt(), is(T0));
        assertThat(second.updatedAt(), is(T0));
        assertThat(accountRowCount(user), is(1L));
    }

    @Test
    void findingAnUnknownUserCreatesNothing() {
        UserId user = freshUser();

        Optional<Credit> found = port().find(user);

        assertThat(found, is(Optional.empty()));
        assertThat(port().find(user), is(Optional.empty()));
        assertThat(accountRowCount(user), is(0L));
    }

    @Test
    void findReturnsTheAccountGetOrCreateOpened() {
        UserId user = freshUser();
        Credit created = port().getOrCreate(user, T0);

        assertThat(port().find(user), is(Optional.of(created)));
    }

    @Test
    void accountsOfDifferentUsersAreIndependent() {
        UserId alice = freshUser();
        UserId bob = freshUser();
        Instant later = T0.plusMillis(1);

        Credit aliceCredit = port().getOrCreate(alice, T0);
        Credit bobCredit = port().getOrCreate(bob, later);

        assertThat(aliceCredit.userId(), is(alice));
        assertThat(bobCredit.userId(), is(bob));
        assertThat(bobCredit.createdAt(), is(later));
        assertThat(port().find(alice), is(Optional.of(aliceCredit)));
        assertThat(accountRowCount(alice), is(1L));
        assertThat(accountRowCount(bob), is(1L));
    }

    @Test
    void userIdsDifferingOnlyInCaseAreDifferentUsers() {
        String suffix = UUID.randomUUID().toString();
        UserId lower = UserId.of("alice-" + suffix);
        UserId upper = UserId.of("ALICE-" + suffix);

        port().getOrCreate(lower, T0);

        assertThat(port().find(upper), is(Optional.empty()));
    }

    @Test
    void longestUserIdRoundTripsExactly() {
        String prefix = UUID.randomUUID() + "-";
        UserId user = UserId.of(prefix + "x".repeat(UserId.MAX_LENGTH - prefix.length()));

        assertThat(port().getOrCreate(user, T0).userId().value(), is(user.value()));
        assertThat(port().find(user).orElseThrow().userId().value(), is(user.value()));
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
            port().getOrCreate(user, T0);
        }

        for (UserId user : users) {
            assertThat(port().find(user).orElseThrow().userId().value(), is(user.value()));
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
            assertThat(port().find(user), is(Optional.of(winner)));
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
                    return port().getOrCreate(user, now);
                }));
            }
            start.countDown();
            for (Future<Credit> future : futures) {
                future.get(30, TimeUnit.SECONDS);
            }
        }

        for (UserId user : users) {
            assertThat(accountRowCount(user), is(1L));
            assertThat(port().find(user).orElseThrow().userId(), is(user));
        }
        assertThat(port().find(users.get(0)), is(not(port().find(users.get(1)))));
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
                    return port().getOrCreate(user, now);
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
}
