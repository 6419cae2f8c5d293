package org.cagate.testca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.bouncycastle.asn1.x509.CRLReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CaFolderTests {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void loadWhenSavedWithIntermediateThenSameCa(KeyAlgorithm algorithm) throws Exception {
        TestCa ca =
                TestPki.provider("ZJHX").algorithm(algorithm).withIntermediate().build();
        ca.defaultCrlUrl("http://127.0.0.1:1/crl/ZJHX.crl").defaultOcspUrl("http://127.0.0.1:1/ocsp/ZJHX");
        Credential xizi = ca.user("西子").issue();
        Credential other = ca.user("东子").issue();
        ca.revoke(other.certificate(), CRLReason.keyCompromise);
        long crlNumber = ca.crl(Instant.now(), Instant.now().plusSeconds(60)).getExtensionValue("2.5.29.20").length;

        ca.save(dir);
        TestCa loaded = TestCa.load(dir);

        assertThat(loaded.providerCode()).isEqualTo("ZJHX");
        assertThat(loaded.algorithm()).isEqualTo(algorithm);
        assertThat(loaded.root()).isEqualTo(ca.root());
        assertThat(loaded.intermediate()).isEqualTo(ca.intermediate());
        assertThat(loaded.issuerPrivateKey().getEncoded())
                .isEqualTo(ca.issuerPrivateKey().getEncoded());
        assertThat(loaded.rootKey().getPrivate().getEncoded())
                .isEqualTo(ca.rootKey().getPrivate().getEncoded());
        assertThat(loaded.revocations()).containsExactlyInAnyOrderElementsOf(ca.revocations());
        assertThat(loaded.issued(xizi.certificate().getSerialNumber())).contains(xizi.certificate());
        assertThat(loaded.defaultCrlUrl()).isEqualTo(ca.defaultCrlUrl());
        assertThat(loaded.defaultOcspUrl()).isEqualTo(ca.defaultOcspUrl());
        assertThat(loaded.lastCrlNumber()).isEqualTo(ca.lastCrlNumber()).isPositive();
        assertThat(crlNumber).isPositive();
        Credential later = loaded.user("后来").issue();
        later.certificate().verify(ca.issuerCertificate().getPublicKey(), BouncyCastle.PROVIDER);
        assertThat(later.certificate().getExtensionValue("2.5.29.31"))
                .as("default CRL DP")
                .isNotNull();
        loaded.crl(Instant.now(), Instant.now().plusSeconds(60))
                .verify(ca.issuerCertificate().getPublicKey(), BouncyCastle.PROVIDER);
    }

    @Test
    void loadWhenWithoutIntermediateThenRootIssues() throws Exception {
        TestCa ca = TestPki.provider("CFCA").rsa().build();
        ca.save(dir);

        TestCa loaded = TestCa.load(dir);

        assertThat(loaded.intermediate()).isEmpty();
        assertThat(loaded.issuerCertificate()).isEqualTo(ca.root());
    }

    @Test
    void buildOrLoadWhenCalledTwiceThenSecondStartReusesTheFirstCa() throws Exception {
        TestCa first = TestPki.provider("ZJHX").sm2().withIntermediate().buildOrLoad(dir);
        TestCa second = TestPki.provider("ZJHX").sm2().withIntermediate().buildOrLoad(dir);

        assertThat(second.root()).isEqualTo(first.root());
        assertThat(second.issuerCertificate()).isEqualTo(first.issuerCertificate());
    }

    @Test
    void buildOrLoadWhenFolderHoldsAnotherAlgorithmThenRefused() throws Exception {
        TestPki.provider("ZJHX").sm2().buildOrLoad(dir);

        assertThatThrownBy(() -> TestPki.provider("ZJHX").rsa().buildOrLoad(dir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("SM2");
    }

    @Test
    void refreshWhenAnotherProcessRevokedThenSeen() throws Exception {
        TestCa ca = TestPki.provider("ZJHX").build();
        Credential xizi = ca.user("西子").issue();
        ca.save(dir);
        TestCa serving = TestCa.load(dir);

        TestCa cli = TestCa.load(dir);
        cli.revoke(xizi.certificate(), CRLReason.cessationOfOperation);
        cli.save(dir);
        serving.refresh(dir);

        assertThat(serving.revocation(xizi.certificate().getSerialNumber()))
                .hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo(CRLReason.cessationOfOperation));
    }

    @Test
    void loadWhenFolderEmptyOrBrokenThenIoException() throws Exception {
        assertThatThrownBy(() -> TestCa.load(dir))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("ca.properties");

        TestPki.provider("ZJHX").build().save(dir);
        Files.writeString(dir.resolve("revoked.txt"), "zz not-a-line\n");
        assertThatThrownBy(() -> TestCa.load(dir))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("bad line");
    }
}
