package org.cagate.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cagate.pki.AssertionVerifierTests.assertReason;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.asn1.x509.PolicyInformation;
import org.cagate.pki.testing.MutableClock;
import org.cagate.pki.testing.SubCa;
import org.cagate.testca.Credential;
import org.cagate.testca.KeyAlgorithm;
import org.cagate.testca.TestCa;
import org.cagate.testca.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Step 4 of {@link AssertionVerifier}: the path, and what the caches of {@link PathValidator} may skip. A
 * cached answer must be the full build's: each test also asks a validator with nothing cached ("cold").
 */
class PathValidatorTests {
    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    private static final ASN1ObjectIdentifier POLICY = new ASN1ObjectIdentifier("1.2.156.112562.2.1.1.1");
    private static final ASN1ObjectIdentifier ANY_POLICY = new ASN1ObjectIdentifier("2.5.29.32.0");

    private final MutableClock clock = new MutableClock(NOW);
    private final PathValidator validator = new PathValidator(1_000);

    private TestCa ca(KeyAlgorithm algorithm) {
        return TestPki.provider("ZJHX")
                .algorithm(algorithm)
                .withIntermediate()
                .clock(clock)
                .build();
    }

    private TestCa rootOnly() {
        return TestPki.provider("ZJHX").ec().clock(clock).build();
    }

    private List<X509Certificate> validate(Credential user, List<X509Certificate> chain, TrustAnchors trust)
            throws PkiException {
        return validate(validator, user.certificate(), chain, trust);
    }

    private List<X509Certificate> validate(
            PathValidator with, X509Certificate leaf, List<X509Certificate> chain, TrustAnchors trust)
            throws PkiException {
        List<ParsedCertificate> parsed = new ArrayList<>();
        chain.forEach(c -> parsed.add(new ParsedCertificate(c)));
        return with.validate(new ParsedCertificate(leaf), parsed, trust, clock.instant());
    }

    /** The full build's answer: the path, or the reason it refuses. */
    private Object cold(X509Certificate leaf, List<X509Certificate> chain, TrustAnchors trust) {
        try {
            return validate(new PathValidator(10), leaf, chain, trust);
        } catch (PkiException e) {
            return e.reason();
        }
    }

    // a known issuer

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void validateWhenSecondLeafOfKnownIntermediateThenNoBuild(KeyAlgorithm algorithm) throws Exception {
        TestCa ca = ca(algorithm);
        TrustAnchors trust = TrustAnchors.of(ca.caCertificates());
        Credential first = ca.user("西子").issue();
        Credential second = ca.user("东子").organization("培训省东子贸易集团").issue();
        validate(first, List.of(), trust);

        List<X509Certificate> path = validate(second, List.of(), trust);

        assertThat(path).containsExactlyElementsOf(second.fullChain());
        assertThat(validator.builds()).isEqualTo(1);
        assertThat(cold(second.certificate(), List.of(), trust)).isEqualTo(path);
    }

    @Test
    void validateWhenIssuerOnlyInTheClientsChainThenKnownFromIt() throws Exception {
        TestCa ca = ca(KeyAlgorithm.SM2);
        TrustAnchors trust = TrustAnchors.of(List.of(ca.root()));
        List<X509Certificate> chain = List.of(ca.intermediate().orElseThrow());
        validate(ca.user("西子").issue(), chain, trust);
        Credential second = ca.user("东子").issue();

        assertThat(validate(second, chain, trust)).containsExactlyElementsOf(second.fullChain());
        assertThat(validator.builds()).isEqualTo(1);
    }

    @Test
    void validateWhenKnownIssuerNotSentAgainThenCertUntrustedAsTheFullBuild() throws Exception {
        TestCa ca = ca(KeyAlgorithm.EC_P256);
        TrustAnchors trust = TrustAnchors.of(List.of(ca.root()));
        validate(ca.user("西子").issue(), List.of(ca.intermediate().orElseThrow()), trust);
        Credential second = ca.user("东子").issue();

        assertReason(() -> validate(second, List.of(), trust), Reason.CERT_UNTRUSTED);
        assertThat(cold(second.certificate(), List.of(), trust)).isEqualTo(Reason.CERT_UNTRUSTED);
    }

    @Test
    void validateWhenRootIssuesTheLeavesThenSecondWithoutBuild() throws Exception {
        TestCa ca = rootOnly();
        TrustAnchors trust = TrustAnchors.of(List.of(ca.root()));
        validate(ca.user("西子").issue(), List.of(), trust);
        Credential second = ca.user("东子").issue();

        assertThat(validate(second, List.of(), trust)).containsExactly(second.certificate(), ca.root());
        assertThat(validator.builds()).isEqualTo(1);
    }

