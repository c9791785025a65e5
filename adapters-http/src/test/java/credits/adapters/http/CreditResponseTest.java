package credits.adapters.http;

import credits.adapters.http.json.ApiTimestamps;
import credits.domain.Credit;
import credits.domain.Usdc;
import credits.domain.UserId;
import org.junit.jupiter.api.Test;

import java.time.Instant;

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
        Credit credit = new Credit(UserId.of("u"), Usdc.parse("10"), Usdc.parse("2.5"),
                Instant.parse("2024-01-15T10:30:00Z"), Instant.parse("2024-01-15T10:30:00Z"));

        CreditResponse response = CreditResponse.from(credit);

        assertThat(response.balanceUsdc(), is("10.00"));
        assertThat(response.availableUsdc(), is("7.50"));
    }
}
