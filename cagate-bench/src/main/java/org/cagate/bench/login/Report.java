package org.cagate.bench.login;

import java.util.Map;
import org.HdrHistogram.Histogram;

/** What a run prints (and writes to {@code result.md}): markdown that goes into docs/benchmarks.md as it is. */
record Report(
        LoginBenchmark.Options options,
        Machine before,
        Machine after,
        VerifyRate verify,
        LoadRun.Result result,
        CpuWatch cpu) {

    String text() {
        StringBuilder out = new StringBuilder();
        out.append(Machine.runHeader(before, after, options.describe()));
        out.append("| logins/s | ok | errors | p50 ms | p90 ms | p99 ms | max ms |\n");
        out.append("|---|---|---|---|---|---|---|\n");
        long errors =
                result.errors().values().stream().mapToLong(Long::longValue).sum();
        Histogram h = result.total();
        out.append(String.format(
                "| %.0f | %d | %d | %s | %s | %s | %s |%n%n",
                result.perSecond(),
                result.succeeded(),
                errors,
                ms(h.getValueAtPercentile(50)),
                ms(h.getValueAtPercentile(90)),
                ms(h.getValueAtPercentile(99)),
                ms(h.getMaxValue())));
        out.append(String.format(
                "Requests alone: challenge p50 / p99 %s / %s ms, login p50 / p99 %s / %s ms (client-side, %d"
                        + " connections opened).%n",
                ms(result.challenge().getValueAtPercentile(50)),
                ms(result.challenge().getValueAtPercentile(99)),
                ms(result.login().getValueAtPercentile(50)),
                ms(result.login().getValueAtPercentile(99)),
                result.connectionsOpened()));
        LoadRun.Settle settle = result.settle();
        out.append(String.format(
                "Warm-up: %d s closed loop, then no load for %.1f s %s (its compiler threads used %.1f s of CPU"
                        + " then), then %d s as measured (the run-in), then the measured window.%n",
                options.warmUp().toSeconds(),
                settle.took().toMillis() / 1000.0,
                settle.quiet()
                        ? "until the server's JIT was quiet"
                        : "and the server's JIT still busy (bound " + LoadRun.SETTLE_BOUND.toSeconds() + " s)",
                settle.compilerNanos() / 1e9,
                LoadRun.RUN_IN.toSeconds()));
        out.append(String.format(
                "Seconds of the window (opened %s) with logins over %d ms, counted by their (intended) start: %s.%n",
                result.windowOpened(),
                SlowSeconds.SLOW_MICROS / 1000,
                result.slowSeconds().describe()));
        if (result.offeredRate() > 0) {
            Histogram late = result.lateness();
            out.append(String.format(
                    "Open loop: offered %.0f logins/s (%d intended starts in the window), achieved %.0f/s"
                            + " (%d ok, %d errors); %d logins started more than %.0f ms after their intended"
                            + " start (p99 %s ms, max %s ms late), with up to %d clients; latency counts from the"
                            + " intended start.%n",
                    result.offeredRate(),
                    late.getTotalCount(),
                    result.perSecond(),
                    result.succeeded(),
                    errors,
                    result.late(),
                    LoadRun.Result.LATE_MICROS / 1000.0,
                    ms(late.getValueAtPercentile(99)),
                    ms(late.getMaxValue()),
                    options.clients()));
        }
        if (errors > 0) {
            out.append("Errors:");
            for (Map.Entry<String, Long> e : result.errors().entrySet()) {
                out.append(' ')
                        .append(e.getKey())
                        .append(" × ")
                        .append(e.getValue())
                        .append(';');
            }
            out.append('\n');
        }
        long logins = Math.max(1, result.succeeded() + errors);
        double window = cpu.wall / 1e9;
        out.append(String.format(
                "%nCPU per login (ms): server %.3f (of which JIT compiler %.3f), PostgreSQL backends %.3f,"
                        + " PostgreSQL background %.3f (cluster-wide), generator %.3f; total %.3f. CPU used in the"
                        + " window: server %.2f, PostgreSQL %.2f, generator %.2f of %d CPUs.%n",
                cpu.server / 1e6 / logins,
                cpu.serverJit / 1e6 / logins,
                cpu.backends / 1e6 / logins,
                cpu.background / 1e6 / logins,
                cpu.generator / 1e6 / logins,
                (cpu.server + cpu.backends + cpu.background + cpu.generator) / 1e6 / logins,
                cpu.server / 1e9 / window,
                (cpu.backends + cpu.background) / 1e9 / window,
                cpu.generator / 1e9 / window,
                after.cpus()));
        out.append(String.format(
                "Bare P-256 verify (Bouncy Castle, one thread, same run, before and after the load): %.0f/s, %.1f µs CPU each"
                        + " (%.0f/s per CPU). In bare verifies, a login cost the server %.1f (%.1f without JIT),"
                        + " PostgreSQL %.1f and the generator %.1f: a measure that the machine's load inflates"
                        + " less than the milliseconds.%n",
                verify.perSecond(),
                verify.cpuMicros(),
                1e6 / verify.cpuMicros(),
                cpu.server / 1e3 / logins / verify.cpuMicros(),
                (cpu.server - cpu.serverJit) / 1e3 / logins / verify.cpuMicros(),
                (cpu.backends + cpu.background) / 1e3 / logins / verify.cpuMicros(),
                cpu.generator / 1e3 / logins / verify.cpuMicros()));
        out.append('\n')
                .append(costLine(
                        cpu.server / 1e3 / logins / verify.cpuMicros(),
                        (cpu.backends + cpu.background) / 1e3 / logins / verify.cpuMicros(),
                        cpu.generator / 1e3 / logins / verify.cpuMicros()));
        return out.toString();
    }

    /**
     * The report's last line, for scripts: the costs above in bare verifies, each to one decimal, and
     * their total made of the rounded parts, so that it is their sum as printed. The server's part
     * includes its JIT compiler; the database's is the backends and background processes together.
     */
    static String costLine(double server, double database, double generator) {
        long s = Math.round(server * 10);
        long d = Math.round(database * 10);
        long g = Math.round(generator * 10);
        return String.format(
                java.util.Locale.ROOT,
                "login cost in bare verifies: server %s, database %s, generator %s, total %s%n",
                tenths(s),
                tenths(d),
                tenths(g),
                tenths(s + d + g));
    }

    private static String tenths(long tenths) {
        return tenths / 10 + "." + tenths % 10;
    }

    private static String ms(long micros) {
        return String.format("%.1f", micros / 1000.0);
    }
}
