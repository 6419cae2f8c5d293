package org.cagate.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cagate.pki.Challenge;

/** What the platform's page does against the agent, with the page's origin; every header can be changed. */
final class AgentClient {
    static final SecureRandom RANDOM = new SecureRandom();

    private final int port;
    private final String origin;

    AgentClient(int port, String origin) {
        this.port = port;
        this.origin = origin;
    }

    AgentClient withOrigin(String origin) {
        return new AgentClient(port, origin);
    }

    int port() {
        return port;
    }

    Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Host", "127.0.0.1:" + port);
        if (origin != null) {
            headers.put("Origin", origin);
        }
        return headers;
    }

    RawHttp.Response get(String path) throws IOException {
        return RawHttp.send(port, "GET", path, headers(), null);
    }

    RawHttp.Response post(String path, Map<String, String> headers, byte[] body) throws IOException {
        return RawHttp.send(port, "POST", path, headers, body);
    }

    /** A fresh challenge for this page's origin, as the server would issue it now (the agent runs on real time). */
    static byte[] challenge(String origin, String provider) {
        byte[] nonce = new byte[Challenge.NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        return new Challenge(
                        Challenge.Purpose.LOGIN,
                        origin,
                        provider,
                        nonce,
                        Instant.now().truncatedTo(ChronoUnit.SECONDS))
                .toBytes();
    }

    RawHttp.Response sign(String provider, String pin, byte[] toBeSigned, String format) throws IOException {
        String body = "{\"provider\":\"" + provider + "\",\"pin\":\"" + pin + "\",\"toBeSigned\":\""
                + Base64.getEncoder().encodeToString(toBeSigned) + "\",\"format\":\"" + format + "\"}";
        return signBody(body.getBytes(StandardCharsets.UTF_8));
    }

    /** POST /v1/sign with {@code finalTryConfirmed: true}: the person confirmed the key's last PIN try. */
    RawHttp.Response signConfirmingFinalTry(String provider, String pin, String format) throws IOException {
        String body = "{\"provider\":\"" + provider + "\",\"pin\":\"" + pin + "\",\"toBeSigned\":\""
                + Base64.getEncoder().encodeToString(challenge(origin, provider)) + "\",\"format\":\"" + format
                + "\",\"finalTryConfirmed\":true}";
        return signBody(body.getBytes(StandardCharsets.UTF_8));
    }

    RawHttp.Response sign(String provider, String pin, String format) throws IOException {
        return sign(provider, pin, challenge(origin, provider), format);
    }

    /** POST /v1/sign-document with the document's SHA-256 and SM3 digests, as the 签章 page sends them. */
    RawHttp.Response signDocument(String provider, String pin, String documentName, byte[] document)
            throws IOException {
        String body = "{\"provider\":\"" + provider + "\",\"pin\":\"" + pin + "\",\"documentName\":\""
                + documentName + "\",\"digests\":{\"SHA-256\":\"" + digest("SHA-256", document)
                + "\",\"SM3\":\"" + digest("SM3", document) + "\"}}";
        return signDocumentBody(body.getBytes(StandardCharsets.UTF_8));
    }

    RawHttp.Response signDocumentBody(byte[] body) throws IOException {
        Map<String, String> headers = headers();
        headers.put("Content-Type", "application/json");
        return post("/v1/sign-document", headers, body);
    }

    static String digest(String algorithm, byte[] document) {
        try {
            return Base64.getEncoder()
                    .encodeToString(
                            java.security.MessageDigest.getInstance(algorithm, org.cagate.pki.BouncyCastle.provider())
                                    .digest(document));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    RawHttp.Response signBody(byte[] body) throws IOException {
        Map<String, String> headers = headers();
        headers.put("Content-Type", "application/json");
        return post("/v1/sign", headers, body);
    }
}
