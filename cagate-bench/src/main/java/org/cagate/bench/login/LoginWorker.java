package org.cagate.bench.login;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * One load-generating thread: complete CA logins, one after the other, on its own kept-alive connection.
 * A login is what the page does after the user typed the PIN: {@code POST /api/ca/challenges} (LOGIN,
 * the provider), the signature over the challenge bytes by the user's key ({@link ChallengeSigner}: the
 * signature the agent makes, at the least cost), {@code POST /api/ca/login}; it succeeds on 200 with a new
 * {@code SESSION} cookie. The CSRF token is fetched once ({@code GET /api/auth/csrf}) and stays valid,
 * as the page's does until it logs in. Each login is a different user (round robin over every user), so
 * no session cookie is sent and every key and client address stays within its rate limits.
 */
final class LoginWorker implements Runnable {

    /** What the run tells its workers: which user next, when to start, whether to record. */
    interface Schedule {
        /** The next login, or null when the run is over. */
        Slot next();

        boolean measuring(long startNanos);

        /** When the measured window opened (System.nanoTime()); read once it has. */
        long windowStart();
    }

    /**
     * One login to make: the user's index (round robin over the users) and when it should start
     * (System.nanoTime()), or 0 to start at once (closed loop).
     */
    record Slot(long user, long intendedStart) {}

    private static final byte[] ID = Json.key("id");
    private static final byte[] TO_BE_SIGNED = Json.key("toBeSigned");
    private static final byte[] REDIRECT = Json.key("redirect");

    private final Schedule schedule;
    private final List<BenchUsers.User> users;
    private final HttpConnection connection;
    private final LoginRequests requests;
    private final ChallengeSigner signer = new ChallengeSigner();
    private final Base64.Decoder decoder = Base64.getDecoder();

    /** Measured results; read after the thread ended. */
    final Histogram total = histogram();

    /** Open loop: how long after its intended start each measured login started. */
    final Histogram lateness = histogram();

    /** The window's seconds in which a measured login took over 50 ms. */
    final SlowSeconds slowSeconds = new SlowSeconds();

    final Histogram challengeLatency = histogram();
    final Histogram loginLatency = histogram();
    final Map<String, Long> errors = new TreeMap<>();
    long succeeded;
    private boolean haveToken;

    LoginWorker(Schedule schedule, List<BenchUsers.User> users, String provider, InetSocketAddress server) {
        this.schedule = schedule;
        this.users = users;
        this.connection = new HttpConnection(server);
        this.requests = new LoginRequests(server.getHostString() + ":" + server.getPort(), provider);
    }

    static Histogram histogram() {
        return new Histogram(60_000_000L, 3); // microseconds, up to a minute
    }

    int connectionsOpened() {
        return connection.opened();
    }

    @Override
    public void run() {
        try {
            for (Slot slot = schedule.next(); slot != null; slot = schedule.next()) {
                long intended = slot.intendedStart();
                if (intended != 0) {
                    // parkNanos may return early; a login never starts before its time
                    for (long wait = intended - System.nanoTime(); wait > 0; wait = intended - System.nanoTime()) {
                        LockSupport.parkNanos(wait);
                    }
                }
                long start = System.nanoTime();
                // Open loop: a login that starts late because every worker was busy has waited since its
                // intended start, and its latency counts from there (no coordinated omission).
                long from = intended != 0 ? intended : start;
                boolean measuring = schedule.measuring(from);
                if (measuring && intended != 0) {
                    lateness.recordValue(Math.max(0, (start - intended) / 1000));
                }
                String outcome = loginOnce(users.get((int) (slot.user() % users.size())), measuring);
                long end = System.nanoTime();
                if (measuring) {
                    if (outcome == null) {
                        succeeded++;
                        long micros = Math.max(1, (end - from) / 1000);
                        total.recordValue(micros);
                        slowSeconds.record(from - schedule.windowStart(), micros);
                    } else {
                        errors.merge(outcome, 1L, Long::sum);
                    }
                }
            }
        } finally {
            connection.close();
        }
    }

    /** @return null on success, else what went wrong ("429 RATE_LIMITED", "io ...") */
    private String loginOnce(BenchUsers.User user, boolean record) {
        try {
            if (!haveToken) {
                requests.csrf(user.clientIp());
                HttpConnection.Response token = connection.send(requests.buffer(), requests.length());
                String csrf = token.cookie("XSRF-TOKEN");
                if (token.status() != 200 || csrf == null) {
                    return "csrf " + token.status();
                }
                requests.token(csrf);
                haveToken = true;
            }
            long t0 = System.nanoTime();
            requests.challenge(user.clientIp());
            HttpConnection.Response issued = connection.send(requests.buffer(), requests.length());
            long t1 = System.nanoTime();
            if (issued.status() != 201) {
                return problem("challenge", issued);
            }
            byte[] json = issued.body();
            int id = Json.valueStart(json, ID);
            int idEnd = Json.valueEnd(json, id);
            int toBeSigned = Json.valueStart(json, TO_BE_SIGNED);
            int toBeSignedEnd = Json.valueEnd(json, toBeSigned);
            if (idEnd < 0 || toBeSignedEnd < 0) {
                return "challenge 201 without id or toBeSigned";
            }
            byte[] challenge = decoder.decode(Arrays.copyOfRange(json, toBeSigned, toBeSignedEnd));
            byte[] signature = signer.sign(user.loginKey(), challenge);
            requests.login(user.clientIp(), json, id, idEnd, user.loginFieldBytes(), signature);
            long t2 = System.nanoTime();
            HttpConnection.Response answer = connection.send(requests.buffer(), requests.length());
            long t3 = System.nanoTime();
            if (answer.status() != 200) {
                return problem("login", answer);
            }
            if (answer.cookie("SESSION") == null || Json.valueStart(answer.body(), REDIRECT) < 0) {
                return "login 200 without a session";
            }
            if (record) {
                challengeLatency.recordValue(Math.max(1, (t1 - t0) / 1000));
                loginLatency.recordValue(Math.max(1, (t3 - t2) / 1000));
            }
            return null;
        } catch (IOException e) {
            haveToken = false; // a new connection may be a new client; fetch the token again
            return "io " + e.getClass().getSimpleName();
        }
    }

    private static String problem(String step, HttpConnection.Response response) {
        String code = Json.field(response.text(), "code");
        return step + " " + response.status() + (code == null ? "" : " " + code);
    }
}
