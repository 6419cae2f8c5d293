package org.cagate.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.cagate.pki.revocation.RevocationChecker;
import org.cagate.pki.revocation.RevocationStatus;
import org.cagate.pki.testing.MutableClock;
import org.cagate.pki.testing.Sign;
import org.cagate.testca.Credential;
import org.cagate.testca.KeyAlgorithm;
import org.cagate.testca.TestCa;
import org.cagate.testca.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Steps 1-5 and 7 of {@link AssertionVerifier}; revocation (step 6) is in RevocationVerifierTests. */
class AssertionVerifierTests {
    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    private static final byte[] CHALLENGE = Sign.challenge("ZJHX");

    private final MutableClock clock = new MutableClock(NOW);
    private final AssertionVerifier verifier =
            new AssertionVerifier(clock, RevocationChecker.create(clock, new SecureRandom()));

    private TestCa ca(KeyAlgorithm algorithm) {
        return TestPki.provider("ZJHX")
                .algorithm(algorithm)
                .withIntermediate()
                .clock(clock)
                .build();
    }

    private static ProviderPolicy provider(TestCa ca, boolean withIntermediates) throws PkiException {
        List<X509Certificate> anchors = withIntermediates ? ca.caCertificates() : List.of(ca.root());
        return new ProviderPolicy("ZJHX", TrustAnchors.of(anchors), IdentityRule.SPKI_SHA256, RevocationPolicy.NONE);
    }

