package credits.adapters.http;

import credits.domain.InvalidValueException;
import credits.domain.Usdc;

/** Amounts a client asks to move: the contract's grammar ({@link Usdc#parse}) and more than nothing. */
final class Amounts {

    private Amounts() {
    }

    /** @throws InvalidValueException when the text is not an amount, or is zero */
    static Usdc positive(String text) {
        Usdc amount = Usdc.parse(text);
        if (amount.isZero()) {
            throw new InvalidValueException("must be greater than 0");
        }
        return amount;
    }
}
