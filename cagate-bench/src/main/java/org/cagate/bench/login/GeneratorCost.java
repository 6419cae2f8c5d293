package org.cagate.bench.login;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.cagate.pki.Challenge;
import org.cagate.testca.TestCa;
import org.cagate.testca.TestPki;

/**
 * What the load generator costs per login without the server: one {@link LoginWorker} on one thread does
 * complete logins against a canned server on loopback (a thread that reads each request and writes a fixed
 * answer shaped like the real one: Spring Security's headers, the challenge with a real challenge's
 * bytes, the session cookie), and the CPU of the worker's thread, and of this JVM without the canned
 * server's thread, is given per login in bare P-256 verifies measured in the same JVM. Indicative only:
 * the real run counts the generator's whole JVM under load ({@code LoginBenchmark}); this one shows what
 * a change of the generator's code does, on a machine that need not be quiet.
 *
 * <pre>{@code java -cp cagate-bench/target/benchmarks.jar org.cagate.bench.login.GeneratorCost [logins] [rounds]}</pre>
 */
public final class GeneratorCost {

    private GeneratorCost() {}

    public static void main(String[] args) throws Exception {
        int logins = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int userCount = args.length > 2 ? Integer.parseInt(args[2]) : logins * rounds;
        TestCa ca = TestPki.provider(LoginBenchmark.PROVIDER)
                .ec()
                .withIntermediate()
                .build();
        List<BenchUsers.User> users = BenchUsers.issue(ca, userCount, 2);
        VerifyRate verify = VerifyRate.measure(users.get(0).credential(), Duration.ofSeconds(3), Duration.ofSeconds(3));
        System.out.printf("%d users; bare P-256 verify: %.1f µs CPU%n", users.size(), verify.cpuMicros());
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (CannedServer server = new CannedServer()) {
            Thread serving = new Thread(server, "canned-server");
            serving.setDaemon(true);
            serving.start();
            // One counter for every round: as in the real run, a login is mostly a user's first (a user's key
            // and certificate objects are new to the code that signs), unless users < logins * rounds.
            AtomicLong counter = new AtomicLong();
            for (int round = 0; round < rounds; round++) {
                LoginWorker worker = new LoginWorker(
                        closedLoop(counter, (long) logins * (round + 1)),
                        users,
                        LoginBenchmark.PROVIDER,
                        server.address());
                long process0 = ProcessCpu.self() - threads.getThreadCpuTime(serving.getId());
                long thread0 = threads.getCurrentThreadCpuTime();
                worker.run();
                long thread = threads.getCurrentThreadCpuTime() - thread0;
                long process = ProcessCpu.self() - threads.getThreadCpuTime(serving.getId()) - process0;
                if (worker.succeeded != logins) {
                    throw new IllegalStateException(worker.succeeded + " of " + logins + " logins: " + worker.errors);
                }
                System.out.printf(
                        "round %d: %d logins, worker thread %.1f µs (%.2f verifies), JVM without the canned server"
                                + " %.1f µs (%.2f verifies) per login%n",
                        round + 1,
                        logins,
                        thread / 1e3 / logins,
                        thread / 1e3 / logins / verify.cpuMicros(),
                        process / 1e3 / logins,
                        process / 1e3 / logins / verify.cpuMicros());
            }
        }
    }

    private static LoginWorker.Schedule closedLoop(AtomicLong counter, long end) {
        return new LoginWorker.Schedule() {
            @Override
            public LoginWorker.Slot next() {
                long n = counter.get();
                if (n >= end) {
                    return null;
                }
                counter.set(n + 1);
                return new LoginWorker.Slot(n, 0);
            }

            @Override
            public boolean measuring(long startNanos) {
                return true;
            }

            @Override
            public long windowStart() {
                return 0;
            }
        };
    }

    /** Answers the three requests of a login with fixed bytes, one connection at a time. */
    private static final class CannedServer implements Runnable, AutoCloseable {

        private static final String HEADERS = "Vary: Origin\r\nVary: Access-Control-Request-Method\r\n"
                + "Vary: Access-Control-Request-Headers\r\nX-Content-Type-Options: nosniff\r\n"
                + "X-XSS-Protection: 0\r\nCache-Control: no-cache, no-store, max-age=0, must-revalidate\r\n"
                + "Pragma: no-cache\r\nExpires: 0\r\nX-Frame-Options: DENY\r\n"
                + "Content-Type: application/json\r\nDate: Mon, 07 Dec 2026 14:00:00 GMT\r\n"
                + "Keep-Alive: timeout=60\r\nConnection: keep-alive\r\n";

