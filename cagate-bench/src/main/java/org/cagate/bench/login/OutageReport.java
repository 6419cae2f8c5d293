package org.cagate.bench.login;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What the outage benchmark prints (and writes to {@code result.md}): per restart how long the database was
 * down, the answers meanwhile and how long after its return the server answered normally; then every answer
 * by status, the longest, the bindings, and the verdict.
 */
final class OutageReport {

    /** What became of the binds: counts by outcome, and every broken promise. */
    record Bindings(int posted, Map<String, Integer> outcomes, List<String> violations) {}

    /** The CA logins answered 200: how many, how many sessions were found after the run, every loss. */
    record Logins(int answered, int sessionsFound, List<String> violations) {}

    private final OutageBenchmark.Options options;
    private final Machine before;
    private final Machine after;
    private final List<OutageBenchmark.Restart> restarts;
    private final List<OutageClient.Sample> samples;
    private final Bindings bindings;
    private final Logins logins;
    private final List<String> failures = new ArrayList<>();
    private final String text;

    OutageReport(
            OutageBenchmark.Options options,
            Machine before,
            Machine after,
            List<OutageBenchmark.Restart> restarts,
            List<OutageClient.Sample> samples,
            Bindings bindings,
            Logins logins) {
        this.options = options;
        this.before = before;
        this.after = after;
        this.restarts = restarts;
        this.samples = samples;
        this.bindings = bindings;
        this.logins = logins;
        this.text = build();
    }

    String text() {
        return text;
    }

    boolean passed() {
        return failures.isEmpty();
    }

    private String build() {
        StringBuilder out = new StringBuilder();
        out.append(Machine.runHeader(before, after, options.describe()));
        out.append(
                "| restart | stop | down s | answers while down | back to normal after s | last 503 asked after s |\n");
        out.append("|---|---|---|---|---|---|\n");
        for (int i = 0; i < restarts.size(); i++) {
            OutageBenchmark.Restart r = restarts.get(i);
            // Up to a second before the next stop: a request under way when it comes may fail because of it.
            long end = i + 1 < restarts.size() ? restarts.get(i + 1).stopAsked() - 1_000_000_000L : Long.MAX_VALUE;
            List<OutageClient.Sample> down = samples.stream()
                    .filter(s -> s.startNanos() >= r.stopped() && s.endNanos() <= r.up())
                    .toList();
            List<OutageClient.Sample> back = samples.stream()
                    .filter(s -> s.startNanos() > r.up() && s.startNanos() < end)
                    .toList();
            double recovery = back.stream()
                    .filter(s -> s.ok() && !s.step().equals("csrf")) // the CSRF token needs no database
                    .mapToDouble(s -> (s.endNanos() - r.up()) / 1e9)
                    .min()
                    .orElse(Double.POSITIVE_INFINITY);
            double lastUnavailable = back.stream()
                    .filter(OutageClient.Sample::unavailable)
                    .mapToDouble(s -> (s.startNanos() - r.up()) / 1e9)
                    .max()
                    .orElse(0);
            out.append(String.format(
                    Locale.ROOT,
                    "| %d | %s | %.1f | %s | %.2f | %.2f |%n",
                    i + 1,
                    r.mode().name().toLowerCase(Locale.ROOT),
                    (r.up() - r.stopped()) / 1e9,
                    outcomes(down),
                    recovery,
                    lastUnavailable));
            if (recovery >= options.recoveryBound().toMillis() / 1000.0) {
                failures.add(
                        String.format(Locale.ROOT, "restart %d: back to normal only after %.2f s", i + 1, recovery));
            }
        }
        List<OutageClient.Sample> unexpected =
                samples.stream().filter(s -> !s.ok() && !s.unavailable()).toList();
        double longest =
                samples.stream().mapToDouble(OutageClient.Sample::millis).max().orElse(0);
        long slow = samples.stream()
                .filter(s -> s.millis() >= options.answerBound().toMillis())
                .count();
        out.append(String.format(
                Locale.ROOT,
                "%nRequests: %d (%d not 2xx); by answer: %s; longest answer %.0f ms, %d took %d s or more.%n",
                samples.size(),
                samples.stream().filter(s -> !s.ok()).count(),
                outcomes(samples),
                longest,
                slow,
                options.answerBound().toSeconds()));
        out.append(String.format(
                "Binds posted: %d; %s.%n",
                bindings.posted(),
                bindings.outcomes().entrySet().stream()
                        .map(e -> e.getValue() + " " + e.getKey())
                        .collect(Collectors.joining(", "))));
        if (!unexpected.isEmpty()) {
            failures.add(unexpected.size() + " answers neither 2xx nor 503 SERVICE_UNAVAILABLE: "
                    + stepOutcomes(unexpected));
        }
        if (slow > 0) {
            failures.add(slow + " answers took " + options.answerBound().toSeconds() + " s or more");
        }
        out.append(String.format(
                "CA logins answered 200: %d; their sessions found afterwards: %d; every one audited: %s.%n",
                logins.answered(), logins.sessionsFound(), logins.violations().isEmpty() ? "yes" : "no"));
        failures.addAll(bindings.violations());
        failures.addAll(logins.violations());
        out.append(failures.isEmpty() ? "\nPASSED\n" : "\nFAILED:\n- " + String.join("\n- ", failures) + "\n");
        return out.toString();
    }

    private static String outcomes(List<OutageClient.Sample> samples) {
        return counted(samples, OutageClient.Sample::outcome);
    }

    /** The answers with the request each was to: "login 429 RATE_LIMITED × 3". */
    private static String stepOutcomes(List<OutageClient.Sample> samples) {
        return counted(samples, sample -> sample.step() + " " + sample.outcome());
    }

    private static String counted(List<OutageClient.Sample> samples, Function<OutageClient.Sample, String> key) {
        Map<String, Long> counts =
                samples.stream().collect(Collectors.groupingBy(key, TreeMap::new, Collectors.counting()));
        return counts.entrySet().stream()
                .map(e -> e.getKey() + " × " + e.getValue())
                .collect(Collectors.joining(", "));
    }
}
