package org.cagate.bench.login;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The seconds of the measured window in which a login started (from its intended start) that took longer
 * than {@link #SLOW_MICROS}, with how many did and the slowest: a stall shows as a run of such seconds, which
 * a GC or database log of the same run can be laid beside (the report gives the window's start).
 */
final class SlowSeconds {

    /** The p99 bound for the open loop at 600/s. */
    static final long SLOW_MICROS = 50_000;

    /** Seconds counted; a login later in a longer window counts in the last one. */
    static final int SECONDS = 3600;

    private final int[] slow = new int[SECONDS];
    private final long[] slowest = new long[SECONDS];

    /** @param sinceWindowStart nanoseconds from the window's start to the login's (intended) start */
    void record(long sinceWindowStart, long latencyMicros) {
        if (latencyMicros <= SLOW_MICROS || sinceWindowStart < 0) {
            return;
        }
        int second = (int) Math.min(SECONDS - 1, sinceWindowStart / 1_000_000_000L);
        slow[second]++;
        slowest[second] = Math.max(slowest[second], latencyMicros);
    }

    void add(SlowSeconds other) {
        for (int i = 0; i < SECONDS; i++) {
            slow[i] += other.slow[i];
            slowest[i] = Math.max(slowest[i], other.slowest[i]);
        }
    }

    /** The most seconds {@link #describe} names (a saturated closed loop has slow logins in every second). */
    static final int NAMED = 10;

    /**
     * "none", or "s 12: 40 (max 180 ms), s 13: 230 (max 410 ms)" in the order of the window; when more than
     * {@link #NAMED} seconds had one, the {@link #NAMED} with the most, and how many seconds in all.
     */
    String describe() {
        List<Integer> seconds = new ArrayList<>();
        for (int i = 0; i < SECONDS; i++) {
            if (slow[i] > 0) {
                seconds.add(i);
            }
        }
        if (seconds.isEmpty()) {
            return "none";
        }
        List<Integer> named = seconds.stream()
                .sorted(Comparator.comparingInt((Integer i) -> slow[i]).reversed())
                .limit(NAMED)
                .sorted()
                .toList();
        String listed = named.stream()
                .map(i -> String.format("s %d: %d (max %d ms)", i, slow[i], Math.round(slowest[i] / 1000.0)))
                .collect(Collectors.joining(", "));
        return seconds.size() <= NAMED
                ? listed
                : seconds.size() + " seconds, the " + NAMED + " with the most: " + listed;
    }
}
