package org.cagate.bench.login;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Queue;
import java.util.function.BooleanSupplier;
import org.cagate.pki.Certificates;
import org.cagate.pki.sign.DetachedSignature;
import org.cagate.pki.sign.SignatureFormat;
import org.cagate.pki.sign.Signer;
import org.cagate.pki.sign.SigningException;
import org.cagate.testca.Credential;
import org.cagate.testca.TestCa;

/**
 * One client of the outage benchmark, on its own kept-alive connection, recording every request it makes
 * ({@link Sample}): either complete CA logins of the benchmark's users one after the other (challenge, the
 * agent's signature, login), or, signed in as the platform operator, binds of new keys to the users'
 * accounts (challenge, signature, bind), each from another client address so the per-IP limits stay out of
 * the way. After a refusal the client waits 100 ms, as a person reading the message would.
 */
final class OutageClient implements Runnable {

    /** One request: when it started and ended ({@link System#nanoTime()}), what came back. */
    record Sample(String step, long startNanos, long endNanos, int status, String code, String contentType) {

        double millis() {
            return (endNanos - startNanos) / 1e6;
        }

        boolean ok() {
            return status >= 200 && status < 300;
        }

        /** 503 problem+json SERVICE_UNAVAILABLE: the answer a database outage must give. */
        boolean unavailable() {
            return status == 503
                    && contentType != null
                    && contentType.startsWith("application/problem+json")
                    && "SERVICE_UNAVAILABLE".equals(code);
        }

        String outcome() {
            return status == 0 ? "io " + code : status + (code == null ? "" : " " + code);
        }
    }

    /** A bind this client posted: the new key's certificate, the account, and the answer. */
    record Bind(Credential key, long accountId, Sample answer) {}

    /** A CA login answered 200: whose, and the session cookie it set. */
    record SignedIn(String loginName, String sessionCookie) {}

    private final InetSocketAddress server;
    private final String host;
    private final String provider;
    private final List<BenchUsers.User> users;
    private final TestCa ca;
    private final List<Long> accounts;
    private final Queue<Sample> samples;
    private final Queue<Bind> binds;
    private final Queue<SignedIn> signedIn;
    private final BooleanSupplier running;
    private final int index;
    private final int stride;
    private final SecureRandom random = new SecureRandom();
    private HttpConnection connection;
    private String csrf;
    private String session;
    private String clientIp;
    private Sample last;

    private OutageClient(
            InetSocketAddress server,
            String provider,
            List<BenchUsers.User> users,
            TestCa ca,
            List<Long> accounts,
            Queue<Sample> samples,
            Queue<Bind> binds,
            Queue<SignedIn> signedIn,
            BooleanSupplier running,
            int index,
            int stride) {
        this.server = server;
        this.host = server.getHostString() + ":" + server.getPort();
        this.provider = provider;
        this.users = users;
        this.ca = ca;
        this.accounts = accounts;
        this.samples = samples;
        this.binds = binds;
        this.signedIn = signedIn;
        this.running = running;
        this.index = index;
        this.stride = stride;
        this.connection = new HttpConnection(server);
    }

    /** Client {@code index} of {@code clients} logging the users in: users index, index + clients, ... */
    static OutageClient logins(
            InetSocketAddress server,
            String provider,
            List<BenchUsers.User> users,
            Queue<Sample> samples,
            Queue<SignedIn> signedIn,
            BooleanSupplier running,
            int index,
            int clients) {
        return new OutageClient(server, provider, users, null, null, samples, null, signedIn, running, index, clients);
    }

    /**
     * Client {@code index} of {@code clients} binding new keys of {@code ca} to the accounts, with the operator's
     * session and CSRF token.
     */
    static OutageClient binds(
            InetSocketAddress server,
            String provider,
            TestCa ca,
            List<Long> accounts,
            String session,
            String csrf,
            Queue<Sample> samples,
            Queue<Bind> binds,
            BooleanSupplier running,
            int index,
            int clients) {
        OutageClient client = new OutageClient(
                server, provider, List.of(), ca, accounts, samples, binds, null, running, index, clients);
        client.session = session;
        client.csrf = csrf;
        return client;
    }

