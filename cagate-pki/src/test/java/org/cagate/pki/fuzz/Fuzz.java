package org.cagate.pki.fuzz;

import static org.quicktheories.QuickTheory.qt;

import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import org.quicktheories.core.Gen;

/**
 * Runs one hostile-input property with QuickTheories inside an ordinary JUnit test: {@link #EXAMPLES} inputs
 * from a reproducible seed, then a short summary of what the inputs met (QuickTheories has no statistics of
 * its own). A failing property reports QuickTheories' falsifying values and the seed to repeat it with.
 *
 * <p>The seed is {@code -Dcagate.fuzz.seed} (or QuickTheories' own {@code -DQT_SEED}), else a random one per
 * JVM; shrinking stops after {@code -Dcagate.fuzz.shrinks} attempts (default {@value #DEFAULT_SHRINKS}),
 * since each attempt may take up to {@link Hostile#HANG} and QuickTheories' own default is a million.
 */
final class Fuzz {
    static final int EXAMPLES = 10_000;
    static final String SEED_PROPERTY = "cagate.fuzz.seed";
    static final int DEFAULT_SHRINKS = 100;

    private static final long SEED =
            Long.getLong(SEED_PROPERTY, Long.getLong("QT_SEED", new SecureRandom().nextLong()));
    private static final int SHRINKS = Integer.getInteger("cagate.fuzz.shrinks", DEFAULT_SHRINKS);

    private Fuzz() {}

    /** What the inputs of one property met, counted by label (an outcome, a refusal reason). */
    static final class Tally {
        private final Map<String, Integer> counts = new HashMap<>();
        private int inputs;
        private int runs;

        void collect(String label) {
            counts.merge(label, 1, Integer::sum);
        }
    }

    /** {@link #EXAMPLES} inputs; see {@link #check(int, Gen, BiConsumer)}. */
    static <T> void check(Gen<T> inputs, BiConsumer<T, Tally> property) {
        check(EXAMPLES, inputs, property);
    }

    /**
     * Checks {@code property} on {@code examples} generated inputs and prints the summary. QuickTheories skips
     * an input it has already tried (same random draws), so a run that skipped some continues from the next
     * seed until {@code examples} inputs were really tried; the seed it reports on failure repeats that part.
     */
    static <T> void check(int examples, Gen<T> inputs, BiConsumer<T, Tally> property) {
        String name = caller();
        Tally tally = new Tally();
        long start = System.nanoTime();
        for (long seed = SEED; tally.inputs < examples; seed++) {
            int before = tally.inputs;
            tally.runs++;
            try {
                qt().withFixedSeed(seed)
                        .withExamples(examples - tally.inputs)
                        .withShrinkCycles(SHRINKS)
                        .forAll(inputs.describedAs(Hostile::describe))
                        .checkAssert(input -> {
                            tally.inputs++;
                            property.accept(input, tally);
                        });
            } catch (AssertionError e) {
                throw new AssertionError(name + " failed; repeat with -D" + SEED_PROPERTY + "=" + seed + " -Dtest='"
                        + name.replace('.', '#') + "'\n" + e.getMessage());
            }
            if (tally.inputs == before) {
                throw new IllegalStateException(name + ": the generator gives no new inputs after " + before);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.println(summary(name, tally, seconds));
    }

    private static String summary(String name, Tally tally, double seconds) {
        StringBuilder out = new StringBuilder(String.format(
                Locale.ROOT,
                "[hostile input] %s: %,d inputs in %.1f s, seed %d%s (-D%s=%d repeats it)",
                name,
                tally.inputs,
                seconds,
                SEED,
                tally.runs == 1 ? "" : " to " + (SEED + tally.runs - 1) + " (repeated draws skipped)",
                SEED_PROPERTY,
                SEED));
        tally.counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> out.append(String.format(
                        Locale.ROOT, "%n    %6.2f %%  %s", 100.0 * e.getValue() / tally.inputs, e.getKey())));
        return out.toString();
    }

    /** "Class.method" of the test that called {@link #check}. */
    private static String caller() {
        return StackWalker.getInstance()
                .walk(frames -> frames.dropWhile(f -> f.getClassName().equals(Fuzz.class.getName()))
                        .findFirst()
                        .map(f -> f.getClassName().substring(f.getClassName().lastIndexOf('.') + 1) + "."
                                + f.getMethodName())
                        .orElse("property"));
    }
}
