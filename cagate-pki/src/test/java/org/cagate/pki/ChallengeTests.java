package org.cagate.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChallengeTests {

    private static final byte[] NONCE = new byte[32];

    static {
        Arrays.fill(NONCE, (byte) 0xA5);
    }

    private final Challenge challenge = new Challenge(
            Challenge.Purpose.LOGIN,
            "https://platform.example.gov.cn",
            "ZJHX",
            NONCE,
            Instant.parse("2026-11-28T10:00:00Z"));

    @Test
    void toBytesWhenBuiltThenMatchesTheWireContractExactly() {
        assertThat(new String(challenge.toBytes(), StandardCharsets.UTF_8))
                .isEqualTo("CAGATE-CHALLENGE-V1\n"
                        + "purpose=LOGIN\n"
                        + "origin=https://platform.example.gov.cn\n"
                        + "provider=ZJHX\n"
                        + "nonce=paWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaU\n"
                        + "issued-at=2026-11-28T10:00:00Z");
    }

    @Test
    void parseWhenBytesCameFromToBytesThenSameChallenge() throws PkiException {
        assertThat(Challenge.parse(challenge.toBytes())).isEqualTo(challenge);
    }

    @Test
    void parseWhenPortInOriginThenKept() throws PkiException {
        Challenge local = new Challenge(Challenge.Purpose.BIND, "http://localhost:8080", "SCCA", NONCE, Instant.EPOCH);
        assertThat(Challenge.parse(local.toBytes()).origin()).isEqualTo("http://localhost:8080");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "hello",
                "CAGATE-CHALLENGE-V2\npurpose=LOGIN\norigin=https://a.cn\nprovider=ZJHX\nnonce=paWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaU\nissued-at=2026-11-28T10:00:00Z",
                "CAGATE-CHALLENGE-V1\npurpose=LOGIN\norigin=https://a.cn\nprovider=ZJHX\nnonce=paWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaU\nissued-at=2026-11-28T10:00:00Z\n",
                "CAGATE-CHALLENGE-V1\r\npurpose=LOGIN\r\norigin=https://a.cn\r\nprovider=ZJHX\r\nnonce=paWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaU\r\nissued-at=2026-11-28T10:00:00Z",
                "CAGATE-CHALLENGE-V1\npurpose=PAY\norigin=https://a.cn\nprovider=ZJHX\nnonce=paWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaU\nissued-at=2026-11-28T10:00:00Z",
                "CAGATE-CHALLENGE-V1\norigin=https://a.cn\npurpose=LOGIN\nprovider=ZJHX\nnonce=paWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaU\nissued-at=2026-11-28T10:00:00Z",
                "CAGATE-CHALLENGE-V1\npurpose=LOGIN\norigin=https://a.cn/path\nprovider=ZJHX\nnonce=paWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaU\nissued-at=2026-11-28T10:00:00Z",
                "CAGATE-CHALLENGE-V1\npurpose=LOGIN\norigin=https://a.cn\nprovider=zjhx\nnonce=paWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaU\nissued-at=2026-11-28T10:00:00Z",
                "CAGATE-CHALLENGE-V1\npurpose=LOGIN\norigin=https://a.cn\nprovider=ZJHX\nnonce=paWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpa\nissued-at=2026-11-28T10:00:00Z",
                "CAGATE-CHALLENGE-V1\npurpose=LOGIN\norigin=https://a.cn\nprovider=ZJHX\nnonce=paWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaV\nissued-at=2026-11-28T10:00:00Z",
                "CAGATE-CHALLENGE-V1\npurpose=LOGIN\norigin=https://a.cn\nprovider=ZJHX\nnonce=paWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaU\nissued-at=2026-11-28T10:00:00.000Z",
                "CAGATE-CHALLENGE-V1\npurpose=LOGIN\norigin=https://a.cn\nprovider=ZJHX\nnonce=paWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaU\nissued-at=2026-13-28T10:00:00Z",
                "CAGATE-CHALLENGE-V1\npurpose=LOGIN\norigin=https://a.cn\nprovider=ZJHX\nnonce=paWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaU\nissued-at=2026-11-28T10:00:00Z\nextra=1",
            })
    void parseWhenNotExactlyAChallengeThenMalformed(String text) {
        assertThatThrownBy(() -> Challenge.parse(text.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(
                        PkiException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CHALLENGE_MALFORMED));
    }

    @Test
    void parseWhenNotUtf8ThenMalformed() {
        byte[] bytes = challenge.toBytes();
        bytes[bytes.length - 1] = (byte) 0xFF;
        assertThatThrownBy(() -> Challenge.parse(bytes)).isInstanceOf(PkiException.class);
    }

    @Test
    void parseWhenHugeThenMalformedWithoutReadingIt() {
        assertThatThrownBy(() -> Challenge.parse(new byte[10_000_000])).isInstanceOf(PkiException.class);
    }

    @Test
    void looksLikeChallengeWhenOtherBytesThenFalse() {
        assertThat(Challenge.looksLikeChallenge(challenge.toBytes())).isTrue();
        assertThat(Challenge.looksLikeChallenge("GET / HTTP/1.1".getBytes(StandardCharsets.US_ASCII)))
                .isFalse();
    }
}
