package org.cagate.server.challenge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.cagate.pki.Challenge;
import org.cagate.server.caprovider.CaTestKit;
import org.cagate.server.testing.ApiClient;
import org.cagate.server.testing.CagateServerTest;
import org.cagate.server.testing.Fixtures;
import org.cagate.server.testing.TestClock;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The sealed challenge id ({@link ChallengeSeal}): it opens to exactly what was issued, and anything else
 * (a changed byte in any field or in the MAC, a cut, another version, an unknown key, a MAC made with another
 * key, a non-canonical spelling) opens to nothing, which the API answers CHALLENGE_UNKNOWN, never a 500.
 */
@CagateServerTest
class ChallengeSealTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    TestClock clock;

    @Autowired
    ChallengeSeal seal;

    @Autowired
    ChallengeKeys keys;

    @Autowired
    ChallengeService challenges;

    private String provider() {
        CaTestKit kit = new CaTestKit(port, clock, fixtures);
        return kit.provider(kit.ca(), fixtures.region(true));
    }

    private static byte[] decode(String id) {
        return Base64.getUrlDecoder().decode(id);
    }

    private static String encode(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The bytes with the MAC made again over the changed fields, with the secret given. */
    private static byte[] resealed(byte[] bytes, byte[] secret) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        int signed = bytes.length - ChallengeSeal.MAC_BYTES;
        mac.update(bytes, 0, signed);
        byte[] out = bytes.clone();
        System.arraycopy(mac.doFinal(), 0, out, signed, ChallengeSeal.MAC_BYTES);
        return out;
    }

    @Test
    void openWhenIssuedThenEveryFieldAsIssued() {
        String provider = provider();
        ApiClient.Response issued = CaTestKit.challenge(ApiClient.on(port), "LOGIN", provider);
        String id = issued.json().path("id").asString();
        byte[] toBeSigned =
                Base64.getDecoder().decode(issued.json().path("toBeSigned").asString());

        SealedChallenge opened = seal.open(id).orElseThrow();

        assertThat(opened.id()).isEqualTo(id);
        assertThat(opened.purpose()).isEqualTo(Challenge.Purpose.LOGIN);
        assertThat(opened.providerCode()).isEqualTo(provider);
        assertThat(opened.accountId()).isNull();
        assertThat(opened.origin()).isEqualTo("https://platform.example.gov.cn");
        assertThat(opened.bytes()).isEqualTo(toBeSigned);
        assertThat(decode(id)).hasSize(76 - 1 + provider.length());
    }

    @Test
    void openWhenAnyByteChangedThenNothing() {
        String provider = provider();
        Fixtures.TestAccount user = fixtures.user(fixtures.organization());
        ApiClient signedIn = ApiClient.on(port).login(user.loginName(), user.password());
        for (String purpose : List.of("LOGIN", "BIND")) {
            String id = CaTestKit.challenge(purpose.equals("BIND") ? signedIn : ApiClient.on(port), purpose, provider)
                    .json()
                    .path("id")
                    .asString();
            byte[] bytes = decode(id);
            assertThat(seal.open(id)).isPresent();
            List<Integer> opened = new ArrayList<>();
            // Version, key id, purpose, issued-at, ttl, account, provider length and code, nonce, origin hash, MAC.
            for (int i = 0; i < bytes.length; i++) {
                for (int bit = 0; bit < 8; bit++) {
                    byte[] changed = bytes.clone();
                    changed[i] ^= (byte) (1 << bit);
                    if (seal.open(encode(changed)).isPresent()) {
                        opened.add(i);
                    }
                }
            }
            assertThat(opened).as(purpose).isEmpty();
        }
    }

    @Test
    void openWhenCutOrLengthenedOrMisspelledThenNothing() {
        String id = CaTestKit.challenge(ApiClient.on(port), "LOGIN", provider())
                .json()
                .path("id")
                .asString();
        byte[] bytes = decode(id);
        List<String> bad = new ArrayList<>();
        for (int cut = 1; cut < bytes.length; cut++) {
            bad.add(encode(Arrays.copyOf(bytes, bytes.length - cut)));
        }
        bad.add(encode(Arrays.copyOf(bytes, bytes.length + 1)));
        bad.add(id.substring(0, id.length() - 1));
        bad.add(id + "A");
        bad.add(id + "=");
        bad.add(id.replace('A', '+'));
        bad.add(" " + id);
        bad.add("");
        bad.add(null);
        bad.add("AAAAAAAAAAAAAAAAAAAAAA");
        bad.add("A".repeat(150));
        bad.add("_".repeat(154));
        // The last character's unused bits set: decodes to the same bytes, but is not our spelling.
        char last = id.charAt(id.length() - 1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (int k = 1; k < 16; k++) {
            String other = id.substring(0, id.length() - 1) + alphabet.charAt(alphabet.indexOf(last) ^ k);
            if (Arrays.equals(decode(other), bytes)) {
                bad.add(other);
            }
        }

        assertThat(bad)
                .allSatisfy(other -> assertThat(seal.open(other)).as(other).isEmpty());
    }

    @Test
    void openWhenVersionKeyOrMacKeyNotOursThenNothingEvenWithAValidMac() throws Exception {
        String id = CaTestKit.challenge(ApiClient.on(port), "LOGIN", provider())
                .json()
                .path("id")
                .asString();
        byte[] bytes = decode(id);
        int keyId = ByteBuffer.wrap(bytes, 1, 4).getInt();
        byte[] secret = keys.find(keyId).orElseThrow().secret();

        byte[] version = bytes.clone();
        version[0] = 2;
        byte[] unknownKey = bytes.clone();
        ByteBuffer.wrap(unknownKey).putInt(1, keyId + 1000);
        byte[] anotherSecret = secret.clone();
        anotherSecret[0] ^= 1;

        assertThat(seal.open(encode(resealed(bytes, secret))))
                .as("resealed as issued")
                .isPresent();
        assertThat(seal.open(encode(resealed(version, secret)))).as("version 2").isEmpty();
        assertThat(seal.open(encode(resealed(unknownKey, secret))))
                .as("unknown key id")
                .isEmpty();
        assertThat(seal.open(encode(resealed(bytes, anotherSecret))))
                .as("another key's MAC")
                .isEmpty();
    }

    @Test
    void openWhenSealedForAnotherOriginThenOpensAsNotOursAndLoginSaysOriginMismatch() throws Exception {
        String provider = provider();
        String id = CaTestKit.challenge(ApiClient.on(port), "LOGIN", provider)
                .json()
                .path("id")
                .asString();
        byte[] bytes = decode(id);
        int hashAt = bytes.length - ChallengeSeal.MAC_BYTES - ChallengeSeal.ORIGIN_HASH_BYTES;
        byte[] other = ChallengeSeal.originHash("https://zcygov.example.com");
        System.arraycopy(other, 0, bytes, hashAt, other.length);
        int keyId = ByteBuffer.wrap(bytes, 1, 4).getInt();
        String foreign = encode(resealed(bytes, keys.find(keyId).orElseThrow().secret()));

        SealedChallenge opened = seal.open(foreign).orElseThrow();
        ApiClient browser = ApiClient.on(port);
        ApiClient.Response login = browser.post("/api/ca/login", signedLike(foreign));

        assertThat(opened.ourOrigin()).isFalse();
        assertThat(MessageDigest.isEqual(ChallengeSeal.originHash("https://platform.example.gov.cn"), other))
                .isFalse();
        assertThat(login.code()).isEqualTo("ORIGIN_MISMATCH");
        assertThat(browser.post("/api/ca/login", signedLike(foreign)).code()).isEqualTo("CHALLENGE_USED");
    }

    @Test
    void loginWhenIdMalformedThenChallengeUnknownNeverAServerError() {
        String id = CaTestKit.challenge(ApiClient.on(port), "LOGIN", provider())
                .json()
                .path("id")
                .asString();
        byte[] bytes = decode(id);
        bytes[bytes.length - 1] ^= 1;
        List<String> ids = List.of(
                encode(bytes),
                id.substring(0, id.length() - 10),
                "AAAAAAAAAAAAAAAAAAAAAA",
                "A".repeat(154),
                "-".repeat(110),
                "日本語のチャレンジ",
                "x".repeat(160));
        List<String> codes = new ArrayList<>();
        for (String bad : ids) {
            codes.add(ApiClient.on(port).post("/api/ca/login", signedLike(bad)).code());
        }

        assertThat(codes).containsOnly("CHALLENGE_UNKNOWN");
    }

    /** A login body whose signature is never looked at: the id decides first. */
    private static Map<String, Object> signedLike(String challengeId) {
        return Map.of(
                "challengeId",
                challengeId,
                "format",
                "RAW",
                "algorithm",
                "SHA256withECDSA",
                "certificate",
                "AAAA",
                "signature",
                "AAAA");
    }
}