    @Test
    void validateWhenTwoLevelsOfCasThenSecondLeafWithoutBuild() throws Exception {
        TestCa ca = rootOnly();
        SubCa issuing = SubCa.under(ca, "ZJHX Test Issuing CA", 1);
        SubCa sub = issuing.subCa("ZJHX Test Sub CA", 0);
        TrustAnchors trust = TrustAnchors.of(List.of(ca.root(), issuing.certificate()));
        List<X509Certificate> chain = List.of(sub.certificate());
        validate(sub.user("培训省西子贸易集团", "西子"), chain, trust);
        Credential second = sub.user("培训省东子贸易集团", "东子");

        List<X509Certificate> path = validate(second, chain, trust);

        assertThat(path).containsExactlyElementsOf(second.fullChain()).hasSize(4);
        assertThat(validator.builds()).isEqualTo(1);
        assertThat(cold(second.certificate(), chain, trust)).isEqualTo(path);
    }

    @Test
    void validateWhenUpperCaOfKnownPathNotInThisRequestThenCertUntrustedAsTheFullBuild() throws Exception {
        TestCa ca = rootOnly();
        SubCa issuing = SubCa.under(ca, "ZJHX Test Issuing CA", 1);
        SubCa sub = issuing.subCa("ZJHX Test Sub CA", 0);
        TrustAnchors trust = TrustAnchors.of(List.of(ca.root()));
        validate(sub.user(null, "西子"), List.of(sub.certificate(), issuing.certificate()), trust);
        Credential second = sub.user(null, "东子");

        assertReason(() -> validate(second, List.of(sub.certificate()), trust), Reason.CERT_UNTRUSTED);
        assertThat(cold(second.certificate(), List.of(sub.certificate()), trust))
                .isEqualTo(Reason.CERT_UNTRUSTED);
    }

    @Test
    void validateWhenCasAndLeavesNameCertificatePoliciesThenSecondLeafWithoutBuild() throws Exception {
        TestCa ca = rootOnly();
        SubCa issuing = SubCa.under(ca, "ZJHX Test Issuing CA", 0, policies(true));
        TrustAnchors trust = TrustAnchors.of(List.of(ca.root(), issuing.certificate()));
        validate(issuing.user(null, "西子", policies(false)), List.of(), trust);
        Credential second = issuing.user(null, "东子", policies(true));

        assertThat(validate(second, List.of(), trust)).containsExactlyElementsOf(second.fullChain());
        assertThat(validator.builds()).isEqualTo(1);
    }

