package org.cagate.agent;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.cagate.testca.KeyAlgorithm;
import org.cagate.testca.TestPki;
import org.cagate.testca.softhsm.SoftHsm2;
import org.cagate.testca.softhsm.SoftHsmToken;
import org.cagate.testca.softskf.SoftSkf;

/**
 * Sign latency of the real agent over HTTP with an SKF USB key (the soft SKF token through JNA) next to
 * a PKCS#11 key (SoftHSM2), in one agent process and one run: one client, requests one after the other
 * (as a page does), each a fresh challenge with the PIN. Every SKF request enumerates the devices,
 * connects, reads the containers' certificates, reads the PIN counter, verifies the PIN, signs the hash
 * the agent made and clears the security state. Prints p50/p90/p99/max per key and format. Command in
 * docs/benchmarks.md.
 */
public final class SkfSignBenchmark {
    static final String ORIGIN = "https://zcy.example.gov.cn";
    static final String PIN = "482915";

    record Row(String provider, String label, String format) {}

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        if (!SoftSkf.isAvailable()) {
            System.out.println(SoftSkf.unavailableReason());
            return;
        }
        Path dir = Files.createTempDirectory("cagate-agent-skf-bench");
        try {
            StringBuilder config = new StringBuilder("agent.allowedOrigins=" + ORIGIN + "\n");
            skf(dir, config, "BENCHSM2", KeyAlgorithm.SM2, "9900000012345681");
            skf(dir, config, "BENCHSKFRSA", KeyAlgorithm.RSA_2048, "9900000012345682");
            List<Row> rows = new java.util.ArrayList<>(List.of(
                    new Row("BENCHSM2", "SKF SM2", "RAW"),
                    new Row("BENCHSM2", "SKF SM2", "CMS"),
                    new Row("BENCHSKFRSA", "SKF RSA 2048", "RAW")));
            SoftHsm2 hsm = null;
            if (SoftHsm2.isAvailable()) {
                hsm = SoftHsm2.create(dir.resolve("softhsm"));
                SoftHsmToken token = hsm.initToken("BENCHEC", "87654321", PIN).setSerial("9900000012345671");
                token.write(TestPki.provider("BENCHEC").ec().build().user("西子").issue(), "西子");
                config.append("provider.BENCHEC.backend=pkcs11\n")
                        .append("provider.BENCHEC.pkcs11.library=" + SoftHsm2.library() + "\n")
                        .append("provider.BENCHEC.pkcs11.tokenLabel=BENCHEC\n");
                rows.add(new Row("BENCHEC", "PKCS#11 EC P-256", "RAW"));
                rows.add(new Row("BENCHEC", "PKCS#11 EC P-256", "CMS"));
            } else {
                System.out.println(SoftHsm2.unavailableReason() + ": no PKCS#11 rows");
            }
            Path file = Files.writeString(dir.resolve("agent.properties"), config, StandardCharsets.UTF_8);
            List<String> jvm = AgentProcess.packagedJvmOptions();
            try (AgentProcess agent =
                    AgentProcess.start(file, hsm == null ? java.util.Map.of() : hsm.environment(), jvm)) {
                HttpClient client = HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5))
                        .build();
                System.out.printf(
                        "cagate-agent sign over HTTP, soft SKF token (JNA) and SoftHSM2 %s, %d requests each after %d"
                                + " warm-up, one client; agent JVM as installed: %s%n",
                        SoftHsm2.library(), requests, requests / 4, String.join(" ", jvm));
                System.out.printf(
                        "%-17s %-4s %9s %9s %9s %9s %8s%n",
                        "key", "fmt", "p50 ms", "p90 ms", "p99 ms", "max ms", "req/s");
                for (Row row : rows) {
                    Pkcs11SignBenchmark.run(client, agent.port(), row.provider(), row.format(), requests / 4, null);
                    Histogram histogram = new Histogram(60_000_000L, 3);
                    long start = System.nanoTime();
                    Pkcs11SignBenchmark.run(client, agent.port(), row.provider(), row.format(), requests, histogram);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    System.out.printf(
                            "%-17s %-4s %9.2f %9.2f %9.2f %9.2f %8.0f%n",
                            row.label(),
                            row.format(),
                            histogram.getValueAtPercentile(50) / 1000.0,
                            histogram.getValueAtPercentile(90) / 1000.0,
                            histogram.getValueAtPercentile(99) / 1000.0,
                            histogram.getMaxValue() / 1000.0,
                            requests / seconds);
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void skf(Path dir, StringBuilder config, String code, KeyAlgorithm algorithm, String serial) {
        SoftSkf skf = SoftSkf.create(dir.resolve(code));
        skf.device(code + "-KEY", serial)
                .application("BENCH_APP", PIN, 10)
                .container(
                        "SIGN",
                        TestPki.provider(code)
                                .algorithm(algorithm)
                                .build()
                                .user("西子")
                                .issue());
        String p = "provider." + code + ".";
        config.append(p + "backend=skf\n").append(p + "skf.library=" + skf.library() + "\n");
    }
}
