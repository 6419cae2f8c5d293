package org.cagate.testca;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;

/**
 * An RFC 6960 OCSP responder for one test CA at {@link #url()}: POST (application/ocsp-request) and GET
 * (url + "/" + base64 request, URL-encoded). Answers good, revoked (time and reason) or unknown (a serial
 * this CA never issued, or another issuer), echoes the request nonce, and signs as the issuer or as a
 * delegated responder (id-kp-OCSPSigning). Malformed requests get the OCSP status malformedRequest, never
 * an HTTP 500 unless {@link #refuse(boolean)} asks for it.
 */
public final class OcspResponder extends ServerSwitches implements AutoCloseable {
    static final int MAX_REQUEST_BYTES = 64 * 1024;

    private final TestCa ca;
    private final LoopbackHttp http;
    private final boolean ownsHttp;
    private final String path;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private final OcspAnswers answers;
    private volatile Integer errorStatus;
    private volatile byte[] body;

    private OcspResponder(TestCa ca, LoopbackHttp http, boolean ownsHttp) {
        this.ca = Objects.requireNonNull(ca, "ca");
        this.http = http;
        this.ownsHttp = ownsHttp;
        this.path = "/ocsp/" + ca.providerCode();
        this.answers = new OcspAnswers(ca);
        http.handle(path, this::serve);
    }

    /** Starts its own server on a free loopback port; answers are signed by the issuer. */
    public static OcspResponder start(TestCa ca) {
        return new OcspResponder(ca, LoopbackHttp.start(0), true);
    }

    /** Attaches to a shared server; closing this responder leaves the shared server running. */
    public static OcspResponder on(LoopbackHttp http, TestCa ca) {
        return new OcspResponder(ca, http, false);
    }

    /** e.g. http://127.0.0.1:41234/ocsp/ZJHX */
    public String url() {
        return http.baseUrl() + path;
    }

    /** Signs with the CA's issuer key (the default). */
    public OcspResponder signByIssuer() {
        answers.signer(null);
        return this;
    }

    /** Signs with a delegated responder certificate issued by the CA (made once, then reused). */
    public OcspResponder signByDelegate() {
        answers.signer(answers.delegate());
        return this;
    }

    /** Signs with any credential, e.g. one from another CA or one without id-kp-OCSPSigning, for negative tests. */
    public OcspResponder signedBy(Credential signer) {
        answers.signer(Objects.requireNonNull(signer, "signer"));
        return this;
    }

    /** The delegated responder credential {@link #signByDelegate()} uses. */
    public Credential delegate() {
        return answers.delegate();
    }

    /** Whether answers carry the signer's certificate (default true; RFC 6960 lets a client know it already). */
    public OcspResponder includeSignerCertificate(boolean include) {
        answers.includeSignerCertificate(include);
        return this;
    }

    /** Whether the request nonce is echoed (default true); false tests a client's nonce check. */
    public OcspResponder echoNonce(boolean echo) {
        answers.echoNonce(echo);
        return this;
    }

    /** thisUpdate = now - age, nextUpdate = now + in (CA clock; default 1 minute and 1 hour). */
    public OcspResponder window(Duration thisUpdateAge, Duration nextUpdateIn) {
        answers.window(thisUpdateAge, nextUpdateIn);
        return this;
    }

    /** Fixed thisUpdate and nextUpdate (nextUpdate null: left out, "newer information is always available"). */
    public OcspResponder fixedTimes(Instant thisUpdate, Instant nextUpdate) {
        answers.fixedTimes(thisUpdate, nextUpdate);
        return this;
    }

    /**
     * Answers every request with this OCSPResponseStatus and no response bytes, e.g.
     * {@link OCSPRespBuilder#TRY_LATER} or {@link OCSPRespBuilder#INTERNAL_ERROR}; null returns to normal.
     */
    public OcspResponder errorStatus(Integer status) {
        if (status != null && (status < 1 || status > 6 || status == 4)) {
            throw new IllegalArgumentException("not an OCSP error status: " + status);
        }
        this.errorStatus = status;
        return this;
    }

    /** Serves these bytes (as application/ocsp-response) instead of an answer, until called with null. */
    public OcspResponder serveBytes(byte[] body) {
        this.body = body == null ? null : body.clone();
        return this;
    }

    private void serve(HttpExchange exchange) throws IOException {
        if (!admit(exchange)) {
            return;
        }
        byte[] request;
        switch (exchange.getRequestMethod()) {
            case "POST" -> request = readBody(exchange.getRequestBody());
            case "GET" -> request = fromGetPath(exchange.getRequestURI().getRawPath());
            default -> {
                exchange.getResponseHeaders().set("Allow", "GET, POST");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
        }
        send(exchange, 200, "application/ocsp-response", answer(request));
    }

    /** The DER OCSPResponse for a DER OCSPRequest (null or unparsable: malformedRequest). */
    public byte[] answer(byte[] request) {
        byte[] custom = body;
        if (custom != null) {
            return custom.clone();
        }
        Integer error = errorStatus;
        if (error != null) {
            return OcspAnswers.status(error);
        }
        OCSPReq parsed = parse(request);
        if (parsed == null) {
            return OcspAnswers.status(OCSPRespBuilder.MALFORMED_REQUEST);
        }
        return answers.answer(parsed);
    }

    private static OCSPReq parse(byte[] request) {
        if (request == null || request.length == 0) {
            return null;
        }
        try {
            OCSPReq parsed = new OCSPReq(request);
            return parsed.getRequestList().length == 0 ? null : parsed;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static byte[] readBody(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) > 0) {
            if (out.size() + n > MAX_REQUEST_BYTES) {
                return null;
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private byte[] fromGetPath(String rawPath) {
        if (rawPath.length() <= path.length() + 1 || rawPath.length() > MAX_REQUEST_BYTES) {
            return null;
        }
        String encoded = percentDecode(rawPath.substring(path.length() + 1));
        try {
            return Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Decodes %XX only: in a path '+' is a base64 character, not a space (so no URLDecoder). */
    static String percentDecode(String raw) {
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && isHex(raw, i + 1) && isHex(raw, i + 2)) {
                out.append((char) Integer.parseInt(raw.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.append(c);
            }
        }
        return new String(out.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.US_ASCII);
    }

    private static boolean isHex(String s, int i) {
        return i < s.length() && Character.digit(s.charAt(i), 16) >= 0;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (ownsHttp) {
            http.close();
        } else {
            http.remove(path);
        }
    }
}
