package org.cagate.bench.login;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One kept-alive HTTP/1.1 connection on a blocking socket, as cheap as a client can be: requests are
 * written as prepared bytes in one write, answers read by {@link HttpAnswerReader} from a buffer of its
 * own. When the server closes the connection ({@code Connection: close}, or Tomcat after
 * {@code max-keep-alive-requests}) the next request opens a new one. Not thread-safe: one per
 * load-generating thread.
 */
final class HttpConnection implements Closeable {

    /**
     * What the generator needs of an answer: status, the Set-Cookie headers, the body (decoded from chunks
     * when it came in chunks), the content type, and whether the server closes the connection after it.
     */
    record Response(int status, List<String> setCookies, byte[] body, String contentType, boolean closes) {

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The value of a cookie this answer sets, or null. */
        String cookie(String name) {
            for (String header : setCookies) {
                if (header.length() > name.length() && header.charAt(name.length()) == '=' && header.startsWith(name)) {
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
    private HttpAnswerReader reader;
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
     * when there is one ({@code session} may be null). The load's own requests are put together by
     * {@link LoginRequests} from bytes prepared once; this is for the rest.
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
        return send(request, request.length);
    }

    /** Sends the first {@code length} bytes of {@code request} and reads the answer. */
    Response send(byte[] request, int length) throws IOException {
        if (socket == null) {
            connect();
        }
        try {
            out.write(request, 0, length);
            Response answer = reader.next();
            if (answer.closes()) {
                close();
            }
            return answer;
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
        // The socket's own streams, unbuffered: a request is one write, an answer is read into the reader's buffer.
        out = s.getOutputStream();
        reader = new HttpAnswerReader(s.getInputStream());
        opened++;
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
            reader = null;
        }
    }
}
