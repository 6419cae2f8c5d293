package org.cagate.agent;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.cagate.testca.KeyAlgorithm;
import org.cagate.testca.TestPki;
import org.cagate.testca.softhsm.SoftHsm2;
import org.cagate.testca.softhsm.SoftHsmToken;

/**
 * Sign latency of the real agent over HTTP with SoftHSM2 tokens: one client, requests one after the
 * other (as a page does), each a fresh challenge with the PIN, so every request logs in, signs and
 * logs out. Prints p50/p90/p99/max per key type and format. Command in docs/benchmarks.md.
 */
public final class Pkcs11SignBenchmark {
    static final String ORIGIN = "https://zcy.example.gov.cn";
    static final String PIN = "482915";

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        if (!SoftHsm2.isAvailable()) {
            System.out.println(SoftHsm2.unavailableReason());
            return;
        }
        Path dir = Files.createTempDirectory("cagate-agent-bench");
        try {
            SoftHsm2 hsm = SoftHsm2.create(dir.resolve("softhsm"));
            StringBuilder config = new StringBuilder("agent.allowedOrigins=" + ORIGIN + "\n");
            token(hsm, config, "BENCHEC", KeyAlgorithm.EC_P256, "9900000012345671");
            token(hsm, config, "BENCHRSA", KeyAlgorithm.RSA_2048, "9900000012345672");
            Path file = Files.writeString(dir.resolve("agent.properties"), config, StandardCharsets.UTF_8);
            try (AgentProcess agent = AgentProcess.start(file, hsm.environment())) {
                HttpClient client = HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5))
                        .build();
                System.out.printf(
                        "cagate-agent sign over HTTP, SoftHSM2 %s, %d requests each after %d warm-up, one client%n",
                        SoftHsm2.library(), requests, requests / 4);
                System.out.printf(
                        "%-9s %-4s %9s %9s %9s %9s %8s%n",
                        "key", "fmt", "p50 ms", "p90 ms", "p99 ms", "max ms", "req/s");
                for (String provider : new String[] {"BENCHEC", "BENCHRSA"}) {
                    for (String format : new String[] {"RAW", "CMS"}) {
                        run(client, agent.port(), provider, format, requests / 4, null);
                        Histogram histogram = new Histogram(60_000_000L, 3);
                        long start = System.nanoTime();
                        run(client, agent.port(), provider, format, requests, histogram);
                        double seconds = (System.nanoTime() - start) / 1e9;
                        System.out.printf(
                                "%-9s %-4s %9.2f %9.2f %9.2f %9.2f %8.0f%n",
                                provider.equals("BENCHEC") ? "EC P-256" : "RSA 2048",
                                format,
                                histogram.getValueAtPercentile(50) / 1000.0,
                                histogram.getValueAtPercentile(90) / 1000.0,
                                histogram.getValueAtPercentile(99) / 1000.0,
                                histogram.getMaxValue() / 1000.0,
                                requests / seconds);
                    }
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void token(SoftHsm2 hsm, StringBuilder config, String code, KeyAlgorithm algorithm, String serial) {
        SoftHsmToken token = hsm.initToken(code, "87654321", PIN).setSerial(serial);
        token.write(
                TestPki.provider(code)
                        .algorithm(algorithm)
                        .withIntermediate()
                        .build()
                        .user("西子")
                        .issue(),
                "西子");
        String p = "provider." + code + ".";
        config.append(p + "backend=pkcs11\n")
                .append(p + "pkcs11.library=" + SoftHsm2.library() + "\n")
                .append(p + "pkcs11.tokenLabel=" + code + "\n");
    }

    /** Microseconds per request into the histogram (null: warm-up); any answer but 200 stops the run. */
    static void run(HttpClient client, int port, String provider, String format, int count, Histogram histogram)
            throws IOException, InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + port + "/v1/sign");
        for (int i = 0; i < count; i++) {
            String body = "{\"provider\":\"" + provider + "\",\"pin\":\"" + PIN + "\",\"format\":\"" + format
                    + "\",\"toBeSigned\":\""
                    + Base64.getEncoder().encodeToString(AgentClient.challenge(ORIGIN, provider))
                    + "\"}";
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .header("Origin", ORIGIN)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
            long start = System.nanoTime();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            long micros = (System.nanoTime() - start) / 1000;
            if (response.statusCode() != 200) {
                throw new IllegalStateException("sign failed: " + response.statusCode() + " " + response.body());
            }
            if (histogram != null) {
                histogram.recordValue(Math.min(micros, histogram.getHighestTrackableValue()));
            }
        }
    }
}
