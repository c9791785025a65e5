package credits.application.service;

import credits.adapters.persistence.memory.InMemoryCreditsAdapter;
import credits.domain.Balance;
import credits.domain.UserId;
import credits.domain.Usdc;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class GetOrCreateCreditServiceTest {

    private final InMemoryCreditsAdapter credits = new InMemoryCreditsAdapter();

    @Test
    void aFirstTimeUserGetsAnAccountAtZeroStampedWithTheClockToTheMillisecond() {
        Clock clock = Clock.fixed(Instant.parse("2024-01-15T10:30:00.123456789Z"), ZoneOffset.UTC);

        Balance credit = new GetOrCreateCreditService(credits, clock).getOrCreate(UserId.of("user_123"));

        assertThat(credit.balance(), is(Usdc.ZERO));
        assertThat(credit.createdAt(), is(Instant.parse("2024-01-15T10:30:00.123Z")));
        assertThat(credit.updatedAt(), is(Instant.parse("2024-01-15T10:30:00.123Z")));
    }

    @Test
    void aReturningUserKeepsTheAccountOpenedOnTheirFirstVisit() {
        UserId user = UserId.of("user_123");
        new GetOrCreateCreditService(credits, Clock.fixed(Instant.parse("2024-01-15T10:30:00Z"), ZoneOffset.UTC))
                .getOrCreate(user);

        Balance later = new GetOrCreateCreditService(credits, Clock.fixed(Instant.parse("2024-02-01T00:00:00Z"), ZoneOffset.UTC))
                .getOrCreate(user);

        assertThat(later.createdAt(), is(Instant.parse("2024-01-15T10:30:00Z")));
        assertThat(credits.find(user, Instant.parse("2024-02-01T00:00:00Z")).orElseThrow(), is(later));
    }
}