    @Override
    public void run() {
        try {
            for (long n = index; running.getAsBoolean(); n += stride) {
                boolean done = ca == null ? login(users.get((int) (n % users.size()))) : bind(n);
                if (!done) {
                    Thread.sleep(100);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            connection.close();
        }
    }

    private boolean login(BenchUsers.User user) {
        clientIp = user.clientIp();
        if (csrf == null) {
            HttpConnection.Response token = send("csrf", "GET", "/api/auth/csrf", null);
            csrf = token == null ? null : token.cookie("XSRF-TOKEN");
            if (csrf == null) {
                return false;
            }
        }
        HttpConnection.Response issued = send(
                "challenge", "POST", "/api/ca/challenges", "{\"purpose\":\"LOGIN\",\"provider\":\"" + provider + "\"}");
        if (issued == null || issued.status() != 201) {
            return false;
        }
        String body = "{\"challengeId\":\"" + Json.field(issued.text(), "id") + "\"," + user.loginFields()
                + ",\"signature\":\"" + sign(user.signer(), issued) + "\"}";
        HttpConnection.Response login = send("login", "POST", "/api/ca/login", body);
        if (login == null || login.status() != 200) {
            return false;
        }
        signedIn.add(new SignedIn(user.loginName(), login.cookie("SESSION")));
        return true;
    }

    private boolean bind(long n) {
        Credential key = ca.user("绑定" + n).organization("培训省投标单位").issue();
        Sample answer = bind(key, accounts.get((int) (n % accounts.size())), n);
        return answer != null && answer.ok();
    }

    /**
     * Binds the key to the account (challenge, signature, bind); records the bind unless no challenge came.
     *
     * @return the bind's answer, or null when the challenge was refused
     */
    Sample bind(Credential key, long account, long n) {
        // An address of 198.19.0.0/16 per bind (benchmark range, RFC 2544; only ever in X-Forwarded-For).
        clientIp = "198.19." + ((n >> 8) & 255) + "." + (n & 255);
        HttpConnection.Response issued = send(
                "challenge", "POST", "/api/ca/challenges", "{\"purpose\":\"BIND\",\"provider\":\"" + provider + "\"}");
        if (issued == null || issued.status() != 201) {
            return null;
        }
        List<java.security.cert.X509Certificate> intermediates =
                ca.caCertificates().subList(0, ca.caCertificates().size() - 1);
        Signer signer = Signer.of(key.keyPair().getPrivate(), key.certificate()).chain(intermediates);
        String chain = intermediates.stream()
                .map(c -> Json.string(Base64.getEncoder().encodeToString(Certificates.der(c))))
                .reduce((a, b) -> a + "," + b)
                .orElse("");
        String body = "{\"challengeId\":\"" + Json.field(issued.text(), "id") + "\",\"format\":\"RAW\",\"algorithm\":\""
                + signer.algorithm().wireName() + "\",\"certificate\":"
                + Json.string(Base64.getEncoder().encodeToString(Certificates.der(key.certificate())))
                + ",\"chain\":[" + chain + "],\"tokenSerial\":\"BIND" + n + "\",\"signature\":\"" + sign(signer, issued)
                + "\",\"accountId\":" + account + "}";
        send("bind", "POST", "/api/ca/bindings", body);
        Sample answer = last;
        binds.add(new Bind(key, account, answer));
        return answer;
    }

    private String sign(Signer signer, HttpConnection.Response issued) {
        byte[] toBeSigned = Base64.getDecoder().decode(Json.field(issued.text(), "toBeSigned"));
        try {
            DetachedSignature signature = signer.random(random).sign(toBeSigned, SignatureFormat.RAW);
            return Base64.getEncoder().encodeToString(signature.signature());
        } catch (SigningException e) {
            throw new IllegalStateException("the benchmark key could not sign", e);
        }
    }

    /** Sends and records one request; null when no answer came (recorded as "io ..."). */
    private HttpConnection.Response send(String step, String method, String path, String json) {
        long start = System.nanoTime();
        try {
            HttpConnection.Response response = connection.send(request(method, path, json));
            String type = response.contentType();
            String code = type != null && type.startsWith("application/problem+json")
                    ? Json.field(response.text(), "code")
                    : null;
            last = new Sample(step, start, System.nanoTime(), response.status(), code, type);
            samples.add(last);
            return response;
        } catch (IOException e) {
            last = new Sample(step, start, System.nanoTime(), 0, e.getClass().getSimpleName(), null);
            samples.add(last);
            connection.close();
            connection = new HttpConnection(server);
            if (ca == null) {
                csrf = null; // a login client fetches its token again on the new connection
            }
            return null;
        }
    }

    private byte[] request(String method, String path, String json) {
        return HttpConnection.request(method, path, host, clientIp, csrf, session, json);
    }
}
