package credits.domain;

import java.util.Locale;

/**
 * A kind of money-moving request: what an idempotency key is scoped to and what the ledger's
 * outcome counters are tagged with. Most write the ledger entry of the same name ({@link EntryType});
 * a capture writes a {@code deduction} and a release a {@code hold_release}, so the ledger keeps the
 * operation beside the type to scope keys by route.
 */
public enum Operation {
    GRANT, TOPUP, DEDUCTION, REFUND, HOLD, CAPTURE, RELEASE;

    private final String code;

    Operation() {
        this.code = name().toLowerCase(Locale.ROOT);
    }

    /** The lower-case name the API, the metrics and the database use. */
    public String code() {
        return code;
    }
}