        private final ServerSocket socket;
        private final byte[] csrf;
        private final byte[] challenge;
        private final byte[] login;

        CannedServer() throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            csrf = answer(
                    "200",
                    "Set-Cookie: XSRF-TOKEN=5f0c2d7e-7a39-4c8e-9d0a-1b2c3d4e5f60; Path=/\r\n",
                    "{\"token\":\"5f0c2d7e-7a39-4c8e-9d0a-1b2c3d4e5f60\",\"headerName\":\"X-XSRF-TOKEN\"}");
            byte[] toBeSigned = new Challenge(
                            Challenge.Purpose.LOGIN,
                            BenchServer.PUBLIC_ORIGIN,
                            LoginBenchmark.PROVIDER,
                            new byte[Challenge.NONCE_BYTES],
                            Instant.parse("2026-12-07T14:00:00Z"))
                    .toBytes();
            challenge = answer(
                    "201",
                    "",
                    "{\"id\":\"Qm9vZ2llLUNoYWxsZW5nZS1JZC0wMTIzNDU2Nzg5YWJjZGVm\",\"toBeSigned\":\""
                            + Base64.getEncoder().encodeToString(toBeSigned)
                            + "\",\"expiresAt\":\"2026-12-07T14:02:00Z\"}");
            login = answer(
                    "200",
                    "Set-Cookie: XSRF-TOKEN=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:10 GMT; Path=/\r\n"
                            + "Set-Cookie: SESSION=ZjM2YjY0NmQtNGI1Mi00YjA2LWE5NjQtZjI0ZDBhOWM3YjFh; Path=/;"
                            + " Secure; HttpOnly; SameSite=Lax\r\n",
                    "{\"account\":\"bench-000001\",\"redirect\":\"/\"}");
        }

        private static byte[] answer(String status, String cookies, String json) {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            return ("HTTP/1.1 " + status + " \r\n" + HEADERS + cookies + "Content-Length: " + body.length + "\r\n\r\n"
                            + json)
                    .getBytes(StandardCharsets.ISO_8859_1);
        }

        InetSocketAddress address() {
            return new InetSocketAddress("127.0.0.1", socket.getLocalPort());
        }

        @Override
        public void run() {
            while (!socket.isClosed()) {
                try (Socket s = socket.accept()) {
                    s.setTcpNoDelay(true);
                    serve(s.getInputStream(), s.getOutputStream());
                } catch (IOException closed) {
                    // the client went, or the server was closed: take the next connection or end
                }
            }
        }

        private void serve(InputStream in, OutputStream out) throws IOException {
            byte[] buffer = new byte[16 * 1024];
            int filled = 0;
            while (true) {
                int end = headEnd(buffer, filled);
                if (end < 0) {
                    int n = in.read(buffer, filled, buffer.length - filled);
                    if (n < 0) {
                        return;
                    }
                    filled += n;
                    continue;
                }
                String head = new String(buffer, 0, end, StandardCharsets.ISO_8859_1);
                int length = 0;
                int at = head.indexOf("Content-Length: ");
                if (at >= 0) {
                    length = Integer.parseInt(head.substring(at + 16, head.indexOf('\r', at)));
                }
                while (filled < end + length) {
                    int n = in.read(buffer, filled, buffer.length - filled);
                    if (n < 0) {
                        return;
                    }
                    filled += n;
                }
                out.write(
                        head.startsWith("GET /api/auth/csrf")
                                ? csrf
                                : head.startsWith("POST /api/ca/challenges") ? challenge : login);
                out.flush();
                System.arraycopy(buffer, end + length, buffer, 0, filled - end - length);
                filled -= end + length;
            }
        }

        /** The index after the blank line that ends a request's head, or -1. */
        private static int headEnd(byte[] buffer, int filled) {
            for (int i = 3; i < filled; i++) {
                if (buffer[i] == '\n' && buffer[i - 1] == '\r' && buffer[i - 2] == '\n' && buffer[i - 3] == '\r') {
                    return i + 1;
                }
            }
            return -1;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
