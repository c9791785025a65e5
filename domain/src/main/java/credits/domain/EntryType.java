package credits.domain;

import java.util.Locale;

/** What a ledger entry did to the balance. The amount is always positive; the type says the direction. */
public enum EntryType {
    GRANT(1),
    TOPUP(1),
    DEDUCTION(-1),
    REFUND(1),
    EXPIRY(-1),
    // A hold and its release move no balance, only what of it is held (api.md, "Ledger entry types").
    HOLD(0),
    HOLD_RELEASE(0);

    private final int sign;
    private final String code;

    EntryType(int sign) {
        this.sign = sign;
        this.code = name().toLowerCase(Locale.ROOT);
    }

    /** Whether an entry of this type opens a lot (a grant or a top-up). */
    public boolean opensLot() {
        return this == GRANT || this == TOPUP;
    }

    /** +1 when the entry adds to the balance, -1 when it takes from it, 0 when it leaves it (holds). */
    public int sign() {
        return sign;
    }

    /** The lower-case name the API and the database use. */
    public String code() {
        return code;
    }

    public static EntryType fromCode(String code) {
        for (EntryType type : values()) {
            if (type.code().equals(code)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown entry type " + code);
    }
}
