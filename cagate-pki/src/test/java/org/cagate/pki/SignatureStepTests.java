package org.cagate.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cagate.pki.AssertionVerifierTests.assertReason;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.cagate.pki.revocation.RevocationChecker;
import org.cagate.pki.testing.MutableClock;
import org.cagate.pki.testing.Sign;
import org.cagate.testca.Credential;
import org.cagate.testca.KeyAlgorithm;
import org.cagate.testca.TestCa;
import org.cagate.testca.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Step 2 of {@link AssertionVerifier}: the signature verifies over exactly the challenge bytes. */
class SignatureStepTests {
    private static final byte[] CHALLENGE = Sign.challenge("ZJHX");
    private static final byte[] OTHER = Sign.challenge("SCCA");

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T10:00:00Z"));
    private final AssertionVerifier verifier =
            new AssertionVerifier(clock, RevocationChecker.create(clock, new SecureRandom()));

    private TestCa ca(KeyAlgorithm algorithm) {
        return TestPki.provider("ZJHX")
                .algorithm(algorithm)
                .withIntermediate()
                .clock(clock)
                .build();
    }

    private static ProviderPolicy provider(TestCa ca) throws PkiException {
        return new ProviderPolicy(
                "ZJHX", TrustAnchors.of(ca.caCertificates()), IdentityRule.SPKI_SHA256, RevocationPolicy.NONE);
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void verifyWhenRawSignedOtherBytesThenSignatureInvalid(KeyAlgorithm algorithm) throws Exception {
        TestCa ca = ca(algorithm);
        Credential user = ca.user("西子").issue();

        assertReason(
                () -> verifier.verify(Sign.rawAssertion(user, OTHER, List.of()), CHALLENGE, provider(ca)),
                Reason.SIGNATURE_INVALID);
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void verifyWhenCmsSignedOtherContentThenSignatureInvalid(KeyAlgorithm algorithm) throws Exception {
        TestCa ca = ca(algorithm);
        Credential user = ca.user("西子").issue();

        assertReason(
                () -> verifier.verify(Sign.cmsAssertion(user, OTHER, List.of()), CHALLENGE, provider(ca)),
                Reason.SIGNATURE_INVALID);
    }

    @ParameterizedTest
    @EnumSource(
            value = KeyAlgorithm.class,
            names = {"RSA_2048", "EC_P256", "SM2"})
    void verifyWhenCmsIsADocumentSignatureOverTheChallengesDigestThenSignatureInvalid(KeyAlgorithm algorithm)
            throws Exception {
        // A page of another allowed origin could send the challenge's digest to /v1/sign-document:
        // what it gets back must not pass as a login or bind assertion (ORIGIN_MISMATCH would be bypassed).
        TestCa ca = ca(algorithm);
        Credential user = ca.user("西子").issue();
        org.cagate.pki.sign.Signer signer = org.cagate.pki.sign.Signer.of(
                        user.keyPair().getPrivate(), user.certificate())
                .clock(clock);
        byte[] digest = java.security.MessageDigest.getInstance(
                        signer.algorithm().digest(), BouncyCastle.provider())
                .digest(CHALLENGE);
        byte[] cms = signer.signDigest(digest).signature();
        Assertion document = new Assertion(Assertion.Format.CMS, signer.algorithm(), null, List.of(), cms, null);

        assertReason(() -> verifier.verify(document, CHALLENGE, provider(ca)), Reason.SIGNATURE_INVALID);
    }

    @Test
    void verifyWhenRawSignatureIsGarbageThenSignatureInvalid() throws Exception {
        TestCa ca = ca(KeyAlgorithm.EC_P256);
        Credential user = ca.user("西子").issue();
        Assertion good = Sign.rawAssertion(user, CHALLENGE, List.of());
        Assertion garbage = new Assertion(
                good.format(), good.algorithm(), good.certificate(), List.of(), "not DER".getBytes(), null);

        assertReason(() -> verifier.verify(garbage, CHALLENGE, provider(ca)), Reason.SIGNATURE_INVALID);
    }

    @Test
    void verifyWhenSm2KeyNamedAsEcdsaThenSignatureInvalid() throws Exception {
        TestCa ca = ca(KeyAlgorithm.SM2);
        Credential user = ca.user("国密").issue();
        // An ECDSA signature with SHA-256 by the SM2 key: the math would work; the algorithm must fit the key.
        Assertion assertion = new Assertion(
                Assertion.Format.RAW,
                SignatureAlgorithm.SHA256_WITH_ECDSA,
                Certificates.der(user.certificate()),
                List.of(),
                Sign.raw(user, SignatureAlgorithm.SHA256_WITH_ECDSA, CHALLENGE),
                null);

        assertReason(() -> verifier.verify(assertion, CHALLENGE, provider(ca)), Reason.SIGNATURE_INVALID);
    }

    @Test
    void verifyWhenRsaAlgorithmNamedForEcKeyThenSignatureInvalid() throws Exception {
        TestCa ca = ca(KeyAlgorithm.EC_P256);
        Credential user = ca.user("西子").issue();
        Assertion assertion = new Assertion(
                Assertion.Format.RAW,
                SignatureAlgorithm.SHA256_WITH_RSA,
                Certificates.der(user.certificate()),
                List.of(),
                Sign.raw(user, SignatureAlgorithm.SHA256_WITH_ECDSA, CHALLENGE),
                null);

        assertReason(() -> verifier.verify(assertion, CHALLENGE, provider(ca)), Reason.SIGNATURE_INVALID);
    }

    @Test
    void verifyWhenRawSignedByAnotherKeyOfTheSameCaThenSignatureInvalid() throws Exception {
        TestCa ca = ca(KeyAlgorithm.RSA_2048);
        Credential alice = ca.user("甲").issue();
        Credential bob = ca.user("乙").issue();
        Assertion assertion = new Assertion(
                Assertion.Format.RAW,
                SignatureAlgorithm.SHA256_WITH_RSA,
                Certificates.der(alice.certificate()),
                List.of(),
                Sign.raw(bob, SignatureAlgorithm.SHA256_WITH_RSA, CHALLENGE),
                null);

        assertReason(() -> verifier.verify(assertion, CHALLENGE, provider(ca)), Reason.SIGNATURE_INVALID);
    }

    @Test
    void verifyWhenCmsSignedByDifferentCertificateThanTheAssertionsThenSignatureInvalid() throws Exception {
        TestCa ca = ca(KeyAlgorithm.EC_P256);
        Credential alice = ca.user("甲").issue();
        Credential bob = ca.user("乙").issue();
        byte[] cmsByBob = Sign.cms(bob, SignatureAlgorithm.SHA256_WITH_ECDSA, CHALLENGE, List.of(), true);
        Assertion assertion = new Assertion(
                Assertion.Format.CMS,
                SignatureAlgorithm.SHA256_WITH_ECDSA,
                Certificates.der(alice.certificate()),
                List.of(),
                cmsByBob,
                null);

        assertReason(() -> verifier.verify(assertion, CHALLENGE, provider(ca)), Reason.SIGNATURE_INVALID);
    }

    @Test
    void verifyWhenCmsCarriesTheContentThenSignatureInvalid() throws Exception {
        TestCa ca = ca(KeyAlgorithm.SM2);
        Credential user = ca.user("国密").issue();
        byte[] attached =
                Sign.cms(user, SignatureAlgorithm.SM3_WITH_SM2, CHALLENGE, List.of(user.certificate()), false);
        Assertion assertion =
                new Assertion(Assertion.Format.CMS, SignatureAlgorithm.SM3_WITH_SM2, null, List.of(), attached, null);

        assertReason(() -> verifier.verify(assertion, CHALLENGE, provider(ca)), Reason.SIGNATURE_INVALID);
    }

    @Test
    void verifyWhenCmsHasTwoSignersThenSignatureInvalid() throws Exception {
        TestCa ca = ca(KeyAlgorithm.EC_P256);
        Credential alice = ca.user("甲").issue();
        Credential bob = ca.user("乙").issue();
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        var digests = new JcaDigestCalculatorProviderBuilder()
                .setProvider(BouncyCastle.provider())
                .build();
        for (Credential c : List.of(alice, bob)) {
            generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(digests)
                    .build(
                            new JcaContentSignerBuilder("SHA256withECDSA")
                                    .setProvider(BouncyCastle.provider())
                                    .build(c.keyPair().getPrivate()),
                            c.certificate()));
        }
        generator.addCertificates(new JcaCertStore(List.of(alice.certificate(), bob.certificate())));
        byte[] cms = generator
                .generate(new CMSProcessableByteArray(CHALLENGE), false)
                .getEncoded();
        Assertion assertion = new Assertion(
                Assertion.Format.CMS,
                SignatureAlgorithm.SHA256_WITH_ECDSA,
                Certificates.der(alice.certificate()),
                List.of(),
                cms,
                null);

        assertReason(() -> verifier.verify(assertion, CHALLENGE, provider(ca)), Reason.SIGNATURE_INVALID);
    }

    @Test
    void verifyWhenCmsDigestDoesNotFitAlgorithmThenSignatureInvalid() throws Exception {
        TestCa ca = ca(KeyAlgorithm.EC_P256);
        Credential user = ca.user("西子").issue();
        byte[] sha384 = cmsWith(user, "SHA384withECDSA");
        Assertion assertion = new Assertion(
                Assertion.Format.CMS,
                SignatureAlgorithm.SHA256_WITH_ECDSA,
                Certificates.der(user.certificate()),
                List.of(),
                sha384,
                null);

        assertReason(() -> verifier.verify(assertion, CHALLENGE, provider(ca)), Reason.SIGNATURE_INVALID);
    }

    @Test
    void verifyWhenCmsIsGarbageThenSignatureInvalid() throws Exception {
        TestCa ca = ca(KeyAlgorithm.EC_P256);
        Credential user = ca.user("西子").issue();
        Assertion assertion = new Assertion(
                Assertion.Format.CMS,
                SignatureAlgorithm.SHA256_WITH_ECDSA,
                Certificates.der(user.certificate()),
                List.of(),
                "-----BEGIN PKCS7-----".getBytes(StandardCharsets.US_ASCII),
                null);

        assertReason(() -> verifier.verify(assertion, CHALLENGE, provider(ca)), Reason.SIGNATURE_INVALID);
    }

    @Test
    void verifyWhenCmsWithSignedAttributesTamperedThenSignatureInvalid() throws Exception {
        TestCa ca = ca(KeyAlgorithm.RSA_2048);
        Credential user = ca.user("西子").issue();
        byte[] cms = Sign.cms(user, SignatureAlgorithm.SHA256_WITH_RSA, CHALLENGE, List.of(user.certificate()), true);
        byte[] tampered = cms.clone();
        // The last bytes are the RSA signature value; flip one.
        tampered[tampered.length - 5] ^= 0x01;
        Assertion assertion = new Assertion(
                Assertion.Format.CMS, SignatureAlgorithm.SHA256_WITH_RSA, null, List.of(), tampered, null);

        assertReason(() -> verifier.verify(assertion, CHALLENGE, provider(ca)), Reason.SIGNATURE_INVALID);
    }

    @Test
    void verifyWhenCmsWithoutSignedAttributesThenSignatureOverTheChallengeItself() throws Exception {
        TestCa ca = ca(KeyAlgorithm.SM2);
        Credential user = ca.user("国密").issue();
        Assertion direct =
                cmsAssertion(user, SignatureAlgorithm.SM3_WITH_SM2, directCms(user, "SM3withSM2", CHALLENGE));
        Assertion directOther =
                cmsAssertion(user, SignatureAlgorithm.SM3_WITH_SM2, directCms(user, "SM3withSM2", OTHER));

        assertThat(verifier.verify(direct, CHALLENGE, provider(ca)).certificate())
                .isEqualTo(user.certificate());
        assertReason(() -> verifier.verify(directOther, CHALLENGE, provider(ca)), Reason.SIGNATURE_INVALID);
    }

    @Test
    void verifyWhenCmsSignerIdentifiedByKeyIdentifierThenVerified() throws Exception {
        TestCa ca = ca(KeyAlgorithm.EC_P256);
        Credential user = ca.user("西子").issue();
        byte[] keyId = org.bouncycastle.asn1.x509.SubjectKeyIdentifier.getInstance(
                        org.bouncycastle.asn1.ASN1OctetString.getInstance(
                                        user.certificate().getExtensionValue("2.5.29.14"))
                                .getOctets())
                .getKeyIdentifier();
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        generator.addSignerInfoGenerator(
                new JcaSignerInfoGeneratorBuilder(digests()).build(signer(user, "SHA256withECDSA"), keyId));
        byte[] cms = generator
                .generate(new CMSProcessableByteArray(CHALLENGE), false)
                .getEncoded();

        assertThat(verifier.verify(
                                cmsAssertion(user, SignatureAlgorithm.SHA256_WITH_ECDSA, cms), CHALLENGE, provider(ca))
                        .certificate())
                .isEqualTo(user.certificate());
    }

    @Test
    void verifyWhenCmsContentTypeIsNotDataThenSignatureInvalid() throws Exception {
        TestCa ca = ca(KeyAlgorithm.RSA_2048);
        Credential user = ca.user("西子").issue();
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        generator.addSignerInfoGenerator(
                new JcaSignerInfoGeneratorBuilder(digests()).build(signer(user, "SHA256withRSA"), user.certificate()));
        byte[] cms = generator
                .generate(
                        new CMSProcessableByteArray(
                                new org.bouncycastle.asn1.ASN1ObjectIdentifier("1.2.156.1"), CHALLENGE),
                        false)
                .getEncoded();

        assertReason(
                () -> verifier.verify(
                        cmsAssertion(user, SignatureAlgorithm.SHA256_WITH_RSA, cms), CHALLENGE, provider(ca)),
                Reason.SIGNATURE_INVALID);
    }

    @Test
    void verifyWhenCmsUsesBerIndefiniteLengthsThenSignatureInvalid() throws Exception {
        TestCa ca = ca(KeyAlgorithm.EC_P256);
        Credential user = ca.user("西子").issue();
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(digests())
                .build(signer(user, "SHA256withECDSA"), user.certificate()));
        generator.addCertificates(new JcaCertStore(List.of(user.certificate())));
        byte[] ber = generator
                .generate(new CMSProcessableByteArray(CHALLENGE), false)
                .getEncoded();
        assertThat(ber[1]).as("indefinite length").isEqualTo((byte) 0x80);

        // The wire contract says DER; the same CMS as DER verifies.
        assertReason(
                () -> verifier.verify(
                        cmsAssertion(user, SignatureAlgorithm.SHA256_WITH_ECDSA, ber), CHALLENGE, provider(ca)),
                Reason.SIGNATURE_INVALID);
        byte[] der = org.bouncycastle.asn1.ASN1Primitive.fromByteArray(ber)
                .getEncoded(org.bouncycastle.asn1.ASN1Encoding.DER);
        assertThat(verifier.verify(
                        cmsAssertion(user, SignatureAlgorithm.SHA256_WITH_ECDSA, der), CHALLENGE, provider(ca)))
                .isNotNull();
    }

