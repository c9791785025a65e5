package credits.adapters.http.observe;

import credits.domain.Operation;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@value #NAME}: money moves by {@code type} and {@code outcome}, counted where outcomes become HTTP
 * responses. Every counter exists from the start (at 0), so a rate or an alert on, say, refused
 * deductions works before the first one happens.
 */
public final class LedgerMetrics {

    public static final String NAME = "credits_ledger_operations_total";

    /** The {@code outcome} tag: what became of it. */
    public enum Outcome {
        APPLIED, REPLAYED, KEY_REUSED, INSUFFICIENT_BALANCE, DEDUCTION_NOT_FOUND, REFUND_EXCEEDS_DEDUCTION, PAYMENT_ALREADY_CREDITED,
        BALANCE_LIMIT_EXCEEDED, HOLD_NOT_FOUND, HOLD_NOT_ACTIVE, CAPTURE_EXCEEDS_HOLD, HOLD_LIMIT_REACHED;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final LedgerMetrics DISABLED = new LedgerMetrics(null);

    // [operation][outcome], null when not measured.
    private final Counter[][] counters;

    private LedgerMetrics(Counter[][] counters) {
        this.counters = counters;
    }

    /** Counts nothing. */
    public static LedgerMetrics disabled() {
        return DISABLED;
    }

    public static LedgerMetrics create(Optional<MeterRegistry> registry) {
        return registry.map(LedgerMetrics::create).orElse(DISABLED);
    }

    public static LedgerMetrics create(MeterRegistry registry) {
        Counter[][] counters = new Counter[Operation.values().length][Outcome.values().length];
        for (Operation operation : Operation.values()) {
            for (Outcome outcome : Outcome.values()) {
                counters[operation.ordinal()][outcome.ordinal()] = registry.getOrCreate(Counter.builder(NAME)
                        .description("Money moves (grants, top-ups, deductions, refunds, holds, captures, releases) by outcome")
                        .tags(List.of(Tag.create("type", operation.code()), Tag.create("outcome", outcome.tag()))));
            }
        }
        return new LedgerMetrics(counters);
    }

    public void record(Operation operation, Outcome outcome) {
        if (counters != null) {
            counters[operation.ordinal()][outcome.ordinal()].increment();
        }
    }
}
