package org.cagate.bench.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class ReportTests {

    @Test
    void costLineWhenPartsRoundThenTotalIsTheSumOfThePrintedParts() {
        assertThat(Report.costLine(68.04, 24.06, 9.04))
                .isEqualTo("login cost in bare verifies: server 68.0, database 24.1, generator 9.0, total 101.1\n");
        assertThat(Report.costLine(1.04, 1.04, 1.04))
                .isEqualTo("login cost in bare verifies: server 1.0, database 1.0, generator 1.0, total 3.0\n");
    }

    @Test
    void textWhenOpenLoopThenOfferedAchievedLateAndEndsWithTheCostLine() {
        LoginBenchmark.Options options = LoginBenchmark.Options.parse(new String[] {"--rate=600", "--duration=10s"});
        Histogram latency = LoginWorker.histogram();
        Histogram lateness = LoginWorker.histogram();
        for (int i = 0; i < 6000; i++) {
            latency.recordValue(5_000);
            lateness.recordValue(i < 5990 ? 100 : 3_000); // 10 logins started 3 ms late
        }
        Instant opened = Instant.now(); // only printed: the report names it, nothing compares it with a time
        SlowSeconds slow = new SlowSeconds();
        slow.record(12_300_000_000L, 180_000);
        LoadRun.Result result = new LoadRun.Result(
                Duration.ofSeconds(10),
                6000,
                latency,
                latency,
                latency,
                Map.of(),
                60,
                600,
                lateness,
                new LoadRun.Settle(Duration.ofMillis(4200), true, 3_100_000_000L),
                opened,
                slow);
        CpuWatch cpu = new CpuWatch(1, "jdbc:unused", "unused");
        cpu.wall = 10_000_000_000L;
        cpu.server = 6000 * 2_000_000L; // 2 ms per login
        cpu.backends = 6000 * 500_000L;
        cpu.background = 6000 * 100_000L;
        cpu.generator = 6000 * 300_000L;
        Machine machine = Machine.now();

        String text = new Report(options, machine, machine, new VerifyRate(10_000, 100, 1000), result, cpu).text();

        assertThat(text)
                .contains("offered 600 logins/s (6000 intended starts in the window), achieved 600/s")
                .contains("10 logins started more than 1 ms after their intended start")
                .contains("with up to 60 clients")
                .contains("Seconds of the window (opened " + opened + ") with logins over 50 ms, counted by"
                        + " their (intended) start: s 12: 1 (max 180 ms).")
                .contains("Warm-up: 30 s closed loop, then no load for 4.2 s until the server's JIT was quiet"
                        + " (its compiler threads used 3.1 s of CPU then), then 20 s as measured (the run-in),"
                        + " then the measured window.")
                .endsWith("\n\nlogin cost in bare verifies: server 20.0, database 6.0, generator 3.0, total 29.0\n");
    }

    @Test
    void clientsWhenNotGivenThenEnoughFor100MsOfArrivalsInAnOpenLoop() {
        assertThat(LoginBenchmark.Options.clients("", 0)).isEqualTo(32);
        assertThat(LoginBenchmark.Options.clients("", 200)).isEqualTo(32);
        assertThat(LoginBenchmark.Options.clients("", 600)).isEqualTo(60);
        assertThat(LoginBenchmark.Options.clients("", 1000)).isEqualTo(100);
        assertThat(LoginBenchmark.Options.clients("16", 1000)).isEqualTo(16);
    }
}
