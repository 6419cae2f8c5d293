package org.cagate.bench.login;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads HTTP/1.1 answers from a stream into a buffer of its own and parses them there: the status, and of
 * the headers only Content-Length, Transfer-Encoding, Connection, Set-Cookie and Content-Type (the other
 * headers are skipped without a string made of them); the body by Content-Length, by chunks, or up to the
 * end of the stream when the answer has neither (then the connection closes). An answer's bytes beyond
 * its end stay in the buffer for the next one. Not thread-safe.
 */
final class HttpAnswerReader {

    private static final int BUFFER = 16 * 1024;
    private static final byte[] CONTENT_LENGTH = ascii("content-length");
    private static final byte[] TRANSFER_ENCODING = ascii("transfer-encoding");
    private static final byte[] CONNECTION = ascii("connection");
    private static final byte[] SET_COOKIE = ascii("set-cookie");
    private static final byte[] CONTENT_TYPE = ascii("content-type");
    private static final byte[] CHUNKED = ascii("chunked");
    private static final byte[] CLOSE = ascii("close");

    private final InputStream in;
    private final byte[] buffer = new byte[BUFFER];
    /** The unread bytes are buffer[position, limit). */
    private int position;

    private int limit;

    HttpAnswerReader(InputStream in) {
        this.in = in;
    }

    HttpConnection.Response next() throws IOException {
        int line = lineEnd();
        if (contentEnd(line) - position < 12 || !startsWith(position, "HTTP/1.1 ") || !digits(position + 9, 3)) {
            throw new IOException("not an HTTP/1.1 answer: "
                    + new String(buffer, position, Math.min(line - position, 40), StandardCharsets.ISO_8859_1));
        }
        int status =
                (buffer[position + 9] - '0') * 100 + (buffer[position + 10] - '0') * 10 + buffer[position + 11] - '0';
        position = afterLine(line);
        long length = -1;
        boolean chunked = false;
        boolean close = false;
        List<String> cookies = new ArrayList<>(2);
        String contentType = null;
        for (line = lineEnd(); contentEnd(line) > position; line = lineEnd()) {
            int colon = indexOf((byte) ':', position, line);
            if (colon > position) {
                int from = skipSpaces(colon + 1, line);
                int to = trimEnd(from, line);
                if (nameIs(CONTENT_LENGTH, colon)) {
                    length = number(from, to);
                } else if (nameIs(TRANSFER_ENCODING, colon)) {
                    chunked = contains(CHUNKED, from, to);
                } else if (nameIs(CONNECTION, colon)) {
                    close = contains(CLOSE, from, to);
                } else if (nameIs(SET_COOKIE, colon)) {
                    cookies.add(new String(buffer, from, to - from, StandardCharsets.ISO_8859_1));
                } else if (nameIs(CONTENT_TYPE, colon)) {
                    contentType = new String(buffer, from, to - from, StandardCharsets.ISO_8859_1);
                }
            }
            position = afterLine(line);
        }
        position = afterLine(line); // the empty line that ends the head
        byte[] body;
        if (status / 100 == 1 || status == 204 || status == 304) {
            body = new byte[0];
        } else if (chunked) {
            body = chunks();
        } else if (length >= 0) {
            if (length > Integer.MAX_VALUE - 8) {
                throw new IOException("an answer of " + length + " bytes");
            }
            body = bytes((int) length);
        } else {
            body = toEnd();
            close = true;
        }
        return new HttpConnection.Response(status, cookies, body, contentType, close);
    }

    private byte[] chunks() throws IOException {
        byte[] body = new byte[256];
        int size = 0;
        while (true) {
            int line = lineEnd();
            int semicolon = indexOf((byte) ';', position, line);
            int n = hex(position, trimEnd(position, semicolon < 0 ? line : semicolon));
            position = afterLine(line);
            if (n == 0) {
                for (line = lineEnd(); contentEnd(line) > position; line = lineEnd()) {
                    position = afterLine(line); // trailers: none expected, skipped
                }
                position = afterLine(line);
                return Arrays.copyOf(body, size);
            }
            if (body.length - size < n) {
                body = Arrays.copyOf(body, Math.max(body.length * 2, size + n));
            }
            read(body, size, n);
            size += n;
            line = lineEnd();
            if (contentEnd(line) != position) {
                throw new IOException("a chunk longer than its size");
            }
            position = afterLine(line);
        }
    }

