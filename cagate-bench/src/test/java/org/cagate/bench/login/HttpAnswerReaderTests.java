package org.cagate.bench.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HttpAnswerReaderTests {

    private static final String LOGIN = "HTTP/1.1 200 \r\n"
            + "Vary: Origin\r\n"
            + "X-Content-Type-Options: nosniff\r\n"
            + "Set-Cookie: XSRF-TOKEN=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:10 GMT; Path=/\r\n"
            + "Set-Cookie: SESSION=ZjM2YjY0; Path=/; Secure; HttpOnly; SameSite=Lax\r\n"
            + "Content-Type: application/json\r\n"
            + "Content-Length: 41\r\n"
            + "Keep-Alive: timeout=60\r\n"
            + "Connection: keep-alive\r\n"
            + "\r\n"
            + "{\"account\":\"bench-000001\",\"redirect\":\"/\"}";

    @Test
    void nextWhenContentLengthThenBodyStatusTypeAndEveryCookie() throws IOException {
        HttpConnection.Response answer = reader(LOGIN).next();

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.text()).isEqualTo("{\"account\":\"bench-000001\",\"redirect\":\"/\"}");
        assertThat(answer.contentType()).isEqualTo("application/json");
        assertThat(answer.setCookies()).hasSize(2);
        assertThat(answer.cookie("SESSION")).isEqualTo("ZjM2YjY0");
        assertThat(answer.cookie("XSRF-TOKEN")).isEmpty();
        assertThat(answer.cookie("SESS")).isNull();
        assertThat(answer.closes()).isFalse();
    }

    @Test
    void nextWhenChunkedWithExtensionAndTrailerThenChunksJoined() throws IOException {
        String chunked = "HTTP/1.1 201 \r\ntransfer-encoding: Chunked\r\nContent-Type: application/json\r\n\r\n"
                + "7;name=value\r\n{\"id\":\"\r\n"
                + "D\r\nabc\",\"x\":\"y\"}\r\n"
                + "0\r\nX-Trailer: skipped\r\n\r\n";

        HttpAnswerReader reader = reader(chunked + LOGIN);
        HttpConnection.Response answer = reader.next();

        assertThat(answer.status()).isEqualTo(201);
        assertThat(answer.text()).isEqualTo("{\"id\":\"abc\",\"x\":\"y\"}");
        assertThat(reader.next().cookie("SESSION"))
                .as("the next answer after the chunks")
                .isEqualTo("ZjM2YjY0");
    }

    @Test
    void nextWhenConnectionCloseInAnyCaseThenCloses() throws IOException {
        HttpConnection.Response answer = reader("HTTP/1.1 429 \r\nCONNECTION:  Close \r\ncontent-length: 2\r\n\r\n{}")
                .next();

        assertThat(answer.status()).isEqualTo(429);
        assertThat(answer.text()).isEqualTo("{}");
        assertThat(answer.closes()).isTrue();
    }

    @Test
    void nextWhenNeitherLengthNorChunksThenBodyToTheEndAndCloses() throws IOException {
        HttpConnection.Response answer =
                reader("HTTP/1.1 200 OK\r\n\r\n{\"a\":\"b\"}").next();

        assertThat(answer.text()).isEqualTo("{\"a\":\"b\"}");
        assertThat(answer.closes()).isTrue();
    }

    @Test
    void nextWhenNoContentThenEmptyBodyAndTheNextAnswerFollows() throws IOException {
        HttpAnswerReader reader = reader("HTTP/1.1 204 \r\nVary: Origin\r\n\r\n" + LOGIN);

        assertThat(reader.next().body()).isEmpty();
        assertThat(reader.next().status()).isEqualTo(200);
    }

    @Test
    void nextWhenAnswersArriveOneByteAtATimeThenSameAnswers() throws IOException {
        String chunked = "HTTP/1.1 201 \r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
        HttpAnswerReader reader = new HttpAnswerReader(trickle(chunked + LOGIN + LOGIN));

        assertThat(reader.next().text()).isEqualTo("abc");
        assertThat(reader.next().cookie("SESSION")).isEqualTo("ZjM2YjY0");
        assertThat(reader.next().text()).endsWith("\"redirect\":\"/\"}");
    }

    @Test
    void nextWhenManyAnswersThenTheBufferIsReusedWithoutLoss() throws IOException {
        HttpAnswerReader reader = reader(LOGIN.repeat(200)); // over the 16 KiB buffer many times

        for (int i = 0; i < 200; i++) {
            assertThat(reader.next().cookie("SESSION")).isEqualTo("ZjM2YjY0");
        }
    }

    @Test
    void nextWhenNotHttp11ThenRefused() {
        assertThatThrownBy(() -> reader("HTTP/1.0 200 OK\r\n\r\n").next()).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> reader("SSH-2.0-OpenSSH\r\n\r\n").next()).isInstanceOf(IOException.class);
    }

    @Test
    void nextWhenClosedInTheMiddleThenRefused() {
        assertThatThrownBy(() ->
                        reader("HTTP/1.1 200 \r\nContent-Length: 10\r\n\r\n{}").next())
                .isInstanceOf(IOException.class)
                .hasMessageContaining("middle");
        assertThatThrownBy(() -> reader("HTTP/1.1 200 \r\nContent-Len").next())
                .isInstanceOf(IOException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> reader("HTTP/1.1 200 \r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcdefg\r\n")
                        .next())
                .isInstanceOf(IOException.class);
    }

    @Test
    void nextWhenContentLengthNotANumberThenRefused() {
        assertThatThrownBy(() ->
                        reader("HTTP/1.1 200 \r\nContent-Length: 1x\r\n\r\n{}").next())
                .isInstanceOf(IOException.class);
    }

    private static HttpAnswerReader reader(String bytes) {
        return new HttpAnswerReader(new ByteArrayInputStream(bytes.getBytes(StandardCharsets.ISO_8859_1)));
    }

    /** A stream that gives one byte per read, as a slow socket may. */
    private static InputStream trickle(String bytes) {
        return new ByteArrayInputStream(bytes.getBytes(StandardCharsets.ISO_8859_1)) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1));
            }
        };
    }
}
