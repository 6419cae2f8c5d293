package org.cagate.bench.pki;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * The same comparison as {@link VerifyBenchmark}, measured in this thread's CPU time and interleaved
 * (blocks of full and bare verifications alternate), so that other processes on a shared machine, which
 * move JMH's wall-clock rates by more than the effect measured, change neither side. Prints, per
 * algorithm and format, the CPU microseconds per operation and the ratio full / bare.
 *
 * <pre>java -cp cagate-bench/target/benchmarks.jar org.cagate.bench.pki.CpuTimeRatio [seconds per case]</pre>
 */
public final class CpuTimeRatio {
    private static final int BLOCK = 200;

    private CpuTimeRatio() {}

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 10;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.println("algorithm  format  full µs/op  bare µs/op  full/bare  (thread CPU time)");
        for (String algorithm : new String[] {"RSA_2048", "EC_P256", "SM2"}) {
            for (String format : new String[] {"RAW", "CMS"}) {
                VerifyBenchmark state = new VerifyBenchmark();
                state.algorithm = algorithm;
                state.format = format;
                state.setUp();
                try {
                    run(
                            state, threads,
                            seconds); // warm-up as long as the measurement: JIT (slow on a busy machine), caches
                    long[] measured = run(state, threads, seconds);
                    double full = measured[0] / 1e3 / measured[2];
                    double bare = measured[1] / 1e3 / measured[2];
                    System.out.printf(
                            Locale.ROOT,
                            "%-9s  %-6s  %10.1f  %10.1f  %9.2f%n",
                            algorithm,
                            format,
                            full,
                            bare,
                            full / bare);
                } finally {
                    state.tearDown();
                }
            }
        }
    }

    /** CPU nanoseconds spent in full, in bare, and the number of operations of each. */
    private static long[] run(VerifyBenchmark state, ThreadMXBean threads, double seconds) throws Exception {
        long fullNanos = 0;
        long bareNanos = 0;
        long operations = 0;
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            long t0 = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < BLOCK; i++) {
                state.full();
            }
            long t1 = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < BLOCK; i++) {
                state.bareVerify();
            }
            long t2 = threads.getCurrentThreadCpuTime();
            fullNanos += t1 - t0;
            bareNanos += t2 - t1;
            operations += BLOCK;
        }
        return new long[] {fullNanos, bareNanos, operations};
    }
}
