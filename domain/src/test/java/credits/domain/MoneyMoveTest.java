package credits.domain;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertThrows;

class MoneyMoveTest {

    private static final String DIGEST = "a".repeat(64);
    private static final UserId ADMIN = UserId.of("admin");

    @Test
    void aFingerprintMustBeAFullSha256Digest() {
        IdempotencyKey key = new IdempotencyKey("k");
        assertThrows(IllegalArgumentException.class, () -> new Idempotency(ADMIN, EntryType.GRANT, key, "short"));
        assertThrows(IllegalArgumentException.class, () -> new Idempotency(ADMIN, EntryType.GRANT, key, "A".repeat(64)));
    }

    @Test
    void aZeroAmountMovesNothingAndIsRefused() {
        assertThrows(InvalidValueException.class, () -> move(EntryType.GRANT, Usdc.ZERO, Optional.empty()));
    }

    @Test
    void aRefundCannotBeDisguisedAsAMoneyMove() {
        assertThrows(IllegalArgumentException.class, () -> move(EntryType.REFUND, Usdc.parse("1"), Optional.empty()));
    }

    @Test
    void aReferenceOverTwoHundredFiftyFiveCharactersIsRefused() {
        assertThrows(InvalidValueException.class,
                () -> move(EntryType.DEDUCTION, Usdc.parse("1"), Optional.of("r".repeat(256))));
    }

    @Test
    void anIdempotencyKeyIsOneToTwoHundredFiftyFivePrintableCharacters() {
        new IdempotencyKey("k".repeat(255));
        assertThrows(InvalidValueException.class, () -> new IdempotencyKey(""));
        assertThrows(InvalidValueException.class, () -> new IdempotencyKey("k".repeat(256)));
        assertThrows(InvalidValueException.class, () -> new IdempotencyKey("has space"));
        assertThrows(InvalidValueException.class, () -> new IdempotencyKey("ключ"));
    }

    private static MoneyMove move(EntryType type, Usdc amount, Optional<String> reference) {
        return new MoneyMove(new EntryId(UUID.randomUUID()), UserId.of("dev"), amount, reference, Optional.empty(),
                new Idempotency(ADMIN, type, new IdempotencyKey("k"), DIGEST), Instant.EPOCH);
    }
}
