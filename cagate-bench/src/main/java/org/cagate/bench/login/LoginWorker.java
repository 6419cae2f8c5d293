package org.cagate.bench.login;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
        /** The next login's user index, or -1 when the run is over. */
        long next();

        /** When that login should start (System.nanoTime()), or 0 to start at once (closed loop). */
        long intendedStart(long login);

        boolean measuring(long startNanos);
    }

    private final Schedule schedule;
    private final List<BenchUsers.User> users;
    private final String provider;
    private final HttpConnection connection;
    private final String host;
    private final ChallengeSigner signer = new ChallengeSigner();
    private final Base64.Decoder decoder = Base64.getDecoder();
    private final Base64.Encoder encoder = Base64.getEncoder();

    /** Measured results; read after the thread ended. */
    final Histogram total = histogram();

    final Histogram challenge = histogram();
    final Histogram login = histogram();
    final Map<String, Long> errors = new TreeMap<>();
    long succeeded;
    private String csrf;

    LoginWorker(Schedule schedule, List<BenchUsers.User> users, String provider, InetSocketAddress server) {
        this.schedule = schedule;
        this.users = users;
        this.provider = provider;
        this.connection = new HttpConnection(server);
        this.host = server.getHostString() + ":" + server.getPort();
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
            for (long n = schedule.next(); n >= 0; n = schedule.next()) {
                long intended = schedule.intendedStart(n);
                if (intended != 0) {
                    long wait = intended - System.nanoTime();
                    if (wait > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                }
                long start = System.nanoTime();
                // Open loop: a login that starts late because every worker was busy has waited since then.
                long from = intended != 0 ? Math.min(intended, start) : start;
                String outcome = loginOnce(users.get((int) (n % users.size())), schedule.measuring(from));
                long end = System.nanoTime();
                if (schedule.measuring(from)) {
                    if (outcome == null) {
                        succeeded++;
                        total.recordValue(Math.max(1, (end - from) / 1000));
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
            if (csrf == null) {
                HttpConnection.Response token = connection.send(request("GET", "/api/auth/csrf", user, null));
                csrf = token.cookie("XSRF-TOKEN");
                if (token.status() != 200 || csrf == null) {
                    return "csrf " + token.status();
                }
            }
            long t0 = System.nanoTime();
            HttpConnection.Response issued = connection.send(request(
                    "POST", "/api/ca/challenges", user, "{\"purpose\":\"LOGIN\",\"provider\":\"" + provider + "\"}"));
            long t1 = System.nanoTime();
            if (issued.status() != 201) {
                return problem("challenge", issued);
            }
            String text = issued.text();
            String id = Json.field(text, "id");
            byte[] toBeSigned = decoder.decode(Json.field(text, "toBeSigned"));
            byte[] signature = signer.sign(user.loginKey(), toBeSigned);
            String body = "{\"challengeId\":\"" + id + "\"," + user.loginFields() + ",\"signature\":\""
                    + encoder.encodeToString(signature) + "\"}";
            long t2 = System.nanoTime();
            HttpConnection.Response answer = connection.send(request("POST", "/api/ca/login", user, body));
            long t3 = System.nanoTime();
            if (answer.status() != 200) {
                return problem("login", answer);
            }
            if (answer.cookie("SESSION") == null || !answer.text().contains("\"redirect\"")) {
                return "login 200 without a session";
            }
            if (record) {
                challenge.recordValue(Math.max(1, (t1 - t0) / 1000));
                login.recordValue(Math.max(1, (t3 - t2) / 1000));
            }
            return null;
        } catch (IOException e) {
            csrf = null; // a new connection may be a new client; fetch the token again
            return "io " + e.getClass().getSimpleName();
        }
    }

    private static String problem(String step, HttpConnection.Response response) {
        String code = Json.field(response.text(), "code");
        return step + " " + response.status() + (code == null ? "" : " " + code);
    }

    private byte[] request(String method, String path, BenchUsers.User user, String json) {
        return HttpConnection.request(method, path, host, user.clientIp(), csrf, null, json);
    }
}
