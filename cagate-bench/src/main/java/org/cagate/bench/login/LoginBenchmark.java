package org.cagate.bench.login;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.cagate.testca.CrlServer;
import org.cagate.testca.TestCa;
import org.cagate.testca.TestPki;

/**
 * The CA-login load benchmark (issue 5): starts the server's exec jar against a schema of its own in
 * PostgreSQL, sets up a provider and {@code --users} accounts with bound ECDSA P-256 keys, measures the
 * bare verify rate, drives complete CA logins over HTTP for a warm-up and a measured window, reports
 * logins per second, latency, errors and CPU per login of the server, PostgreSQL and the generator (the
 * report's last line gives them in bare verifies for scripts), then stops the server and drops the schema. {@code cagate-bench/login-bench.sh} builds and runs it;
 * docs/benchmarks.md has the options and the numbers.
 */
public final class LoginBenchmark {

    static final String PROVIDER = "BENCH";
    static final String REGION = "BENCH";

    private LoginBenchmark() {}

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        Files.createDirectories(o.out());
        SecureRandom random = new SecureRandom();
        String schema = "cagate_bench_" + HexFormat.of().formatHex(random.generateSeed(6));
        String application = "cagate-bench-" + schema.substring("cagate_bench_".length());
        String serverUrl = o.pgUrl() + (o.pgUrl().contains("?") ? "&" : "?") + "currentSchema=" + schema
                + "&ApplicationName=" + application;
        Machine before = Machine.now();
        System.out.println("CA login benchmark: " + before.describe());
        execute(o.pgUrl(), "CREATE SCHEMA " + schema);
        TestCa ca = TestPki.provider(PROVIDER).ec().withIntermediate().build();
        try (CrlServer crl = CrlServer.start(ca)) {
            ca.defaultCrlUrl(crl.url());
            String operator = "bench-operator";
            String password = "Bench-" + HexFormat.of().formatHex(random.generateSeed(12)) + "-Op1!";
            try (BenchServer server =
                    BenchServer.start(o.jar(), serverUrl, operator, password, o.serverJvm(), o.serverArgs(), o.out())) {
                System.out.printf("server pid %d on %s, schema %s%n", server.pid(), server.baseUrl(), schema);
                OperatorApi api = new OperatorApi(server.baseUrl());
                api.login(operator, password);
                api.region(REGION, "压测区划");
                long organization = api.organization("压测投标单位", REGION);
                api.provider(PROVIDER, "压测CA", ca.caCertificates(), REGION);
                long t0 = System.nanoTime();
                List<BenchUsers.User> users = BenchUsers.issue(ca, o.users(), 2);
                BenchUsers.store(serverUrl, users, organization, PROVIDER, operator, Instant.now(), random);
                System.out.printf(
                        "%d users with bound P-256 keys in %.1f s%n", users.size(), (System.nanoTime() - t0) / 1e9);

                VerifyRate verify =
                        VerifyRate.measure(users.get(0).credential(), Duration.ofSeconds(5), Duration.ofSeconds(5));
                System.out.printf(
                        "bare P-256 verify (Bouncy Castle, 1 thread): %.0f/s, %.1f µs CPU each%n",
                        verify.perSecond(), verify.cpuMicros());

                CpuWatch cpu = new CpuWatch(server.pid(), o.pgUrl(), application);
                LoadRun.Result result = LoadRun.run(
                        users,
                        PROVIDER,
                        new InetSocketAddress("127.0.0.1", server.port()),
                        o.clients(),
                        o.rate(),
                        o.warmUp(),
                        o.duration(),
                        cpu);
                // Again after the load: on a shared machine what one verify costs drifts during a run.
                VerifyRate verifyAfter =
                        VerifyRate.measure(users.get(0).credential(), Duration.ofSeconds(2), Duration.ofSeconds(5));
                Report report = new Report(o, before, cpu.machineAtEnd(), verify.and(verifyAfter), result, cpu);
                String text = report.text();
                System.out.print(text); // ends with the cost line, for scripts
                Files.writeString(o.out().resolve("result.md"), text);
            }
        } finally {
            if (!o.keepSchema()) {
                execute(o.pgUrl(), "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    static void execute(String url, String sql) throws SQLException {
        try (Connection db = DriverManager.getConnection(url);
                Statement statement = db.createStatement()) {
            statement.execute(sql);
        }
    }

    /** Command-line options; every one has a default, so the script's one line needs none. */
    record Options(
            int users,
            int clients,
            double rate,
            Duration warmUp,
            Duration duration,
            Path jar,
            String pgUrl,
            List<String> serverJvm,
            List<String> serverArgs,
            boolean keepSchema,
            Path out) {

        static Options parse(String[] args) {
            Map<String, String> defaults = Map.of(
                    "users", "20000",
                    "clients", "",
                    "rate", "0",
                    "warmup", "30s",
                    "duration", "60s",
                    "jar", "cagate-server/target/cagate-server-0.1.0-SNAPSHOT-exec.jar",
                    "pg", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres",
                    "server-jvm", "-Xms1g -Xmx1g",
                    "out", "cagate-bench/target/login-bench");
            java.util.HashMap<String, String> given = new java.util.HashMap<>(defaults);
            List<String> serverArgs = new ArrayList<>();
            boolean keep = false;
            for (String arg : args) {
                if (arg.equals("--keep-schema")) {
                    keep = true;
                } else if (arg.startsWith("--server-arg=")) {
                    serverArgs.add(arg.substring("--server-arg=".length()));
                } else if (arg.startsWith("--") && arg.contains("=")) {
                    String name = arg.substring(2, arg.indexOf('='));
                    if (!defaults.containsKey(name)) {
                        throw new IllegalArgumentException("unknown option --" + name + "; options: "
                                + defaults.keySet() + ", --server-arg=..., --keep-schema");
                    }
                    given.put(name, arg.substring(arg.indexOf('=') + 1));
                } else {
                    throw new IllegalArgumentException("options look like --name=value: " + arg);
                }
            }
            String jvm = given.get("server-jvm").trim();
            double rate = Double.parseDouble(given.get("rate"));
            return new Options(
                    Integer.parseInt(given.get("users")),
                    clients(given.get("clients"), rate),
                    rate,
                    duration(given.get("warmup")),
                    duration(given.get("duration")),
                    Path.of(given.get("jar")),
                    given.get("pg"),
                    jvm.isEmpty() ? List.of() : Arrays.asList(jvm.split("\\s+")),
                    serverArgs,
                    keep,
                    Path.of(given.get("out")));
        }

        /**
         * The clients given, or by default 32 in a closed loop and, in an open loop, enough for 100 ms of
         * arrivals at once (at least 32): 60 at 600/s, 100 at 1,000/s. A login takes a few milliseconds
         * when the server keeps up; a login that finds no free client starts late, and its latency counts
         * its wait anyway, so more clients than that only matter when the latency is above 100 ms.
         */
        static int clients(String given, double rate) {
            if (!given.isEmpty()) {
                return Integer.parseInt(given);
            }
            return rate > 0 ? (int) Math.max(32, Math.ceil(rate / 10)) : 32;
        }

        private static Duration duration(String text) {
            return Duration.parse("PT" + text.toUpperCase(java.util.Locale.ROOT));
        }

        String describe() {
            return (rate > 0
                            ? "open loop at " + rate + " logins/s with up to " + clients + " clients"
                            : "closed loop, " + clients + " clients")
                    + ", " + users + " users, warm-up " + warmUp.toSeconds() + " s, measured " + duration.toSeconds()
                    + " s; server JVM " + String.join(" ", serverJvm)
                    + (serverArgs.isEmpty() ? "" : ", server " + String.join(" ", serverArgs));
        }
    }
}
