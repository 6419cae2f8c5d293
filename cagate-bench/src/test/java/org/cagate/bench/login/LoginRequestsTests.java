package org.cagate.bench.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class LoginRequestsTests {

    private static final String HOST = "127.0.0.1:8080";
    private static final String IP = "198.18.1.2";
    private static final String CSRF = "5f0c2d7e-7a39-4c8e-9d0a-1b2c3d4e5f60";

    private final LoginRequests requests = new LoginRequests(HOST, "BENCH");

    @Test
    void csrfWhenPreparedThenTheBytesHttpConnectionWrites() {
        requests.csrf(IP);

        assertThat(written()).isEqualTo(HttpConnection.request("GET", "/api/auth/csrf", HOST, IP, null, null, null));
    }

    @Test
    void challengeWhenTokenSetThenTheBytesHttpConnectionWrites() {
        requests.token(CSRF);
        requests.challenge(IP);

        assertThat(written())
                .isEqualTo(HttpConnection.request(
                        "POST",
                        "/api/ca/challenges",
                        HOST,
                        IP,
                        CSRF,
                        null,
                        "{\"purpose\":\"LOGIN\",\"provider\":\"BENCH\"}"));
    }

    @Test
    void loginWhenChallengeAnswerThenItsIdTheFieldsAndTheSignatureInBase64() {
        byte[] answer = "{\"id\":\"Qm9vZ2ll-0123\",\"toBeSigned\":\"AAEC\"}".getBytes(StandardCharsets.UTF_8);
        String fields = "\"format\":\"RAW\",\"certificate\":\"MIIB\",\"chain\":[],\"tokenSerial\":\"3304甲SE\"";
        byte[] signature = new byte[71];
        Arrays.fill(signature, (byte) 0xA5);
        requests.token(CSRF);

        for (int round = 0; round < 2; round++) { // the buffer is reused
            int id = Json.valueStart(answer, Json.key("id"));
            requests.login(
                    IP, answer, id, Json.valueEnd(answer, id), fields.getBytes(StandardCharsets.UTF_8), signature);

            assertThat(written())
                    .isEqualTo(HttpConnection.request(
                            "POST",
                            "/api/ca/login",
                            HOST,
                            IP,
                            CSRF,
                            null,
                            "{\"challengeId\":\"Qm9vZ2ll-0123\"," + fields + ",\"signature\":\""
                                    + Base64.getEncoder().encodeToString(signature) + "\"}"));
        }
    }

    private byte[] written() {
        return Arrays.copyOf(requests.buffer(), requests.length());
    }
}
