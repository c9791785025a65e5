package credits.domain;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CreditTest {

    private static final Instant NOW = Instant.parse("2024-01-15T10:30:00Z");

    @Test
    void aNewAccountOpensAtZeroWithBothTimesNow() {
        Credit credit = Credit.opened(UserId.of("user_123"), NOW);
        assertThat(credit.balance(), is(Usdc.ZERO));
        assertThat(credit.available(), is(Usdc.ZERO));
        assertThat(credit.createdAt(), is(NOW));
        assertThat(credit.updatedAt(), is(NOW));
    }

    @Test
    void availableIsBalanceMinusHeld() {
        Credit credit = new Credit(UserId.of("u"), Usdc.parse("10"), Usdc.parse("2.5"), NOW, NOW);
        assertThat(credit.available(), is(Usdc.parse("7.5")));
    }

    @Test
    void heldLargerThanBalanceIsAnImpossibleState() {
        assertThrows(IllegalStateException.class,
                () -> new Credit(UserId.of("u"), Usdc.parse("1"), Usdc.parse("2"), NOW, NOW));
    }

    @Test
    void theAvailableBalanceCoversUpToItselfAndNoMore() {
        Credit credit = new Credit(UserId.of("u"), Usdc.parse("10"), Usdc.parse("2.5"), NOW, NOW);

        assertThat(credit.covers(Usdc.parse("7.5")), is(true));
        assertThat(credit.covers(Usdc.parse("7.5000001")), is(false));
    }

    @Test
    void aMoveHappensAtTheClockOrAtTheLastChangeWhicheverIsLater() {
        Credit credit = new Credit(UserId.of("u"), Usdc.parse("10"), Usdc.ZERO, NOW, NOW.plusSeconds(5));

        assertThat(credit.nextMoveTime(NOW), is(NOW.plusSeconds(5)));
        assertThat(credit.nextMoveTime(NOW.plusSeconds(6)), is(NOW.plusSeconds(6)));
    }
}
