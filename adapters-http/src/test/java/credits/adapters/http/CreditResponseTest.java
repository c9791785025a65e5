package credits.adapters.http;

import credits.adapters.http.json.ApiTimestamps;
import credits.domain.Balance;
import credits.domain.Usdc;
import credits.domain.UserId;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class CreditResponseTest {

    @Test
    void timestampsAlwaysHaveThreeMillisecondDigitsAndZ() {
        assertThat(ApiTimestamps.format(Instant.parse("2024-01-15T10:30:00Z")), is("2024-01-15T10:30:00.000Z"));
        assertThat(ApiTimestamps.format(Instant.parse("2024-01-15T10:30:00.5Z")), is("2024-01-15T10:30:00.500Z"));
        assertThat(ApiTimestamps.format(Instant.parse("2024-01-15T10:30:00.123456789Z")), is("2024-01-15T10:30:00.123Z"));
    }

    @Test
    void availableIsBalanceMinusHolds() {
        Balance balance = new Balance(UserId.of("u"), Usdc.parse("10"), Usdc.parse("2.5"), Usdc.parse("4"), Usdc.parse("6"),
                Optional.empty(), Instant.parse("2024-01-15T10:30:00Z"), Instant.parse("2024-01-15T10:30:00Z"));

        CreditResponse response = CreditResponse.from(balance);

        assertThat(response.balanceUsdc(), is("10.00"));
        assertThat(response.availableUsdc(), is("7.50"));
        assertThat(response.heldUsdc(), is("2.50"));
    }

    @Test
    void theBreakdownShowsPaidPromotionalAndTheNextExpiryOrNullsWhenNothingExpires() {
        Instant at = Instant.parse("2024-01-15T10:30:00Z");
        Balance expiring = new Balance(UserId.of("u"), Usdc.parse("100.5"), Usdc.ZERO, Usdc.parse("80"), Usdc.parse("20.5"),
                Optional.of(new Balance.NextExpiry(Instant.parse("2027-01-01T00:00:00Z"), Usdc.parse("20.5"))), at, at);
        Balance lasting = new Balance(UserId.of("u"), Usdc.parse("80"), Usdc.ZERO, Usdc.parse("80"), Usdc.ZERO,
                Optional.empty(), at, at);

        CreditResponse withExpiry = CreditResponse.from(expiring);
        CreditResponse without = CreditResponse.from(lasting);

        assertThat(withExpiry.paidUsdc(), is("80.00"));
        assertThat(withExpiry.promotionalUsdc(), is("20.50"));
        assertThat(withExpiry.nextExpiryAt(), is("2027-01-01T00:00:00.000Z"));
        assertThat(withExpiry.nextExpiryUsdc(), is("20.50"));
        assertThat(without.promotionalUsdc(), is("0.00"));
        assertThat(without.nextExpiryAt(), is((String) null));
        assertThat(without.nextExpiryUsdc(), is((String) null));
    }
}
