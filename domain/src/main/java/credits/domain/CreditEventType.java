package credits.domain;

import java.util.Arrays;
import java.util.Optional;

/** What a webhook event tells (api.md, "Alerts and webhooks"), by its wire name. */
public enum CreditEventType {
    /** Available went from at or above the user's threshold to below it (once per crossing). */
    BALANCE_LOW("balance.low"),
    /** Available back at or above the threshold after a {@code balance.low}. */
    BALANCE_RECOVERED("balance.recovered"),
    /** Available reached zero from above. */
    BALANCE_DEPLETED("balance.depleted"),
    /** A lot expired with a positive amount. */
    CREDITS_EXPIRED("credits.expired"),
    /** A hold expired uncaptured. */
    HOLD_EXPIRED("hold.expired"),
    /** A top-up was credited. */
    TOPUP_CREDITED("topup.credited");

    private final String code;

    CreditEventType(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** The type named {@code code} exactly, if there is one. */
    public static Optional<CreditEventType> find(String code) {
        return Arrays.stream(values()).filter(type -> type.code.equals(code)).findFirst();
    }
}