    // what a known issuer does not vouch for

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void validateWhenLeafSignatureTamperedThenCertUntrustedByTheFullBuild(KeyAlgorithm algorithm) throws Exception {
        TestCa ca = ca(algorithm);
        TrustAnchors trust = TrustAnchors.of(ca.caCertificates());
        validate(ca.user("西子").issue(), List.of(), trust);
        byte[] der = Certificates.der(ca.user("东子").issue().certificate());
        der[der.length - 3] ^= 0x01; // inside the signature value
        X509Certificate tampered = Certificates.parseDer(der);

        assertReason(() -> validate(validator, tampered, List.of(), trust), Reason.CERT_UNTRUSTED);
        assertThat(validator.builds()).isEqualTo(2);
        assertThat(cold(tampered, List.of(), trust)).isEqualTo(Reason.CERT_UNTRUSTED);
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void validateWhenOtherKeyClaimsTheKnownIssuerThenCertUntrustedByTheFullBuild(KeyAlgorithm algorithm)
            throws Exception {
        TestCa ca = ca(algorithm);
        TrustAnchors trust = TrustAnchors.of(ca.caCertificates());
        validate(ca.user("西子").issue(), List.of(), trust);
        // Issuer name and authority key id of the real intermediate, signature by another key.
        Credential forged = SubCa.pretending(ca.intermediate().orElseThrow(), algorithm, clock)
                .user(null, "冒充");

        assertReason(() -> validate(forged, List.of(), trust), Reason.CERT_UNTRUSTED);
        assertThat(validator.builds()).isEqualTo(2);
    }

    @Test
    void validateWhenAnotherCaOfTheSameNamesIssuedTheLeafThenCertUntrusted() throws Exception {
        TestCa ours = ca(KeyAlgorithm.EC_P256);
        TestCa theirs = ca(KeyAlgorithm.EC_P256);
        TrustAnchors trust = TrustAnchors.of(ours.caCertificates());
        validate(ours.user("西子").issue(), List.of(), trust);
        Credential stranger = theirs.user("外人").issue();

        assertThat(stranger.certificate().getIssuerX500Principal())
                .isEqualTo(ours.intermediate().orElseThrow().getSubjectX500Principal());
        assertReason(
                () -> validate(stranger, List.of(theirs.intermediate().orElseThrow()), trust), Reason.CERT_UNTRUSTED);
    }

    @Test
    void validateWhenCaHasNameConstraintsThenEveryLeafBuiltAndAViolationRefused() throws Exception {
        TestCa ca = rootOnly();
        X500Name permitted = new X500Name("C=CN,O=培训省西子贸易集团");
        NameConstraints constraints =
                new NameConstraints(new GeneralSubtree[] {new GeneralSubtree(new GeneralName(permitted))}, null);
        SubCa issuing =
                SubCa.under(ca, "ZJHX Constrained CA", 0, new SubCa.Ext(Extension.nameConstraints, true, constraints));
        TrustAnchors trust = TrustAnchors.of(List.of(ca.root(), issuing.certificate()));
        validate(issuing.user("培训省西子贸易集团", "西子"), List.of(), trust);
        validate(issuing.user("培训省西子贸易集团", "西子二"), List.of(), trust);
        Credential outside = issuing.user("培训省东子贸易集团", "东子");

        assertThat(validator.builds()).isEqualTo(2);
        assertReason(() -> validate(outside, List.of(), trust), Reason.CERT_UNTRUSTED);
        assertThat(cold(outside.certificate(), List.of(), trust)).isEqualTo(Reason.CERT_UNTRUSTED);
    }

    @Test
    void validateWhenLeafHasUnknownCriticalExtensionThenAsTheFullBuild() throws Exception {
        TestCa ca = ca(KeyAlgorithm.EC_P256);
        TrustAnchors trust = TrustAnchors.of(ca.caCertificates());
        validate(ca.user("西子").issue(), List.of(), trust);
        Credential odd = ca.user("东子")
                .criticalExtension("1.2.156.112562.9.9", DERNull.INSTANCE)
                .issue();

        assertThat(cold(odd.certificate(), List.of(), trust)).isEqualTo(Reason.CERT_UNTRUSTED);
        assertReason(() -> validate(odd, List.of(), trust), Reason.CERT_UNTRUSTED);
    }

    @Test
    void validateWhenLeafHasCriticalExtendedKeyUsageThenAsTheFullBuild() throws Exception {
        TestCa ca = ca(KeyAlgorithm.EC_P256);
        TrustAnchors trust = TrustAnchors.of(ca.caCertificates());
        validate(ca.user("西子").issue(), List.of(), trust);
        Credential client = ca.user("东子")
                .criticalExtension(
                        Extension.extendedKeyUsage.getId(), new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth))
                .issue();

        // BC's PKIX (1.87) accepts a critical extendedKeyUsage on the leaf and leaves the purposes to its user.
        assertThat(cold(client.certificate(), List.of(), trust)).isEqualTo(client.fullChain());
        assertThat(validate(client, List.of(), trust)).containsExactlyElementsOf(client.fullChain());
        assertThat(validator.builds()).isEqualTo(1);
    }

    @Test
    void validateWhenLeafHasPolicyConstraintsThenAsTheFullBuild() throws Exception {
        TestCa ca = ca(KeyAlgorithm.EC_P256);
        TrustAnchors trust = TrustAnchors.of(ca.caCertificates());
        validate(ca.user("西子").issue(), List.of(), trust);
        // requireExplicitPolicy 0: the leaf's policy must be one its CAs name, and these name none. Alone
        // under its issuer the leaf would pass; the full build refuses.
        Credential strict = ca.user("东子")
                .extension(
                        Extension.policyConstraints.getId(),
                        new DERSequence(new DERTaggedObject(false, 0, new ASN1Integer(0))))
                .extension(
                        Extension.certificatePolicies.getId(), policies(false).value())
                .issue();

        assertThat(cold(strict.certificate(), List.of(), trust)).isEqualTo(Reason.CERT_UNTRUSTED);
        assertReason(() -> validate(strict, List.of(), trust), Reason.CERT_UNTRUSTED);
        assertThat(validator.builds()).isEqualTo(2);
    }