    private byte[] bytes(int n) throws IOException {
        byte[] body = new byte[n];
        read(body, 0, n);
        return body;
    }

    /** n bytes into target: first what the buffer holds, the rest straight from the stream. */
    private void read(byte[] target, int offset, int n) throws IOException {
        int buffered = Math.min(n, limit - position);
        System.arraycopy(buffer, position, target, offset, buffered);
        position += buffered;
        for (int done = buffered; done < n; ) {
            int got = in.read(target, offset + done, n - done);
            if (got < 0) {
                throw new IOException("connection closed in the middle of an answer");
            }
            done += got;
        }
    }

    private byte[] toEnd() throws IOException {
        byte[] rest = Arrays.copyOfRange(buffer, position, limit);
        position = limit;
        return concat(rest, in.readAllBytes());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** The index of the LF that ends the line at position, reading more when it is not buffered yet. */
    private int lineEnd() throws IOException {
        int scanned = position;
        while (true) {
            int lf = indexOf((byte) '\n', scanned, limit);
            if (lf >= 0) {
                return lf;
            }
            scanned = limit;
            if (position > 0) { // room for more: move the unread bytes to the front
                System.arraycopy(buffer, position, buffer, 0, limit - position);
                scanned -= position;
                limit -= position;
                position = 0;
            }
            if (limit == buffer.length) {
                throw new IOException("a header line over " + BUFFER + " bytes");
            }
            int got = in.read(buffer, limit, buffer.length - limit);
            if (got < 0) {
                throw new IOException("connection closed by the server");
            }
            limit += got;
        }
    }

    /** Where the next line starts. */
    private static int afterLine(int lf) {
        return lf + 1;
    }

    /** The end of the line's content: its LF, or the CR before it. */
    private int contentEnd(int lf) {
        return lf > position && buffer[lf - 1] == '\r' ? lf - 1 : lf;
    }

    private int trimEnd(int from, int to) {
        while (to > from && (buffer[to - 1] == '\r' || buffer[to - 1] == ' ' || buffer[to - 1] == '\t')) {
            to--;
        }
        return to;
    }

    private int skipSpaces(int from, int to) {
        while (from < to && (buffer[from] == ' ' || buffer[from] == '\t')) {
            from++;
        }
        return from;
    }

    private int indexOf(byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buffer[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** Whether the header name at position (up to the colon) is {@code lowerName}, in any case. */
    private boolean nameIs(byte[] lowerName, int colon) {
        if (colon - position != lowerName.length) {
            return false;
        }
        for (int i = 0; i < lowerName.length; i++) {
            if ((buffer[position + i] | 0x20) != lowerName[i]) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code lowerWord} occurs in buffer[from, to), in any case. */
    private boolean contains(byte[] lowerWord, int from, int to) {
        for (int at = from; at + lowerWord.length <= to; at++) {
            int i = 0;
            while (i < lowerWord.length && (buffer[at + i] | 0x20) == lowerWord[i]) {
                i++;
            }
            if (i == lowerWord.length) {
                return true;
            }
        }
        return false;
    }

    private boolean startsWith(int at, String prefix) {
        for (int i = 0; i < prefix.length(); i++) {
            if (buffer[at + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private boolean digits(int at, int n) {
        for (int i = at; i < at + n; i++) {
            if (buffer[i] < '0' || buffer[i] > '9') {
                return false;
            }
        }
        return true;
    }

    private long number(int from, int to) throws IOException {
        if (from == to || to - from > 18 || !digits(from, to - from)) {
            throw new IOException("a Content-Length that is not a number");
        }
        long n = 0;
        for (int i = from; i < to; i++) {
            n = n * 10 + buffer[i] - '0';
        }
        return n;
    }

    private int hex(int from, int to) throws IOException {
        if (from == to || to - from > 7) {
            throw new IOException("a chunk size that is not a hex number under 2^28");
        }
        int n = 0;
        for (int i = from; i < to; i++) {
            int digit = Character.digit(buffer[i], 16);
            if (digit < 0) {
                throw new IOException("a chunk size that is not a hex number");
            }
            n = n * 16 + digit;
        }
        return n;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
