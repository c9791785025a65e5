package credits.domain;

import java.util.Locale;

/**
 * A kind of money-moving request: what an idempotency key is scoped to and what the ledger's
 * outcome counters are tagged with. Today each writes the ledger entry of the same name
 * ({@link EntryType}); holds will add operations (capture, release) whose entries are of other types.
 */
public enum Operation {
    GRANT, TOPUP, DEDUCTION, REFUND;

    private final String code;

    Operation() {
        this.code = name().toLowerCase(Locale.ROOT);
    }

    /** The lower-case name the API, the metrics and the database use. */
    public String code() {
        return code;
    }
}
