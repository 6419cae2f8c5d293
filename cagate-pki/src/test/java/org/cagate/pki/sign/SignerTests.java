package org.cagate.pki.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Date;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.cagate.pki.BouncyCastle;
import org.cagate.pki.SignatureAlgorithm;
import org.cagate.testca.Credential;
import org.cagate.testca.KeyAlgorithm;
import org.cagate.testca.TestCa;
import org.cagate.testca.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SignerTests {
    private static final byte[] CONTENT = "CAGATE-CHALLENGE-V1\npurpose=LOGIN".getBytes(StandardCharsets.UTF_8);

    @ParameterizedTest
    @EnumSource(
            value = KeyAlgorithm.class,
            names = {"RSA_2048", "EC_P256", "SM2"})
    void signRawWhenKeyOfAnyTypeThenSignatureVerifiesWithTheCertificate(KeyAlgorithm type) throws Exception {
        Credential user = user(type);

        DetachedSignature signed = Signer.of(user.keyPair().getPrivate(), user.certificate())
                .chain(user.caCertificates())
                .sign(CONTENT, SignatureFormat.RAW);

        assertThat(signed.algorithm()).isEqualTo(expectedAlgorithm(type));
        assertThat(signed.certificate()).isEqualTo(user.certificate());
        assertThat(signed.chain()).containsExactlyElementsOf(user.caCertificates());
        Signature verifier = Signature.getInstance(signed.algorithm().wireName(), BouncyCastle.provider());
        verifier.initVerify(user.certificate().getPublicKey());
        verifier.update(CONTENT);
        assertThat(verifier.verify(signed.signature())).isTrue();
    }

    @ParameterizedTest
    @EnumSource(
            value = KeyAlgorithm.class,
            names = {"RSA_2048", "EC_P256", "SM2"})
    void signCmsWhenKeyOfAnyTypeThenDetachedSignedDataVerifiesAndCarriesTheChain(KeyAlgorithm type) throws Exception {
        Credential user = user(type);
        // Within the certificate's validity, whenever the test runs (the certificate is issued now).
        Instant now = user.certificate().getNotBefore().toInstant().plusSeconds(60);

        DetachedSignature signed = Signer.of(user.keyPair().getPrivate(), user.certificate())
                .chain(user.caCertificates())
                .clock(Clock.fixed(now, ZoneOffset.UTC))
                .sign(CONTENT, SignatureFormat.CMS);

        CMSSignedData cms = new CMSSignedData(new CMSProcessableByteArray(CONTENT), signed.signature());
        assertThat(new CMSSignedData(signed.signature()).getSignedContent()).isNull();
        SignerInformation signer = cms.getSignerInfos().getSigners().iterator().next();
        assertThat(signer.verify(new JcaSimpleSignerInfoVerifierBuilder()
                        .setProvider(BouncyCastle.provider())
                        .build(user.certificate())))
                .isTrue();
        Attribute signingTime = signer.getSignedAttributes().get(CMSAttributes.signingTime);
        assertThat(Time.getInstance(signingTime.getAttrValues().getObjectAt(0)).getDate())
                .isEqualTo(Date.from(now));
        Collection<X509CertificateHolder> carried = cms.getCertificates().getMatches(null);
        assertThat(carried).hasSize(1 + user.caCertificates().size());
    }

    @Test
    void signWhenKeyDoesNotBelongToTheCertificateThenSigningException() {
        TestCa ca = TestPki.provider("ZJHX").ec().build();
        Credential alice = ca.user("西子").issue();
        Credential bob = ca.user("东子").issue();

        assertThatThrownBy(() -> Signer.of(bob.keyPair().getPrivate(), alice.certificate())
                        .sign(CONTENT, SignatureFormat.RAW))
                .isInstanceOf(SigningException.class)
                .hasMessageContaining("does not belong");
        assertThatThrownBy(() -> Signer.of(bob.keyPair().getPrivate(), alice.certificate())
                        .sign(CONTENT, SignatureFormat.CMS))
                .isInstanceOf(SigningException.class);
    }

    @Test
    void algorithmForWhenKeyIsOnTheSm2CurveThenSm3WithSm2() {
        X509Certificate sm2 = user(KeyAlgorithm.SM2).certificate();
        X509Certificate p256 = user(KeyAlgorithm.EC_P256).certificate();

        assertThat(Signer.algorithmFor(sm2.getPublicKey())).isEqualTo(SignatureAlgorithm.SM3_WITH_SM2);
        assertThat(Signer.algorithmFor(p256.getPublicKey())).isEqualTo(SignatureAlgorithm.SHA256_WITH_ECDSA);
    }

    @Test
    void signWhenRandomInjectedThenEcdsaSignaturesRepeatAndOtherwiseDiffer() throws Exception {
        Credential user = user(KeyAlgorithm.EC_P256);
        Signer signer = Signer.of(user.keyPair().getPrivate(), user.certificate());

        byte[] first = signer.random(new CountingRandom())
                .sign(CONTENT, SignatureFormat.RAW)
                .signature();
        byte[] second = signer.random(new CountingRandom())
                .sign(CONTENT, SignatureFormat.RAW)
                .signature();
        byte[] fresh = signer.sign(CONTENT, SignatureFormat.RAW).signature();

        assertThat(first).isEqualTo(second);
        assertThat(fresh).isNotEqualTo(first);
    }

    /** Not random at all: the same bytes from every new instance, so signatures can be compared. */
    static final class CountingRandom extends java.security.SecureRandom {
        private static final long serialVersionUID = 1L;
        private byte next = 1;

        @Override
        public void nextBytes(byte[] bytes) {
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = next++;
            }
        }
    }

    private static Credential user(KeyAlgorithm type) {
        return TestPki.provider("ZJHX")
                .algorithm(type)
                .withIntermediate()
                .build()
                .user("西子")
                .issue();
    }

    private static SignatureAlgorithm expectedAlgorithm(KeyAlgorithm type) {
        return switch (type) {
            case RSA_2048 -> SignatureAlgorithm.SHA256_WITH_RSA;
            case SM2 -> SignatureAlgorithm.SM3_WITH_SM2;
            default -> SignatureAlgorithm.SHA256_WITH_ECDSA;
        };
    }
}
