package credits.domain;

import net.jqwik.api.statistics.Statistics;

/**
 * For a property over arbitrary input that is either accepted or refused: records which side each
 * try fell on, and fails the run unless both really occurred, or the property proves nothing about
 * one of them.
 */
final class BothOutcomes {

    private BothOutcomes() {
    }

    static void record(boolean allowed) {
        Statistics.collect(allowed ? "allowed" : "refused");
        Statistics.coverage(coverage -> {
            coverage.check("allowed").percentage(p -> p > 5);
            coverage.check("refused").percentage(p -> p > 5);
        });
    }
}
