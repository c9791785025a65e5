package credits.domain;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The chain's reference values were computed outside Java (Python's hashlib over the contract's text). */
class LedgerHashTest {

    private static final EntryId LOT = new EntryId(UUID.fromString("22222222-2222-2222-2222-222222222222"));
    private static final LedgerEntry DEDUCTION = new LedgerEntry(new EntryId(UUID.fromString("11111111-1111-1111-1111-111111111111")),
            UserId.of("user_123"), EntryType.DEDUCTION, Usdc.parse("0.75"), Usdc.parse("99.25"), Optional.of("api_weather/forecast"),
            Optional.empty(), Optional.empty(), Optional.empty(), List.of(new Draw(LOT, Usdc.parse("0.75"))), Optional.empty(),
            Optional.empty(), Instant.parse("2024-01-15T10:30:00Z"));
    private static final LedgerEntry REFUND = new LedgerEntry(new EntryId(UUID.fromString("33333333-3333-3333-3333-333333333333")),
            UserId.of("user_123"), EntryType.REFUND, Usdc.parse("0.25"), Usdc.parse("99.50"), Optional.empty(), Optional.of("bad call"),
            Optional.of(DEDUCTION.id()), Optional.empty(), List.of(new Draw(LOT, Usdc.parse("0.25"))), Optional.empty(),
            Optional.empty(), Instant.parse("2024-01-15T10:31:00Z"));

    @Test
    void theHashedTextIsTheContractsPartsAsTheApiShowsThemJoinedByBars() {
        assertThat(LedgerHash.text(LedgerHash.GENESIS, DEDUCTION), is("0".repeat(64)
                + "|11111111-1111-1111-1111-111111111111|deduction|user_123|0.75|99.25|2024-01-15T10:30:00.000Z"
                + "|api_weather/forecast|||||22222222-2222-2222-2222-222222222222:0.75"));
    }

    @Test
    void aUsersChainMatchesTheReferenceValues() {
        LedgerEntry first = DEDUCTION.chained(LedgerHash.GENESIS);
        LedgerEntry second = REFUND.chained(first.hash().orElseThrow());

        assertThat(first.hash(), is(Optional.of("6635846fb88a81041c2c43c6091abeb91bc53f53b62ff3300452e21227e679fd")));
        assertThat(second.hash(), is(Optional.of("9746a5662cacff8f77e103dd56fb9342dd84944d55b42ee69c3db84e6ff0d83a")));
    }

    @Test
    void changingAnyPartOrThePreviousHashChangesTheHash() {
        String original = LedgerHash.of(LedgerHash.GENESIS, DEDUCTION);
        LedgerEntry otherAmount = new LedgerEntry(DEDUCTION.id(), DEDUCTION.userId(), DEDUCTION.type(), Usdc.parse("0.76"),
                DEDUCTION.balanceAfter(), DEDUCTION.reference(), DEDUCTION.reason(), DEDUCTION.deductionId(), DEDUCTION.grantId(),
                List.of(new Draw(LOT, Usdc.parse("0.76"))), DEDUCTION.lot(), DEDUCTION.deposit(), DEDUCTION.createdAt());

        assertThat(LedgerHash.of(LedgerHash.GENESIS, otherAmount), is(not(original)));
        assertThat(LedgerHash.of("1".repeat(64), DEDUCTION), is(not(original)));
    }

    @Test
    void aPreviousHashMustBeSixtyFourLowercaseHexDigits() {
        assertThrows(IllegalArgumentException.class, () -> LedgerHash.of("A".repeat(64), DEDUCTION));
        assertThrows(IllegalArgumentException.class, () -> LedgerHash.of("0".repeat(63), DEDUCTION));
    }
}
