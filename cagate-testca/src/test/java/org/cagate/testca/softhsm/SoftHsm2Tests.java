package org.cagate.testca.softhsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Map;
import org.cagate.testca.Credential;
import org.cagate.testca.KeyAlgorithm;
import org.cagate.testca.TestCa;
import org.cagate.testca.TestPki;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SoftHsm2Tests {
    private static final String SO_PIN = "87654321";
    private static final String PIN = "123456";
    private static final byte[] DATA = "CAGATE-CHALLENGE-V1\npurpose=LOGIN".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    SoftHsm2 hsm;

    @BeforeEach
    void softHsm() {
        assumeTrue(SoftHsm2.isAvailable(), SoftHsm2.unavailableReason());
        hsm = SoftHsm2.create(dir);
    }

    @Test
    void createWhenFolderGivenThenConfPointsIntoIt() throws Exception {
        assertThat(Files.readString(hsm.conf())).contains("directories.tokendir = " + dir.resolve("tokens"));
        assertThat(hsm.environment()).containsEntry("SOFTHSM2_CONF", hsm.conf().toString());
    }

    @Test
    void initTokenWhenLabelAndPinsThenPkcs11ClientSeesLabelAndSerial() throws Exception {
        SoftHsmToken token = hsm.initToken("ZJHX-KEY", SO_PIN, PIN);

        String listing = ChildProcess.pkcs11Tool(hsm, "--list-token-slots");
        assertThat(token.label()).isEqualTo("ZJHX-KEY");
        assertThat(token.serial()).matches("[0-9a-f]{16}");
        assertThat(listing).contains("ZJHX-KEY").contains(token.serial());
        assertThat(hsm.tokens()).extracting(SoftHsmToken::label).containsExactly("ZJHX-KEY");
    }

    @Test
    void initTokenWhenLabelTakenThenRefused() {
        hsm.initToken("ZJHX-KEY", SO_PIN, PIN);

        assertThatThrownBy(() -> hsm.initToken("ZJHX-KEY", SO_PIN, PIN))
                .isInstanceOf(SoftHsmException.class)
                .hasMessageContaining("already exists");
    }

    @Test
    void initTokenWhenPinTooShortThenRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> hsm.initToken("K", SO_PIN, "12"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("12 ")
                .hasMessageContaining("user PIN");
    }

    @ParameterizedTest
    @EnumSource(
            value = KeyAlgorithm.class,
            names = {"RSA_2048", "EC_P256", "EC_P384"})
    void writeWhenCredentialThenSunPkcs11FindsKeyAndChainAndSigns(KeyAlgorithm algorithm) throws Exception {
        TestCa ca =
                TestPki.provider("ZJHX").algorithm(algorithm).withIntermediate().build();
        Credential xizi = ca.user("西子").organization("培训省西子贸易集团").issue();
        SoftHsmToken token = hsm.initToken("ZJHX-KEY", SO_PIN, PIN);

        String id = token.write(xizi, "西子");
        Map<String, String> probe = probe(token, PIN);

        assertThat(probe).containsEntry("done", "true").containsEntry("chain", "3");
        assertThat(new String(Base64.getDecoder().decode(probe.get("alias")), StandardCharsets.UTF_8))
                .isEqualTo("西子");
        X509Certificate certificate = certificate(probe.get("cert"));
        assertThat(certificate).isEqualTo(xizi.certificate());
        Signature verifier =
                Signature.getInstance(algorithm == KeyAlgorithm.RSA_2048 ? "SHA256withRSA" : "SHA256withECDSA");
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(DATA);
        assertThat(verifier.verify(Base64.getDecoder().decode(probe.get("signature"))))
                .isTrue();
        assertThat(ChildProcess.pkcs11Tool(hsm, "--login", "--pin", PIN, "--list-objects"))
                .contains("ID:         " + id);
    }

    @Test
    void writeWhenSm2ThenRefusedBecauseSoftHsmHasNoSm2() {
        Credential sm2 = TestPki.provider("SM2CA").sm2().build().user("国密").issue();
        SoftHsmToken token = hsm.initToken("SM2-KEY", SO_PIN, PIN);

        assertThatThrownBy(() -> token.write(sm2, "国密"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no SM2");
    }

    @Test
    void writeWhenTokenFoundWithoutPinThenAsksForIt() {
        hsm.initToken("ZJHX-KEY", SO_PIN, PIN);
        SoftHsmToken found = hsm.token("ZJHX-KEY").orElseThrow();
        Credential xizi = TestPki.provider("ZJHX").build().user("西子").issue();

        assertThatThrownBy(() -> found.write(xizi, "西子")).isInstanceOf(IllegalStateException.class);
        assertThat(found.withPin(PIN).write(xizi, "西子")).isNotEmpty();
    }

    @Test
    void probeWhenWrongPinThenLoginFailsAndTokenReportsCountLow() throws Exception {
        SoftHsmToken token = tokenWithKey();

        Map<String, String> probe = probe(token, "000000");

        assertThat(probe).containsKey("error").doesNotContainKey("signature");
        assertThat(token.flags() & SoftHsmToken.CKF_USER_PIN_COUNT_LOW).isNotZero();
    }

    @Test
    void unplugWhenNewProcessLoadsLibraryThenTokenIsGoneUntilPlugged() throws Exception {
        SoftHsmToken token = tokenWithKey();
        String serial = token.serial();

        token.unplug();
        String whileOut = ChildProcess.pkcs11Tool(hsm, "--list-token-slots");
        token.plug();
        String afterReplug = ChildProcess.pkcs11Tool(hsm, "--list-token-slots");

        assertThat(token.isPlugged()).isTrue();
        assertThat(whileOut).doesNotContain(serial).doesNotContain("ZJHX-KEY");
        assertThat(afterReplug).contains(serial);
        assertThat(probe(token, PIN)).containsKey("signature");
    }

    @Test
    void unplugWhenAlreadyUnpluggedThenRefused() {
        SoftHsmToken token = hsm.initToken("ZJHX-KEY", SO_PIN, PIN);
        token.unplug();

        assertThat(token.isPlugged()).isFalse();
        assertThat(token.serial()).as("still readable while out").isNotEmpty();
        assertThatThrownBy(token::unplug).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void setSerialWhenPrintedSerialGivenThenClientsReportIt() throws Exception {
        SoftHsmToken token = tokenWithKey();

        token.setSerial("330400007180230S");

        assertThat(ChildProcess.pkcs11Tool(hsm, "--list-token-slots")).contains("330400007180230S");
        assertThat(probe(token, PIN)).containsKey("signature");
        assertThatThrownBy(() -> token.setSerial("330400007180230SE")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void reportPinStateWhenLockedThenTokenInfoSaysLockedButSoftHsmStillAcceptsThePin() throws Exception {
        SoftHsmToken token = tokenWithKey();

        token.reportPinState(SoftHsmToken.ReportedPinState.LOCKED);

        assertThat(ChildProcess.pkcs11Tool(hsm, "--list-token-slots")).contains("user PIN locked");
        // SoftHSM2 2.6.1 never checks the flag in C_Login: this is why there is no lock().
        assertThat(probe(token, PIN)).containsKey("signature");
        token.reportPinState(SoftHsmToken.ReportedPinState.OK);
        assertThat(ChildProcess.pkcs11Tool(hsm, "--list-token-slots")).doesNotContain("user PIN locked");
    }

    @Test
    void reportPinStateWhenFinalTryThenTokenInfoSaysSo() throws Exception {
        SoftHsmToken token = hsm.initToken("ZJHX-KEY", SO_PIN, PIN);

        token.reportPinState(SoftHsmToken.ReportedPinState.FINAL_TRY);

        assertThat(ChildProcess.pkcs11Tool(hsm, "--list-token-slots"))
                .contains("final user PIN try")
                .contains("user PIN count low");
    }

    private SoftHsmToken tokenWithKey() {
        Credential xizi = TestPki.provider("ZJHX").ec().build().user("西子").issue();
        SoftHsmToken token = hsm.initToken("ZJHX-KEY", SO_PIN, PIN);
        token.write(xizi, "西子");
        return token;
    }

    private Map<String, String> probe(SoftHsmToken token, String pin) throws Exception {
        Path config = dir.resolve("sunpkcs11-" + System.nanoTime() + ".cfg");
        Files.writeString(config, token.sunPkcs11Config("ukey"));
        return ChildProcess.probe(hsm, config, pin, DATA);
    }

    private static X509Certificate certificate(String base64) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(
                        new ByteArrayInputStream(Base64.getDecoder().decode(base64)));
    }
}
