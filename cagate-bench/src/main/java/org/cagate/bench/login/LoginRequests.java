package org.cagate.bench.login;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * The load's three requests, put together in one buffer that is reused, from bytes prepared once per
 * worker: byte for byte what {@link HttpConnection#request} writes for them (the same headers in the same
 * order), without a string builder or an encoding per request. Not thread-safe: one per worker.
 */
final class LoginRequests {

    private static final byte[] JSON_HEADERS = ascii(
            "\r\nOrigin: " + BenchServer.PUBLIC_ORIGIN + "\r\nContent-Type: application/json\r\nContent-Length: ");
    private static final byte[] END = ascii("\r\n\r\n");
    private static final byte[] CHALLENGE_ID = ascii("{\"challengeId\":\"");
    private static final byte[] SIGNATURE = ascii(",\"signature\":\"");
    private static final byte[] BODY_END = ascii("\"}");

    private final byte[] csrfHead;
    private final byte[] challengeHead;
    private final byte[] loginHead;
    private final byte[] challengeBody;
    private final Base64.Encoder base64 = Base64.getEncoder();
    private final byte[] signature64 = new byte[128];
    private byte[] tokenHeaders = END;
    private byte[] buffer = new byte[4096];
    private int length;

    LoginRequests(String host, String provider) {
        csrfHead = head("GET", "/api/auth/csrf", host);
        challengeHead = head("POST", "/api/ca/challenges", host);
        loginHead = head("POST", "/api/ca/login", host);
        challengeBody = ("{\"purpose\":\"LOGIN\",\"provider\":\"" + provider + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] head(String method, String path, String host) {
        return ascii(method + " " + path + " HTTP/1.1\r\nHost: " + host
                + "\r\nAccept: application/json\r\nAccept-Language: zh-CN\r\nX-Forwarded-For: ");
    }

    /** The CSRF token the requests with a body carry, as header and cookie, from now on. */
    void token(String csrf) {
        tokenHeaders = ascii("\r\nX-XSRF-TOKEN: " + csrf + "\r\nCookie: XSRF-TOKEN=" + csrf + "\r\n\r\n");
    }

    byte[] buffer() {
        return buffer;
    }

    int length() {
        return length;
    }

    /** GET /api/auth/csrf. */
    void csrf(String clientIp) {
        length = 0;
        put(csrfHead);
        putAscii(clientIp);
        put(END);
    }

    /** POST /api/ca/challenges for a login at the benchmark's provider. */
    void challenge(String clientIp) {
        json(challengeHead, clientIp, challengeBody.length);
        put(challengeBody);
    }

    /**
     * POST /api/ca/login: the challenge id (json[idFrom, idTo) of the challenge's answer), the assertion's
     * other fields (the user's, prepared), the signature in base64.
     */
    void login(String clientIp, byte[] json, int idFrom, int idTo, byte[] fields, byte[] signature) {
        int signatureLength = base64.encode(signature, signature64);
        int body = CHALLENGE_ID.length
                + (idTo - idFrom)
                + 2
                + fields.length
                + SIGNATURE.length
                + signatureLength
                + BODY_END.length;
        json(loginHead, clientIp, body);
        put(CHALLENGE_ID);
        put(json, idFrom, idTo - idFrom);
        ensure(2);
        buffer[length++] = '"';
        buffer[length++] = ',';
        put(fields);
        put(SIGNATURE);
        put(signature64, 0, signatureLength);
        put(BODY_END);
    }

    private void json(byte[] head, String clientIp, int bodyLength) {
        length = 0;
        put(head);
        putAscii(clientIp);
        put(JSON_HEADERS);
        putAscii(Integer.toString(bodyLength));
        put(tokenHeaders);
    }

    private void put(byte[] bytes) {
        put(bytes, 0, bytes.length);
    }

    private void put(byte[] bytes, int from, int n) {
        ensure(n);
        System.arraycopy(bytes, from, buffer, length, n);
        length += n;
    }

    private void putAscii(String text) {
        ensure(text.length());
        for (int i = 0; i < text.length(); i++) {
            buffer[length++] = (byte) text.charAt(i);
        }
    }

    private void ensure(int n) {
        if (buffer.length - length < n) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + n));
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