    @Test
    void validateWhenPolicyTreeWouldOutgrowBcsLimitThenAsTheFullBuild() throws Exception {
        TestCa ca = rootOnly();
        PolicyInformation[] many = new PolicyInformation[7];
        for (int i = 0; i < 6; i++) {
            many[i] = new PolicyInformation(POLICY.branch(Integer.toString(i + 1)));
        }
        many[6] = new PolicyInformation(ANY_POLICY);
        SubCa issuing = SubCa.under(
                ca,
                "ZJHX Test Issuing CA",
                0,
                new SubCa.Ext(Extension.certificatePolicies, false, new CertificatePolicies(many)));
        TrustAnchors trust = TrustAnchors.of(List.of(ca.root(), issuing.certificate()));
        // Below the issuer's 7 nodes a leaf of anyPolicy grows 7 more: 15 in all, 2 for the leaf alone.
        Credential any = issuing.user(
                null,
                "东子",
                new SubCa.Ext(
                        Extension.certificatePolicies,
                        false,
                        new CertificatePolicies(new PolicyInformation(ANY_POLICY))));
        String limit = "org.bouncycastle.x509.max_policy_nodes";
        System.setProperty(limit, "10");
        try {
            validate(issuing.user(null, "西子"), List.of(), trust);

            assertThat(cold(any.certificate(), List.of(), trust)).isEqualTo(Reason.CERT_UNTRUSTED);
            assertReason(() -> validate(any, List.of(), trust), Reason.CERT_UNTRUSTED);
        } finally {
            System.clearProperty(limit);
        }
    }

    // time and trust

    @Test
    void validateWhenIntermediateExpiresAfterItsPathWasCachedThenCertExpiredForANewLeaf() throws Exception {
        TestCa ca = TestPki.provider("ZJHX")
                .ec()
                .withIntermediate()
                .clock(clock)
                .validity(NOW.minus(Duration.ofDays(30)), NOW.plus(Duration.ofDays(1)))
                .build();
        TrustAnchors trust = TrustAnchors.of(ca.caCertificates());
        Credential first =
                ca.user("西子").notAfter(NOW.plus(Duration.ofDays(300))).issue();
        Credential second =
                ca.user("东子").notAfter(NOW.plus(Duration.ofDays(300))).issue();
        validate(first, List.of(), trust);

        clock.advance(Duration.ofDays(2));

        assertReason(() -> validate(second, List.of(), trust), Reason.CERT_EXPIRED);
        assertReason(() -> validate(first, List.of(), trust), Reason.CERT_EXPIRED);
        assertThat(cold(second.certificate(), List.of(), trust)).isEqualTo(Reason.CERT_EXPIRED);
    }

    @Test
    void validateWhenLeafNotYetValidAndIntermediateExpiredByThenThenCertExpiredAsTheFullBuild() throws Exception {
        TestCa ca = TestPki.provider("ZJHX")
                .ec()
                .withIntermediate()
                .clock(clock)
                .validity(NOW.minus(Duration.ofDays(30)), NOW.plus(Duration.ofDays(1)))
                .build();
        TrustAnchors trust = TrustAnchors.of(ca.caCertificates());
        validate(ca.user("西子").issue(), List.of(), trust);
        // PKIX runs at the leaf's notBefore (the inspection of a certificate not yet valid), when its CA is not.
        Credential early = ca.user("东子")
                .notBefore(NOW.plus(Duration.ofDays(5)))
                .notAfter(NOW.plus(Duration.ofDays(300)))
                .issue();

        assertThat(cold(early.certificate(), List.of(), trust)).isEqualTo(Reason.CERT_EXPIRED);
        assertReason(() -> validate(early, List.of(), trust), Reason.CERT_EXPIRED);
    }

    @Test
    void validateWhenProviderTrustChangesThenKnownIssuerNotReused() throws Exception {
        TestCa ca = ca(KeyAlgorithm.EC_P256);
        TestCa other = ca(KeyAlgorithm.EC_P256);
        validate(ca.user("西子").issue(), List.of(), TrustAnchors.of(ca.caCertificates()));
        Credential second = ca.user("东子").issue();
        List<X509Certificate> widened = new ArrayList<>(ca.caCertificates());
        widened.add(other.root());

        validate(second, List.of(), TrustAnchors.of(widened));
        assertThat(validator.builds()).isEqualTo(2);

        Credential third = ca.user("南子").issue();
        assertReason(() -> validate(third, List.of(), TrustAnchors.of(other.caCertificates())), Reason.CERT_UNTRUSTED);
        assertThat(validator.builds()).isEqualTo(3);
    }

    private static SubCa.Ext policies(boolean withAnyPolicy) {
        List<PolicyInformation> policies = new ArrayList<>(List.of(new PolicyInformation(POLICY)));
        if (withAnyPolicy) {
            policies.add(new PolicyInformation(ANY_POLICY));
        }
        return new SubCa.Ext(
                Extension.certificatePolicies,
                false,
                new CertificatePolicies(policies.toArray(PolicyInformation[]::new)));
    }
}
