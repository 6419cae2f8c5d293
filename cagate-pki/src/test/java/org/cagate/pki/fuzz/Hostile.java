package org.cagate.pki.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.cagate.pki.PkiException;
import org.cagate.pki.Reason;

/**
 * Runs one call of cagate-pki on hostile input and says how it ended: with a value, or with the one
 * declared failure type, {@link PkiException}. Any other exception or error (a RuntimeException, a
 * StackOverflowError), or no answer within {@link #HANG}, fails the property and prints the input.
 *
 * <p>The call runs on a worker thread so that a hang is reported instead of stalling the build; the limit
 * is far above any real parse (microseconds to milliseconds) and is not a speed target.
 */
final class Hostile {
    static final Duration HANG = Duration.ofSeconds(30);

    private static ExecutorService worker = newWorker();

    private Hostile() {}

    @FunctionalInterface
    interface Call<T> {
        T call() throws PkiException;
    }

    /** The value a call returned, or the PkiException it threw. */
    record Outcome<T>(T value, PkiException failure) {
        boolean failed() {
            return failure != null;
        }

        Reason reason() {
            return failure == null ? null : failure.reason();
        }
    }

    static synchronized <T> Outcome<T> run(String what, Object input, Call<T> call) {
        Future<Outcome<T>> future = worker.submit(() -> {
            try {
                return new Outcome<>(call.call(), null);
            } catch (PkiException e) {
                return new Outcome<T>(null, e);
            }
        });
        try {
            return future.get(HANG.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            worker.shutdownNow();
            worker = newWorker();
            throw new AssertionError(what + " gave no answer within " + HANG + " for " + describe(input));
        } catch (ExecutionException e) {
            throw new AssertionError(
                    what + " threw " + e.getCause() + ", not the declared PkiException, for " + describe(input),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Fails unless the call succeeded or was refused with one of the allowed reasons. */
    static void requireOnly(Outcome<?> outcome, Set<Reason> allowed, String what, Object input) {
        if (outcome.failed()) {
            assertThat(outcome.reason())
                    .as(
                            "%s refused %s with %s",
                            what, describe(input), outcome.failure().getMessage())
                    .isIn(allowed);
        }
    }

    /**
     * For the outcome tally ({@link Fuzz.Tally}): "accepted", or the reason and the first words of the
     * detail, so a run shows which checks the inputs reached.
     */
    static String label(Outcome<?> outcome) {
        if (!outcome.failed()) {
            return "accepted";
        }
        String detail =
                outcome.failure().getMessage().substring(outcome.reason().name().length() + 2);
        String[] words = detail.replaceAll("[0-9]+", "N").split("[\\s:]+");
        return outcome.reason() + ": " + String.join(" ", Arrays.copyOf(words, Math.min(3, words.length)));
    }

    static String describe(Object input) {
        if (input instanceof byte[] bytes) {
            String hex = HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 2048));
            return bytes.length + " bytes " + hex + (bytes.length > 2048 ? "..." : "");
        }
        if (input instanceof Object[] array) {
            return Arrays.deepToString(array);
        }
        String text = String.valueOf(input);
        return text.length() > 4096 ? text.substring(0, 4096) + "..." : text;
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "hostile-input");
            thread.setDaemon(true);
            return thread;
        });
    }
}