    @Test
    void verifyWhenSignedAttributesSentUnsortedThenTheirDerEncodingIsWhatWasSigned() throws Exception {
        TestCa ca = ca(KeyAlgorithm.EC_P256);
        Credential user = ca.user("西子").issue();
        byte[] sorted = Sign.cms(user, SignatureAlgorithm.SHA256_WITH_ECDSA, CHALLENGE, List.of(), true);
        var info = org.bouncycastle.asn1.cms.ContentInfo.getInstance(sorted);
        var data = org.bouncycastle.asn1.cms.SignedData.getInstance(info.getContent());
        var signer = org.bouncycastle.asn1.cms.SignerInfo.getInstance(
                data.getSignerInfos().getObjectAt(0));
        var reversed = new org.bouncycastle.asn1.ASN1EncodableVector();
        var attributes = signer.getAuthenticatedAttributes().toArray();
        for (int i = attributes.length - 1; i >= 0; i--) {
            reversed.add(attributes[i]);
        }
        // Built by hand: BC's SignerInfo would DER-encode (and so sort) the [0] attributes again.
        var unsortedSigner = new org.bouncycastle.asn1.DLSequence(new org.bouncycastle.asn1.ASN1Encodable[] {
            signer.getVersion(),
            signer.getSID(),
            signer.getDigestAlgorithm(),
            new org.bouncycastle.asn1.DLTaggedObject(false, 0, new org.bouncycastle.asn1.DLSet(reversed)),
            signer.getDigestEncryptionAlgorithm(),
            signer.getEncryptedDigest()
        });
        var unsortedData = new org.bouncycastle.asn1.cms.SignedData(
                data.getDigestAlgorithms(),
                data.getEncapContentInfo(),
                null,
                null,
                new org.bouncycastle.asn1.DLSet(unsortedSigner));
        byte[] unsorted = new org.bouncycastle.asn1.cms.ContentInfo(info.getContentType(), unsortedData)
                .getEncoded(org.bouncycastle.asn1.ASN1Encoding.DL);
        assertThat(unsorted).isNotEqualTo(sorted);

        assertThat(verifier.verify(
                        cmsAssertion(user, SignatureAlgorithm.SHA256_WITH_ECDSA, unsorted), CHALLENGE, provider(ca)))
                .isNotNull();
    }

