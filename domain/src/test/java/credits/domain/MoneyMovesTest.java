package credits.domain;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MoneyMovesTest {

    private static final String DIGEST = "a".repeat(64);
    private static final UserId ADMIN = UserId.of("admin");

    @Test
    void aFingerprintMustBeAFullSha256Digest() {
        IdempotencyKey key = new IdempotencyKey("k");
        assertThrows(IllegalArgumentException.class, () -> new Idempotency(ADMIN, Operation.GRANT, key, "short"));
        assertThrows(IllegalArgumentException.class, () -> new Idempotency(ADMIN, Operation.GRANT, key, "A".repeat(64)));
    }

    @Test
    void aZeroAmountMovesNothingAndIsRefused() {
        assertThrows(InvalidValueException.class, () -> grant(Operation.GRANT, Usdc.ZERO));
        assertThrows(InvalidValueException.class, () -> deduction(Operation.DEDUCTION, Usdc.ZERO, Optional.empty()));
    }

    @Test
    void aMoveCannotCarryTheIdempotencyIdentityOfAnotherOperation() {
        assertThrows(IllegalArgumentException.class, () -> grant(Operation.REFUND, Usdc.parse("1")));
        assertThrows(IllegalArgumentException.class, () -> grant(Operation.DEDUCTION, Usdc.parse("1")));
        assertThrows(IllegalArgumentException.class, () -> deduction(Operation.GRANT, Usdc.parse("1"), Optional.empty()));
    }

    @Test
    void aReferenceOverTwoHundredFiftyFiveCharactersIsRefused() {
        assertThrows(InvalidValueException.class,
                () -> deduction(Operation.DEDUCTION, Usdc.parse("1"), Optional.of("r".repeat(256))));
    }

    @Test
    void anEarlierRequestWithTheSameFingerprintIsReplayedAndAnotherIsAReusedKey() {
        Idempotency identity = new Idempotency(ADMIN, Operation.DEDUCTION, new IdempotencyKey("k"), DIGEST);
        LedgerEntry earlier = deduction(Operation.DEDUCTION, Usdc.parse("1"), Optional.empty()).entry(List.of(), Usdc.ZERO, Instant.EPOCH);

        assertEquals(new MoveOutcome.Replayed(earlier), identity.againstEarlier(earlier, DIGEST));
        assertEquals(new MoveOutcome.KeyReused(), identity.againstEarlier(earlier, "b".repeat(64)));
    }

    @Test
    void aRefundTakesWhatItAsksOrTheWholeRestAndNeverMoreThanTheRest() {
        Usdc rest = Usdc.parse("0.30");

        assertEquals(Optional.of(Usdc.parse("0.10")), refund(Optional.of(Usdc.parse("0.10"))).amountWithin(rest));
        assertEquals(Optional.of(rest), refund(Optional.of(rest)).amountWithin(rest));
        assertEquals(Optional.of(rest), refund(Optional.empty()).amountWithin(rest));
        assertEquals(Optional.empty(), refund(Optional.of(Usdc.parse("0.3000001"))).amountWithin(rest));
        assertEquals(Optional.empty(), refund(Optional.empty()).amountWithin(Usdc.ZERO));
    }

    @Test
    void anIdempotencyKeyIsOneToTwoHundredFiftyFivePrintableCharacters() {
        new IdempotencyKey("k".repeat(255));
        assertThrows(InvalidValueException.class, () -> new IdempotencyKey(""));
        assertThrows(InvalidValueException.class, () -> new IdempotencyKey("k".repeat(256)));
        assertThrows(InvalidValueException.class, () -> new IdempotencyKey("has space"));
        assertThrows(InvalidValueException.class, () -> new IdempotencyKey("ключ"));
    }

    private static Grant grant(Operation operation, Usdc amount) {
        return new Grant(new EntryId(UUID.randomUUID()), UserId.of("dev"), amount, LotTerms.DEFAULT_GRANT, Optional.empty(), identity(operation),
                Instant.EPOCH);
    }

    private static Deduction deduction(Operation operation, Usdc amount, Optional<String> reference) {
        return new Deduction(new EntryId(UUID.randomUUID()), UserId.of("dev"), amount, reference, identity(operation),
                Instant.EPOCH);
    }

    private static Refund refund(Optional<Usdc> amount) {
        return new Refund(new EntryId(UUID.randomUUID()), new EntryId(UUID.randomUUID()), amount, "bad charge",
                identity(Operation.REFUND), Instant.EPOCH);
    }

    private static Idempotency identity(Operation operation) {
        return new Idempotency(ADMIN, operation, new IdempotencyKey("k"), DIGEST);
    }
}
