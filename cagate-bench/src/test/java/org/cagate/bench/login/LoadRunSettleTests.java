package org.cagate.bench.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The pause after the warm-up: it ends when the server's JIT compiler threads are quiet, or at its bound. */
class LoadRunSettleTests {

    private static final Duration PERIOD = Duration.ofMillis(20);

    /** A probe whose compiler used {@code busy} periods' worth of full CPU, then nothing. */
    private static LoadRun.CpuProbe compiler(int busy, AtomicInteger asked) {
        return new LoadRun.CpuProbe() {
            @Override
            public void atStart() {}

            @Override
            public void atEnd() {}

            @Override
            public long compilerNanos() {
                return Math.min(asked.getAndIncrement(), busy) * PERIOD.toNanos();
            }
        };
    }

    @Test
    void settleWhenCompilerStopsThenQuietAfterTheFirstQuietPeriod() throws Exception {
        AtomicInteger asked = new AtomicInteger();

        LoadRun.Settle settle = LoadRun.settle(compiler(3, asked), PERIOD, Duration.ofSeconds(10));

        assertThat(settle.quiet()).isTrue();
        assertThat(asked.get()).isEqualTo(5); // at the start, three busy periods, one quiet
        assertThat(settle.compilerNanos()).isEqualTo(3 * PERIOD.toNanos());
    }

    @Test
    void settleWhenCompilerNeverStopsThenNotQuietAtTheBound() throws Exception {
        AtomicInteger asked = new AtomicInteger();

        LoadRun.Settle settle = LoadRun.settle(compiler(Integer.MAX_VALUE, asked), PERIOD, Duration.ofMillis(200));

        assertThat(settle.quiet()).isFalse();
        assertThat(settle.took()).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }
}