    private static Assertion cmsAssertion(Credential user, SignatureAlgorithm algorithm, byte[] cms) {
        return new Assertion(
                Assertion.Format.CMS, algorithm, Certificates.der(user.certificate()), List.of(), cms, null);
    }

    private static byte[] directCms(Credential user, String signatureAlgorithm, byte[] content) throws Exception {
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(digests())
                .setDirectSignature(true)
                .build(signer(user, signatureAlgorithm), user.certificate()));
        return generator.generate(new CMSProcessableByteArray(content), false).getEncoded();
    }

    private static org.bouncycastle.operator.DigestCalculatorProvider digests() throws Exception {
        return new JcaDigestCalculatorProviderBuilder()
                .setProvider(BouncyCastle.provider())
                .build();
    }

    private static org.bouncycastle.operator.ContentSigner signer(Credential user, String algorithm) throws Exception {
        return new JcaContentSignerBuilder(algorithm)
                .setProvider(BouncyCastle.provider())
                .build(user.keyPair().getPrivate());
    }

    private static byte[] cmsWith(Credential user, String signatureAlgorithm) throws Exception {
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder()
                        .setProvider(BouncyCastle.provider())
                        .build())
                .build(
                        new JcaContentSignerBuilder(signatureAlgorithm)
                                .setProvider(BouncyCastle.provider())
                                .build(user.keyPair().getPrivate()),
                        user.certificate()));
        return generator.generate(new CMSProcessableByteArray(CHALLENGE), false).getEncoded();
    }
}
