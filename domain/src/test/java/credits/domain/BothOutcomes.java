package credits.domain;

import credits.testing.PropertyCheck;

import java.util.function.Predicate;

/**
 * For a property over arbitrary input that is either accepted or refused: labels each case with the
 * side it fell on, and fails the run unless both really occurred (each in more than 5% of the cases),
 * or the property proves nothing about one of them.
 */
final class BothOutcomes {

    private BothOutcomes() {
    }

    /** Runs {@code property}, which checks one case and returns whether it was allowed. */
    static <T> void check(PropertyCheck<T> cases, Predicate<? super T> property) {
        cases.requireMoreThanPercent(5, "allowed", "refused")
                .classify(input -> property.test(input) ? "allowed" : "refused");
    }
}
