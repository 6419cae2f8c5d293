package org.cagate.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.cagate.pki.sign.SignatureFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SignRequestTests {

    @Test
    void parseWhenAllFieldsThenPinAsCharsAndClearable() throws Exception {
        SignRequest request = SignRequest.parse(bytes("{\"provider\":\"ZJHX\",\"tokenId\":\"330400007180230S\","
                + "\"certificateId\":\"ab\",\"pin\":\"12\\u00e93456\",\"toBeSigned\":\"aGk=\",\"format\":\"CMS\","
                + "\"future\":{\"nested\":[1,2]}}"));

        assertThat(request.provider).isEqualTo("ZJHX");
        assertThat(request.tokenId).isEqualTo("330400007180230S");
        assertThat(request.certificateId).isEqualTo("ab");
        assertThat(request.pin()).containsExactly('1', '2', 'é', '3', '4', '5', '6');
        assertThat(request.toBeSigned).isEqualTo(bytes("hi"));
        assertThat(request.format).isEqualTo(SignatureFormat.CMS);
        assertThat(request.finalTryConfirmed).as("absent: not confirmed").isFalse();
        request.clearPin();
        assertThat(new String(request.pin())).isEqualTo("\0\0\0\0\0\0\0");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "[]",
                "{\"provider\":\"ZJHX\"",
                "{\"provider\":\"ZJHX\",\"pin\":\"1\",\"toBeSigned\":\"aGk=\",\"format\":\"RAW\"} {}",
                "{\"pin\":\"1\",\"toBeSigned\":\"aGk=\",\"format\":\"RAW\"}",
                "{\"provider\":\"ZJHX\",\"toBeSigned\":\"aGk=\",\"format\":\"RAW\"}",
                "{\"provider\":\"ZJHX\",\"pin\":\"\",\"toBeSigned\":\"aGk=\",\"format\":\"RAW\"}",
                "{\"provider\":\"ZJHX\",\"pin\":[\"1\"],\"toBeSigned\":\"aGk=\",\"format\":\"RAW\"}",
                "{\"provider\":7,\"pin\":\"1\",\"toBeSigned\":\"aGk=\",\"format\":\"RAW\"}",
                "{\"provider\":\"ZJHX\",\"pin\":\"1\",\"toBeSigned\":\"a G k\",\"format\":\"RAW\"}",
                "{\"provider\":\"ZJHX\",\"pin\":\"1\",\"toBeSigned\":\"aGk=\",\"format\":\"raw\"}",
                "{\"provider\":\"ZJHX\",\"pin\":\"1\",\"toBeSigned\":\"aGk=\"}",
                "{\"provider\":\"ZJHX\",\"pin\":\"1\",\"toBeSigned\":\"aGk=\",\"format\":\"RAW\",\"finalTryConfirmed\":\"yes\"}"
            })
    void parseWhenMalformedThenBadRequest(String body) {
        assertThatThrownBy(() -> SignRequest.parse(bytes(body)))
                .isInstanceOfSatisfying(
                        AgentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
    }

    @Test
    void parseWhenFinalTryConfirmedTrueThenConfirmed() throws Exception {
        SignRequest request = SignRequest.parse(bytes("{\"provider\":\"ZJHX\",\"pin\":\"1\",\"toBeSigned\":\"aGk=\","
                + "\"format\":\"RAW\",\"finalTryConfirmed\":true}"));

        assertThat(request.finalTryConfirmed).isTrue();
    }

    @Test
    void parseWhenPinLongerThanAnyKeyAllowsThenBadRequest() {
        String pin = "1".repeat(SignRequest.MAX_PIN_CHARS + 1);

        assertThatThrownBy(() -> SignRequest.parse(bytes(
                        "{\"provider\":\"ZJHX\",\"pin\":\"" + pin + "\",\"toBeSigned\":\"aGk=\",\"format\":\"RAW\"}")))
                .isInstanceOfSatisfying(
                        AgentException.class, e -> assertThat(e.getMessage()).doesNotContain(pin));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
