package credits.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A generator of test inputs from a seeded {@link SplittableRandom}: the same seed gives the same inputs.
 * Numbers and sizes lean towards their bounds and small values, where most bugs live; {@link #uniformInts}
 * is for positions that must be able to land anywhere.
 */
@FunctionalInterface
public interface Gen<T> {

    T next(SplittableRandom random);

    default <R> Gen<R> map(Function<? super T, ? extends R> mapper) {
        return random -> mapper.apply(next(random));
    }

    default <R> Gen<R> flatMap(Function<? super T, Gen<R>> mapper) {
        return random -> mapper.apply(next(random)).next(random);
    }

    /** Draws until one passes; fails loudly rather than loop when almost nothing does. */
    default Gen<T> filter(Predicate<? super T> keep) {
        return random -> {
            for (int attempt = 0; attempt < 10_000; attempt++) {
                T value = next(random);
                if (keep.test(value)) {
                    return value;
                }
            }
            throw new IllegalStateException("the filter rejected 10,000 values in a row");
        };
    }

    /** {@code null} at the given rate, otherwise a value. */
    default Gen<T> orNull(double rate) {
        return random -> random.nextDouble() < rate ? null : next(random);
    }

    default Gen<List<T>> list(int minSize, int maxSize) {
        Gen<Integer> sizes = sizes(minSize, maxSize);
        return random -> {
            int size = sizes.next(random);
            List<T> values = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                values.add(next(random));
            }
            return values;
        };
    }

    // ---- factories ---------------------------------------------------------------------------------------

    static <T> Gen<T> constant(T value) {
        return random -> value;
    }

    @SafeVarargs
    static <T> Gen<T> elements(T... values) {
        return elements(List.of(values));
    }

    static <T> Gen<T> elements(List<? extends T> values) {
        List<T> copy = List.copyOf(values);
        return random -> copy.get(random.nextInt(copy.size()));
    }

    static <E extends Enum<E>> Gen<E> elements(Class<E> type) {
        return elements(type.getEnumConstants());
    }

    static Gen<Boolean> booleans() {
        return SplittableRandom::nextBoolean;
    }

    /** Any int in [min, max], uniformly. */
    static Gen<Integer> uniformInts(int min, int max) {
        return random -> (int) random.nextLong(min, (long) max + 1);
    }

    /** Any int in [min, max], leaning towards the bounds and towards small distances from min. */
    static Gen<Integer> ints(int min, int max) {
        return longs(min, max).map(Long::intValue);
    }

    /** Any long in [min, max] (at most Long.MAX_VALUE apart), leaning towards the bounds and towards small distances from min. */
    static Gen<Long> longs(long min, long max) {
        long span = max - min;
        if (span < 0) {
            throw new IllegalArgumentException("need min <= max, at most Long.MAX_VALUE apart");
        }
        if (span == 0) {
            return constant(min);
        }
        return random -> switch (random.nextInt(16)) {
            case 0 -> min;
            case 1 -> max;
            case 2, 3, 4, 5, 6, 7 -> {
                // Every magnitude as likely: 1, 10, 1e6 and 1e17 all turn up, not only 19-digit values.
                int bits = 1 + random.nextInt(64 - Long.numberOfLeadingZeros(span));
                yield min + upTo(random, bits >= 63 ? span : Math.min(span, (1L << bits) - 1));
            }
            default -> min + upTo(random, span);
        };
    }

    /** Uniform in [0, bound], bound included. */
    private static long upTo(SplittableRandom random, long bound) {
        return bound == Long.MAX_VALUE ? random.nextLong() & Long.MAX_VALUE : random.nextLong(bound + 1);
    }

    /** A collection size in [min, max]: often a bound or small, otherwise anywhere. */
    static Gen<Integer> sizes(int min, int max) {
        return random -> switch (random.nextInt(8)) {
            case 0 -> min;
            case 1 -> max;
            case 2, 3, 4 -> min + random.nextInt(Math.min(max - min, 10) + 1);
            default -> random.nextInt(min, max + 1);
        };
    }

    /** Any char in [first, last], uniformly. */
    static Gen<Character> chars(char first, char last) {
        return random -> (char) random.nextInt(first, last + 1);
    }

    /** Any of these chars. */
    static Gen<Character> chars(String chars) {
        return random -> chars.charAt(random.nextInt(chars.length()));
    }

    static Gen<String> strings(Gen<Character> chars, int minLength, int maxLength) {
        return chars.list(minLength, maxLength).map(list -> {
            StringBuilder text = new StringBuilder(list.size());
            list.forEach(text::append);
            return text.toString();
        });
    }

    /** Text made of these code points. */
    static Gen<String> codePoints(Gen<Integer> codePoints, int minLength, int maxLength) {
        return codePoints.list(minLength, maxLength).map(Gen::text);
    }

    static String text(List<Integer> codePoints) {
        StringBuilder text = new StringBuilder();
        codePoints.forEach(text::appendCodePoint);
        return text.toString();
    }

    static Gen<byte[]> bytes(byte first, byte last, int minLength, int maxLength) {
        Gen<Integer> sizes = sizes(minLength, maxLength);
        return random -> {
            byte[] bytes = new byte[sizes.next(random)];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) random.nextInt(first, last + 1);
            }
            return bytes;
        };
    }

    static Gen<byte[]> bytes(int minLength, int maxLength) {
        return bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, minLength, maxLength);
    }

    /** The same values in a random order. */
    static <T> Gen<List<T>> shuffled(List<T> values) {
        return random -> {
            List<T> copy = new ArrayList<>(values);
            for (int i = copy.size() - 1; i > 0; i--) {
                Collections.swap(copy, i, random.nextInt(i + 1));
            }
            return copy;
        };
    }

    /** One of these generators, each as likely. */
    @SafeVarargs
    static <T> Gen<T> oneOf(Gen<? extends T>... gens) {
        List<Gen<? extends T>> all = List.of(gens);
        return random -> all.get(random.nextInt(all.size())).next(random);
    }

    /** One of these generators, in proportion to its weight. */
    static <T> Gen<T> frequency(List<Weighted<? extends T>> choices) {
        int total = choices.stream().mapToInt(Weighted::weight).sum();
        return random -> {
            int pick = random.nextInt(total);
            for (Weighted<? extends T> choice : choices) {
                pick -= choice.weight();
                if (pick < 0) {
                    return choice.gen().next(random);
                }
            }
            throw new AssertionError("unreachable");
        };
    }

    static <T> Weighted<T> weight(int weight, Gen<T> gen) {
        return new Weighted<>(weight, gen);
    }

    record Weighted<T>(int weight, Gen<T> gen) {
    }

    /** Shows a generated value readably in a failure message: strings quoted with unprintables escaped. */
    static String describe(Object value) {
        if (value instanceof String text) {
            StringBuilder shown = new StringBuilder("\"");
            text.chars().forEach(c -> shown.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\u%04x", c)));
            return shown.append("\" (").append(text.length()).append(" chars)").toString();
        }
        if (value instanceof byte[] bytes) {
            return Arrays.toString(bytes);
        }
        return String.valueOf(value);
    }
}
