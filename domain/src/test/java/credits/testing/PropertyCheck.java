package credits.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs a property over many generated inputs in a plain JUnit test. The inputs come from one
 * {@link SplittableRandom}, seeded afresh on every run, or from {@code -Dproperties.seed=…} to replay a
 * run; a failure names the seed, the case and the input. A property may also label each case, and
 * require each label to occur in more than a share of them, so that a branch it means to check really ran.
 */
public final class PropertyCheck<T> {

    public static final String SEED_PROPERTY = "properties.seed";

    private final Gen<T> inputs;
    private final int tries;
    private final Map<String, Double> minimumPercent = new LinkedHashMap<>();

    private PropertyCheck(Gen<T> inputs, int tries) {
        this.inputs = inputs;
        this.tries = tries;
    }

    public static <T> PropertyCheck<T> forAll(int tries, Gen<T> inputs) {
        return new PropertyCheck<>(inputs, tries);
    }

    /** Fails the run unless more than {@code percent} of the cases were labelled {@code label}. */
    public PropertyCheck<T> requireMoreThanPercent(double percent, String... labels) {
        for (String label : labels) {
            minimumPercent.put(label, percent);
        }
        return this;
    }

    public void check(Consumer<? super T> property) {
        classify(input -> {
            property.accept(input);
            return null;
        });
    }

    /** Runs a property that returns a label for each case (or {@code null}), and checks the required shares. */
    public void classify(Function<? super T, String> property) {
        long seed = seed();
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, Integer> counts = new TreeMap<>();
        for (int n = 1; n <= tries; n++) {
            T input = inputs.next(random);
            String label;
            try {
                label = property.apply(input);
            } catch (Throwable failure) {
                throw new AssertionError("property failed on case %d of %d, %s%n  input: %s%n  %s"
                        .formatted(n, tries, replay(seed), Gen.describe(input), failure), failure);
            }
            if (label != null) {
                counts.merge(label, 1, Integer::sum);
            }
        }
        minimumPercent.forEach((label, percent) -> {
            double share = 100.0 * counts.getOrDefault(label, 0) / tries;
            if (share <= percent) {
                throw new AssertionError("only %.1f%% of %d cases were \"%s\", need more than %s%% (all: %s), %s"
                        .formatted(share, tries, label, percent, counts, replay(seed)));
            }
        });
    }

    private static long seed() {
        String given = System.getProperty(SEED_PROPERTY);
        return given == null || given.isBlank() ? ThreadLocalRandom.current().nextLong() : Long.parseLong(given.strip());
    }

    private static String replay(long seed) {
        return "seed " + seed + " (replay: -D" + SEED_PROPERTY + "=" + seed + ")";
    }
}
