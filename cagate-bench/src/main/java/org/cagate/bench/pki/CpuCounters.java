package org.cagate.bench.pki;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Thread CPU time spent in full and in bare verifications by {@link VerifyBenchmark#interleaved}, summed
 * per iteration (JMH prints them as secondary results). CPU time leaves out the time other processes on a
 * shared machine take from this thread, which wall-clock rates cannot.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class CpuCounters {
    public long fullCpuNanos;
    public long bareCpuNanos;

    @Setup(Level.Iteration)
    public void reset() {
        fullCpuNanos = 0;
        bareCpuNanos = 0;
    }
}
