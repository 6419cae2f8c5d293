package org.cagate.bench.login;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One kept-alive HTTP/1.1 connection on a blocking socket, as cheap as a client can be: requests are
 * written as prepared bytes, answers read by Content-Length or chunks, nothing else. When the server
 * closes the connection (Tomcat does after {@code max-keep-alive-requests}) the next request opens a new
 * one. Not thread-safe: one per load-generating thread.
 */
final class HttpConnection implements Closeable {

    /** What the generator needs of an answer. */
    record Response(int status, List<String> setCookies, byte[] body, String contentType) {

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The value of a cookie this answer sets, or null. */
        String cookie(String name) {
            for (String header : setCookies) {
                if (header.startsWith(name + "=")) {
                    int end = header.indexOf(';');
                    return header.substring(name.length() + 1, end < 0 ? header.length() : end);
                }
            }
            return null;
        }
    }

    private static final int TIMEOUT_MILLIS = 30_000;

    private final InetSocketAddress address;
    private Socket socket;
    private OutputStream out;
    private InputStream in;
    private int opened;

    HttpConnection(InetSocketAddress address) {
        this.address = address;
    }

    /** Connections opened so far (the first and every reconnect). */
    int opened() {
        return opened;
    }

    /**
     * One request as the page sends it behind a load balancer: the client's address in X-Forwarded-For and,
     * with a JSON body, the platform's Origin, the CSRF token as header and cookie, and the session cookie
     * when there is one ({@code session} may be null).
     */
    static byte[] request(
            String method, String path, String host, String clientIp, String csrf, String session, String json) {
        byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(512)
                .append(method)
                .append(' ')
                .append(path)
                .append(" HTTP/1.1\r\nHost: ")
                .append(host)
                .append("\r\nAccept: application/json\r\nAccept-Language: zh-CN\r\nX-Forwarded-For: ")
                .append(clientIp)
                .append("\r\n");
        if (json != null) {
            head.append("Origin: ")
                    .append(BenchServer.PUBLIC_ORIGIN)
                    .append("\r\nContent-Type: application/json\r\nContent-Length: ")
                    .append(body.length)
                    .append("\r\nX-XSRF-TOKEN: ")
                    .append(csrf)
                    .append("\r\nCookie: XSRF-TOKEN=")
                    .append(csrf)
                    .append(session == null ? "" : "; SESSION=" + session)
                    .append("\r\n");
        }
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] request = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, request, 0, headBytes.length);
        System.arraycopy(body, 0, request, headBytes.length, body.length);
        return request;
    }

    Response send(byte[] request) throws IOException {
        if (socket == null) {
            connect();
        }
        try {
            out.write(request);
            out.flush();
            return read();
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    private void connect() throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.setSoTimeout(TIMEOUT_MILLIS);
        s.connect(address, TIMEOUT_MILLIS);
        socket = s;
        out = s.getOutputStream();
        in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
        opened++;
    }

    private Response read() throws IOException {
        String statusLine = line();
        if (!statusLine.startsWith("HTTP/1.1 ") || statusLine.length() < 12) {
            throw new IOException("not an HTTP/1.1 answer: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        int length = -1;
        boolean chunked = false;
        boolean close = false;
        List<String> cookies = new ArrayList<>(2);
        String contentType = null;
        for (String header = line(); !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = header.substring(0, colon).toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Integer.parseInt(value);
                case "transfer-encoding" ->
                    chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> close = value.equalsIgnoreCase("close");
                case "set-cookie" -> cookies.add(value);
                case "content-type" -> contentType = value;
                default -> {}
            }
        }
        byte[] body = chunked ? chunks() : length >= 0 ? in.readNBytes(length) : new byte[0];
        if (length >= 0 && body.length != length) {
            throw new IOException("connection closed in the middle of an answer");
        }
        if (close) {
            close();
        }
        return new Response(status, cookies, body, contentType);
    }

    private byte[] chunks() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line();
            int semicolon = size.indexOf(';');
            int n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
            if (n == 0) {
                while (!line().isEmpty()) {
                    // trailers: none expected, skipped
                }
                return body.toByteArray();
            }
            byte[] chunk = in.readNBytes(n);
            if (chunk.length != n) {
                throw new IOException("connection closed in the middle of a chunk");
            }
            body.write(chunk);
            line();
        }
    }

    /** One header line in ISO-8859-1 (as HTTP/1.1 headers are), without its CRLF. */
    private String line() throws IOException {
        StringBuilder line = new StringBuilder(64);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed by the server");
            }
            if (b == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            line.append((char) b);
        }
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing left to do with a connection that is gone
            }
            socket = null;
        }
    }
}
