package org.cagate.pki.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.asn1.ess.SigningCertificateV2;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignerDigestMismatchException;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.cagate.pki.BouncyCastle;
import org.cagate.testca.Credential;
import org.cagate.testca.KeyAlgorithm;
import org.cagate.testca.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Signer.signDigest: the CMS a document signature (PAdES) carries, over a digest made elsewhere. */
class DigestSignerTests {
    /** The test's one clock: the CA issues from it and the signer stamps it as signingTime. */
    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final byte[] DOCUMENT = "%PDF-1.7 the signed byte range".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest
    @EnumSource(
            value = KeyAlgorithm.class,
            names = {"RSA_2048", "EC_P256", "SM2"})
    void signDigestWhenDigestOfTheDocumentThenCmsVerifiesOverTheDocumentWithTheFourAttributes(KeyAlgorithm type)
            throws Exception {
        Credential user = user(type);
        Signer signer = Signer.of(user.keyPair().getPrivate(), user.certificate())
                .chain(user.caCertificates())
                .clock(CLOCK);
        byte[] digest = MessageDigest.getInstance(signer.algorithm().digest(), BouncyCastle.provider())
                .digest(DOCUMENT);

        DetachedSignature signed = signer.signDigest(digest);

        assertThat(signed.format()).isEqualTo(SignatureFormat.CMS);
        CMSSignedData cms = new CMSSignedData(new CMSProcessableByteArray(DOCUMENT), signed.signature());
        SignerInformation info = cms.getSignerInfos().getSigners().iterator().next();
        assertThat(info.verify(new JcaSimpleSignerInfoVerifierBuilder()
                        .setProvider(BouncyCastle.provider())
                        .build(user.certificate())))
                .isTrue();
        AttributeTable attributes = info.getSignedAttributes();
        assertThat(attributes.get(CMSAttributes.contentType).getAttrValues().getObjectAt(0))
                .isEqualTo(CMSObjectIdentifiers.data);
        assertThat(ASN1OctetString.getInstance(attributes
                                .get(CMSAttributes.messageDigest)
                                .getAttrValues()
                                .getObjectAt(0))
                        .getOctets())
                .isEqualTo(digest);
        assertThat(Time.getInstance(attributes
                                .get(CMSAttributes.signingTime)
                                .getAttrValues()
                                .getObjectAt(0))
                        .getDate())
                .isEqualTo(Date.from(NOW));
        SigningCertificateV2 essv2 = SigningCertificateV2.getInstance(attributes
                .get(PKCSObjectIdentifiers.id_aa_signingCertificateV2)
                .getAttrValues()
                .getObjectAt(0));
        assertThat(essv2.getCerts()[0].getCertHash())
                .isEqualTo(MessageDigest.getInstance("SHA-256")
                        .digest(user.certificate().getEncoded()));
        assertThat(essv2.getCerts()[0].getIssuerSerial().getSerial().getValue())
                .isEqualTo(user.certificate().getSerialNumber());
        assertThat(cms.getCertificates().getMatches(null))
                .hasSize(1 + user.caCertificates().size());
    }

    @Test
    void signDigestWhenAnotherDocumentThenCmsDoesNotVerifyOverIt() throws Exception {
        Credential user = user(KeyAlgorithm.EC_P256);
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(DOCUMENT);
        byte[] changed = DOCUMENT.clone();
        changed[3] ^= 1;

        DetachedSignature signed = Signer.of(user.keyPair().getPrivate(), user.certificate())
                .clock(CLOCK)
                .signDigest(digest);

        CMSSignedData cms = new CMSSignedData(new CMSProcessableByteArray(changed), signed.signature());
        SignerInformation info = cms.getSignerInfos().getSigners().iterator().next();
        assertThatThrownBy(() -> info.verify(new JcaSimpleSignerInfoVerifierBuilder()
                        .setProvider(BouncyCastle.provider())
                        .build(user.certificate())))
                .isInstanceOf(CMSSignerDigestMismatchException.class);
    }

    @Test
    void signDigestWhenNotThirtyTwoBytesThenRefused() {
        Credential user = user(KeyAlgorithm.EC_P256);

        assertThatThrownBy(() -> Signer.of(user.keyPair().getPrivate(), user.certificate())
                        .signDigest(new byte[20]))
                .isInstanceOf(SigningException.class)
                .hasMessageContaining("32 bytes");
    }

    private static Credential user(KeyAlgorithm type) {
        return TestPki.provider("ZJHX")
                .algorithm(type)
                .withIntermediate()
                .clock(CLOCK)
                .build()
                .user("西子")
                .issue();
    }
}