    // 1-7 together, for every algorithm and both formats

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void verifyWhenRawWithClientChainThenVerified(KeyAlgorithm algorithm) throws Exception {
        TestCa ca = ca(algorithm);
        Credential user = ca.user("西子").organization("培训省西子贸易集团").issue();
        if (algorithm == KeyAlgorithm.EC_P384) {
            // The wire contract names SHA256withECDSA; a P-384 key signs with it too.
            assertThat(Sign.algorithmOf(user)).isEqualTo(SignatureAlgorithm.SHA256_WITH_ECDSA);
        }

        VerifiedAssertion verified = verifier.verify(
                Sign.rawAssertion(user, CHALLENGE, user.chainWithoutRoot().subList(1, 2)),
                CHALLENGE,
                provider(ca, false));

        assertThat(verified.chain()).containsExactlyElementsOf(user.fullChain());
        assertThat(verified.keyId()).isEqualTo(IdentityRule.SPKI_SHA256.keyId(user.certificate()));
        assertThat(verified.keyId().value()).hasSize(64);
        assertThat(verified.details().subject()).contains("西子");
        assertThat(verified.format()).isEqualTo(Assertion.Format.RAW);
        assertThat(verified.tokenSerial()).isEqualTo("330400007180230SE");
        assertThat(verified.revocation()).isEqualTo(RevocationStatus.NOT_CHECKED);
        assertThat(verified.verifiedAt()).isEqualTo(NOW);
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void verifyWhenRawWithoutChainThenCompletedFromProviderIntermediates(KeyAlgorithm algorithm) throws Exception {
        TestCa ca = ca(algorithm);
        Credential user = ca.user("西子").issue();

        VerifiedAssertion verified =
                verifier.verify(Sign.rawAssertion(user, CHALLENGE, List.of()), CHALLENGE, provider(ca, true));

        assertThat(verified.chain()).containsExactlyElementsOf(user.fullChain());
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void verifyWhenCmsCarriesLeafAndChainThenSignerTakenFromCms(KeyAlgorithm algorithm) throws Exception {
        TestCa ca = ca(algorithm);
        Credential user = ca.user("西子").issue();

        VerifiedAssertion verified = verifier.verify(
                Sign.cmsAssertion(user, CHALLENGE, user.chainWithoutRoot().subList(1, 2)),
                CHALLENGE,
                provider(ca, false));

        assertThat(verified.certificate()).isEqualTo(user.certificate());
        assertThat(verified.format()).isEqualTo(Assertion.Format.CMS);
    }

    @Test
    void verifyWhenCmsWithGivenCertificateAndNoCertificatesInsideThenVerified() throws Exception {
        TestCa ca = ca(KeyAlgorithm.SM2);
        Credential user = ca.user("国密").issue();
        byte[] cms = Sign.cms(user, SignatureAlgorithm.SM3_WITH_SM2, CHALLENGE, List.of(), true);
        Assertion assertion = new Assertion(
                Assertion.Format.CMS,
                SignatureAlgorithm.SM3_WITH_SM2,
                Certificates.der(user.certificate()),
                List.of(),
                cms,
                null);

        assertThat(verifier.verify(assertion, CHALLENGE, provider(ca, true)).certificate())
                .isEqualTo(user.certificate());
    }

    // 1. parse

    @Test
    void verifyWhenLeafIsGarbageThenCertMalformed() throws Exception {
        TestCa ca = ca(KeyAlgorithm.EC_P256);
        Credential user = ca.user("西子").issue();
        Assertion good = Sign.rawAssertion(user, CHALLENGE, List.of());
        Assertion garbage = new Assertion(
                Assertion.Format.RAW,
                good.algorithm(),
                new byte[] {0x30, 0x03, 1, 2, 3},
                List.of(),
                good.signature(),
                null);

        assertReason(() -> verifier.verify(garbage, CHALLENGE, provider(ca, true)), Reason.CERT_MALFORMED);
    }

    @Test
    void verifyWhenChainElementIsTruncatedThenCertMalformed() throws Exception {
        TestCa ca = ca(KeyAlgorithm.EC_P256);
        Credential user = ca.user("西子").issue();
        Assertion good = Sign.rawAssertion(user, CHALLENGE, List.of());
        byte[] intermediate = Certificates.der(ca.intermediate().orElseThrow());
        Assertion truncated = new Assertion(
                Assertion.Format.RAW,
                good.algorithm(),
                good.certificate(),
                List.of(java.util.Arrays.copyOf(intermediate, intermediate.length - 10)),
                good.signature(),
                null);

        assertReason(() -> verifier.verify(truncated, CHALLENGE, provider(ca, true)), Reason.CERT_MALFORMED);
    }

    @Test
    void verifyWhenCmsWithoutAnyCertificateThenCertMalformed() throws Exception {
        TestCa ca = ca(KeyAlgorithm.EC_P256);
        Credential user = ca.user("西子").issue();
        byte[] cms = Sign.cms(user, SignatureAlgorithm.SHA256_WITH_ECDSA, CHALLENGE, List.of(), true);
        Assertion assertion =
                new Assertion(Assertion.Format.CMS, SignatureAlgorithm.SHA256_WITH_ECDSA, null, List.of(), cms, null);

        assertReason(() -> verifier.verify(assertion, CHALLENGE, provider(ca, true)), Reason.CERT_MALFORMED);
    }

    @Test
    void verifyWhenChallengeBytesEmptyThenChallengeMalformed() throws Exception {
        TestCa ca = ca(KeyAlgorithm.EC_P256);
        Credential user = ca.user("西子").issue();

        assertReason(
                () -> verifier.verify(Sign.rawAssertion(user, CHALLENGE, List.of()), new byte[0], provider(ca, true)),
                Reason.CHALLENGE_MALFORMED);
    }

    // 4. path

    @Test
    void verifyWhenIssuedByAnotherProvidersCaThenCertUntrusted() throws Exception {
        TestCa ours = ca(KeyAlgorithm.EC_P256);
        TestCa theirs = ca(KeyAlgorithm.EC_P256);
        Credential stranger = theirs.user("外人").issue();

        assertReason(
                () -> verifier.verify(
                        Sign.rawAssertion(
                                stranger, CHALLENGE, stranger.chainWithoutRoot().subList(1, 2)),
                        CHALLENGE,
                        provider(ours, true)),
                Reason.CERT_UNTRUSTED);
    }

    @Test
    void verifyWhenClientOmitsIntermediateAndProviderHasNoneThenCertUntrusted() throws Exception {
        TestCa ca = ca(KeyAlgorithm.RSA_2048);
        Credential user = ca.user("西子").issue();

        assertReason(
                () -> verifier.verify(Sign.rawAssertion(user, CHALLENGE, List.of()), CHALLENGE, provider(ca, false)),
                Reason.CERT_UNTRUSTED);
    }

    @Test
    void verifyWhenLeafIsAnotherCasRootSignedByUserKeyThenSignatureInvalid() throws Exception {
        TestCa ca = ca(KeyAlgorithm.EC_P256);
        TestCa lone = TestPki.provider("LONE").ec().clock(clock).build();
        // A root certificate of another CA presented as the "user" certificate; its key signs.
        Credential user = ca.user("西子").issue();

        Assertion assertion = new Assertion(
                Assertion.Format.RAW,
                SignatureAlgorithm.SHA256_WITH_ECDSA,
                Certificates.der(lone.root()),
                List.of(),
                Sign.raw(user, SignatureAlgorithm.SHA256_WITH_ECDSA, CHALLENGE),
                null);

        // The signature step fails first: the root's key did not sign. Either way it is refused.
        assertReason(() -> verifier.verify(assertion, CHALLENGE, provider(ca, true)), Reason.SIGNATURE_INVALID);
    }

    @Test
    void verifyWhenIntermediateExpiredThenCertExpired() throws Exception {
        TestCa ca = TestPki.provider("ZJHX")
                .ec()
                .withIntermediate()
                .clock(clock)
                .validity(NOW.minus(Duration.ofDays(30)), NOW.minus(Duration.ofDays(1)))
                .build();
        Credential user = ca.user("西子").issue();

        assertReason(
                () -> verifier.verify(Sign.rawAssertion(user, CHALLENGE, List.of()), CHALLENGE, provider(ca, true)),
                Reason.CERT_EXPIRED);
    }

    @Test
    void verifyWhenPathCachedAndIntermediateExpiresLaterThenCertExpired() throws Exception {
        TestCa ca = TestPki.provider("ZJHX")
                .ec()
                .withIntermediate()
                .clock(clock)
                .validity(NOW.minus(Duration.ofDays(30)), NOW.plus(Duration.ofDays(1)))
                .build();
        Credential user = ca.user("西子").notAfter(NOW.plus(Duration.ofDays(300))).issue();
        Assertion assertion = Sign.rawAssertion(user, CHALLENGE, List.of());
        ProviderPolicy provider = provider(ca, true);
        verifier.verify(assertion, CHALLENGE, provider);

        clock.advance(Duration.ofDays(2));

        assertReason(() -> verifier.verify(assertion, CHALLENGE, provider), Reason.CERT_EXPIRED);
    }

    @Test
    void verifyWhenIssuerKnownAndIntermediateExpiresLaterThenCertExpiredForANewUser() throws Exception {
        TestCa ca = TestPki.provider("ZJHX")
                .sm2()
                .withIntermediate()
                .clock(clock)
                .validity(NOW.minus(Duration.ofDays(30)), NOW.plus(Duration.ofDays(1)))
                .build();
        ProviderPolicy provider = provider(ca, true);
        Credential first =
                ca.user("西子").notAfter(NOW.plus(Duration.ofDays(300))).issue();
        Credential second =
                ca.user("东子").notAfter(NOW.plus(Duration.ofDays(300))).issue();
        verifier.verify(Sign.rawAssertion(first, CHALLENGE, List.of()), CHALLENGE, provider);
        assertThat(verifier.verify(Sign.cmsAssertion(second, CHALLENGE, List.of()), CHALLENGE, provider)
                        .chain())
                .containsExactlyElementsOf(second.fullChain());
        Credential third =
                ca.user("南子").notAfter(NOW.plus(Duration.ofDays(300))).issue();

        clock.advance(Duration.ofDays(2));

        assertReason(
                () -> verifier.verify(Sign.rawAssertion(third, CHALLENGE, List.of()), CHALLENGE, provider),
                Reason.CERT_EXPIRED);
        assertThat(verifier.inspect(third.certificate(), List.of(), provider).findings())
                .extracting(CertificateInspection.Finding::reason)
                .containsExactly(Reason.CERT_EXPIRED);
    }

    @Test
    void verifyWhenProviderAnchorsReplacedThenCachedPathNotUsed() throws Exception {
        TestCa ca = ca(KeyAlgorithm.EC_P256);
        TestCa other = ca(KeyAlgorithm.EC_P256);
        Credential user = ca.user("西子").issue();
        Assertion assertion = Sign.rawAssertion(user, CHALLENGE, List.of());
        verifier.verify(assertion, CHALLENGE, provider(ca, true));

        ProviderPolicy replaced = provider(other, true);

        assertReason(() -> verifier.verify(assertion, CHALLENGE, replaced), Reason.CERT_UNTRUSTED);
    }

    // 3. validity

    @Test
    void verifyWhenLeafExpiredThenCertExpired() throws Exception {
        TestCa ca = ca(KeyAlgorithm.SM2);
        Credential user = ca.user("过期").validFor(Duration.ofDays(-1)).issue();

        assertReason(
                () -> verifier.verify(Sign.rawAssertion(user, CHALLENGE, List.of()), CHALLENGE, provider(ca, true)),
                Reason.CERT_EXPIRED);
    }

    @Test
    void verifyWhenLeafNotYetValidThenCertNotYetValid() throws Exception {
        TestCa ca = ca(KeyAlgorithm.RSA_2048);
        Credential user = ca.user("未来")
                .notBefore(NOW.plus(Duration.ofDays(1)))
                .notAfter(NOW.plus(Duration.ofDays(30)))
                .issue();

        assertReason(
                () -> verifier.verify(Sign.rawAssertion(user, CHALLENGE, List.of()), CHALLENGE, provider(ca, true)),
                Reason.CERT_NOT_YET_VALID);
    }

    @Test
    void verifyWhenVerifiedOnceAndLeafExpiresThenCertExpiredAtTheLaterClock() throws Exception {
        TestCa ca = ca(KeyAlgorithm.EC_P256);
        Credential user = ca.user("西子").notAfter(NOW.plus(Duration.ofHours(1))).issue();
        Assertion assertion = Sign.rawAssertion(user, CHALLENGE, List.of());
        ProviderPolicy provider = provider(ca, true);
        verifier.verify(assertion, CHALLENGE, provider);

        clock.advance(Duration.ofHours(2));

        assertReason(() -> verifier.verify(assertion, CHALLENGE, provider), Reason.CERT_EXPIRED);
    }

    // 5. key usage

    @Test
    void verifyWhenKeyUsageOnlyKeyEnciphermentThenCertUsage() throws Exception {
        TestCa ca = ca(KeyAlgorithm.RSA_2048);
        Credential user = ca.user("加密").keyUsage(KeyUsage.keyEncipherment).issue();

        assertReason(
                () -> verifier.verify(Sign.rawAssertion(user, CHALLENGE, List.of()), CHALLENGE, provider(ca, true)),
                Reason.CERT_USAGE);
    }

    @Test
    void verifyWhenKeyUsageOnlyNonRepudiationThenVerified() throws Exception {
        TestCa ca = ca(KeyAlgorithm.SM2);
        Credential user = ca.user("签名").keyUsage(KeyUsage.nonRepudiation).issue();

        assertThat(verifier.verify(Sign.rawAssertion(user, CHALLENGE, List.of()), CHALLENGE, provider(ca, true)))
                .isNotNull();
    }

    @Test
    void verifyWhenNoKeyUsageExtensionThenVerified() throws Exception {
        TestCa ca = ca(KeyAlgorithm.EC_P256);
        Credential user = ca.user("无限制").noKeyUsage().issue();

        assertThat(verifier.verify(Sign.rawAssertion(user, CHALLENGE, List.of()), CHALLENGE, provider(ca, true)))
                .isNotNull();
    }

    // 7. key id

    @Test
    void verifyWhenRuleIsExtensionThenKeyIdFromGmt0015Extension() throws Exception {
        TestCa ca = ca(KeyAlgorithm.SM2);
        Credential user = ca.user("西子")
                .printableExtension("1.2.156.10260.4.1.1", "330106199001011234")
                .issue();
        ProviderPolicy provider = new ProviderPolicy(
                "ZJHX",
                TrustAnchors.of(ca.caCertificates()),
                IdentityRule.extension("1.2.156.10260.4.1.1"),
                RevocationPolicy.NONE);

        VerifiedAssertion verified =
                verifier.verify(Sign.rawAssertion(user, CHALLENGE, List.of()), CHALLENGE, provider);

        assertThat(verified.keyId()).isEqualTo(new KeyId("330106199001011234"));
    }

    @Test
    void verifyWhenRuleExtensionMissingThenCertMalformed() throws Exception {
        TestCa ca = ca(KeyAlgorithm.SM2);
        Credential user = ca.user("西子").issue();
        ProviderPolicy provider = new ProviderPolicy(
                "ZJHX",
                TrustAnchors.of(ca.caCertificates()),
                IdentityRule.extension("1.2.156.10260.4.1.1"),
                RevocationPolicy.NONE);

        assertReason(
                () -> verifier.verify(Sign.rawAssertion(user, CHALLENGE, List.of()), CHALLENGE, provider),
                Reason.CERT_MALFORMED);
    }

    @Test
    void verifyWhenCertificateRenewedOnSameKeyThenSameSpkiKeyId() throws Exception {
        TestCa ca = ca(KeyAlgorithm.EC_P256);
        Credential first = ca.user("西子").issue();
        Credential renewed = ca.user("西子").keyPair(first.keyPair()).issue();

        KeyId before = verifier.verify(Sign.rawAssertion(first, CHALLENGE, List.of()), CHALLENGE, provider(ca, true))
                .keyId();
        KeyId after = verifier.verify(Sign.rawAssertion(renewed, CHALLENGE, List.of()), CHALLENGE, provider(ca, true))
                .keyId();

        assertThat(after).isEqualTo(before);
        assertThat(renewed.certificate().getSerialNumber())
                .isNotEqualTo(first.certificate().getSerialNumber());
    }

    @Test
    void verifyWhenManyThreadsShareOneVerifierThenEveryAnswerIsItsOwn() throws Exception {
        TestCa ec = ca(KeyAlgorithm.EC_P256);
        TestCa sm2 = ca(KeyAlgorithm.SM2);
        ProviderPolicy ecProvider = provider(ec, true);
        ProviderPolicy sm2Provider = provider(sm2, true);
        Credential good = ec.user("好").issue();
        Credential expired = ec.user("过期").validFor(Duration.ofDays(-1)).issue();
        Credential gm = sm2.user("国密").issue();
        List<java.util.concurrent.Callable<Object>> calls = new java.util.ArrayList<>();
        for (int i = 0; i < 60; i++) {
            int n = i;
            calls.add(() -> switch (n % 4) {
                case 0 ->
                    verifier.verify(Sign.rawAssertion(good, CHALLENGE, List.of()), CHALLENGE, ecProvider)
                            .keyId();
                case 1 ->
                    verifier.verify(Sign.cmsAssertion(gm, CHALLENGE, List.of()), CHALLENGE, sm2Provider)
                            .keyId();
                case 2 ->
                    reason(() ->
                            verifier.verify(Sign.rawAssertion(expired, CHALLENGE, List.of()), CHALLENGE, ecProvider));
                default ->
                    reason(() ->
                            verifier.verify(Sign.rawAssertion(good, CHALLENGE, List.of()), CHALLENGE, sm2Provider));
            });
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<Object>> results = pool.invokeAll(calls);
            for (int i = 0; i < results.size(); i++) {
                Object expected = switch (i % 4) {
                    case 0 -> IdentityRule.SPKI_SHA256.keyId(good.certificate());
                    case 1 -> IdentityRule.SPKI_SHA256.keyId(gm.certificate());
                    case 2 -> Reason.CERT_EXPIRED;
                    default -> Reason.CERT_UNTRUSTED;
                };
                assertThat(results.get(i).get()).as("call " + i).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static Reason reason(java.util.concurrent.Callable<?> call) throws Exception {
        try {
            call.call();
            return null;
        } catch (PkiException e) {
            return e.reason();
        }
    }

    // inspect

    @Test
    void inspectWhenExpiredAndWrongUsageThenBothFindingsAndStillTrusted() throws Exception {
        TestCa ca = ca(KeyAlgorithm.EC_P256);
        Credential user = ca.user("检测")
                .validFor(Duration.ofDays(-1))
                .keyUsage(KeyUsage.keyEncipherment)
                .issue();

        CertificateInspection inspection = verifier.inspect(user.certificate(), List.of(), provider(ca, true));

        assertThat(inspection.acceptable()).isFalse();
        assertThat(inspection.findings())
                .extracting(CertificateInspection.Finding::reason)
                .containsExactly(Reason.CERT_EXPIRED, Reason.CERT_USAGE);
        assertThat(inspection.chain()).hasSize(3);
        assertThat(inspection.keyId()).isNotNull();
        assertThat(inspection.details().subject()).contains("检测");
    }

    @Test
    void inspectWhenGoodThenAcceptableWithKeyId() throws Exception {
        TestCa ca = ca(KeyAlgorithm.SM2);
        Credential user = ca.user("检测").issue();

        CertificateInspection inspection = verifier.inspect(user.certificate(), List.of(), provider(ca, true));

        assertThat(inspection.acceptable()).isTrue();
        assertThat(inspection.revocation()).isEqualTo(RevocationStatus.NOT_CHECKED);
        assertThat(inspection.keyId()).isEqualTo(IdentityRule.SPKI_SHA256.keyId(user.certificate()));
    }

    @Test
    void inspectWhenUntrustedThenFindingAndNoRevocation() throws Exception {
        TestCa ca = ca(KeyAlgorithm.SM2);
        Credential stranger = ca(KeyAlgorithm.SM2).user("外人").issue();

        CertificateInspection inspection = verifier.inspect(stranger.certificate(), List.of(), provider(ca, true));

        assertThat(inspection.has(Reason.CERT_UNTRUSTED)).isTrue();
        assertThat(inspection.revocation()).isNull();
    }

    static void assertReason(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Reason reason) {
        assertThatThrownBy(call)
                .isInstanceOf(PkiException.class)
                .satisfies(e -> assertThat(((PkiException) e).reason())
                        .as(e.getMessage())
                        .isEqualTo(reason));
    }
}
