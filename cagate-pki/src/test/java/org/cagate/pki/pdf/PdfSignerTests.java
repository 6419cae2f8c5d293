package org.cagate.pki.pdf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.cagate.pki.AssertionVerifier;
import org.cagate.pki.IdentityRule;
import org.cagate.pki.ProviderPolicy;
import org.cagate.pki.Reason;
import org.cagate.pki.RevocationPolicy;
import org.cagate.pki.TrustAnchors;
import org.cagate.pki.revocation.RevocationChecker;
import org.cagate.pki.sign.Signer;
import org.cagate.pki.testing.RevocationServer;
import org.cagate.testca.Credential;
import org.cagate.testca.KeyAlgorithm;
import org.cagate.testca.TestCa;
import org.cagate.testca.TestPki;
import org.cagate.testca.TsaServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** 签章 and 验章 in cagate-pki: PDFBox external signing with the seal, and the verifier, with pdfsig as a peer. */
class PdfSignerTests {
    /** The test's one clock: the CAs issue from it, the PDF is dated by it and verified at it. */
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T10:00:00Z"), ZoneOffset.UTC);

    private static final long MAX = 20L * 1024 * 1024;
    private static final SealPlacement PLACEMENT = new SealPlacement(1, 380, 80, 120, 120);

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(
            value = KeyAlgorithm.class,
            names = {"RSA_2048", "EC_P256", "SM2"})
    void signWhenSealPlacedThenVerifierAndPdfsigFindOneValidSignatureOverTheWholeDocument(KeyAlgorithm type)
            throws Exception {
        TestCa ca = ca("ZJHX", type);
        Credential user = ca.user("西子").organization("培训省西子贸易集团").issue();

        byte[] signed = sign(Pdfs.document(2), user, PLACEMENT);

        List<PdfSignatureReport> reports = verifier(ca).verify(signed);
        assertThat(reports).hasSize(1);
        PdfSignatureReport report = reports.get(0);
        assertThat(report.valid()).as(report.toString()).isTrue();
        assertThat(report.intact()).isTrue();
        assertThat(report.coverage()).isEqualTo(PdfSignatureReport.Coverage.WHOLE_DOCUMENT);
        assertThat(report.provider()).isEqualTo("ZJHX");
        assertThat(report.signer()).contains("CN=西子");
        assertThat(report.signingTime()).isEqualTo(CLOCK.instant());
        assertThat(report.algorithm())
                .isEqualTo(
                        Signer.algorithmFor(user.certificate().getPublicKey()).wireName());
        try (PDDocument document = Loader.loadPDF(signed)) {
            var widget = document.getSignatureFields().get(0).getWidgets().get(0);
            assertThat(widget.getAppearance().getNormalAppearance()).isNotNull();
            assertThat(document.getPage(0).getAnnotations()).contains(widget);
            assertThat(widget.getRectangle().getWidth()).isEqualTo(120f);
        }
        if (type != KeyAlgorithm.SM2) { // poppler (NSS) does not know SM2; see docs/signing.md
            assumeTrue(Pdfs.pdfsigAvailable(), "pdfsig (poppler-utils) not installed");
            Pdfs.PdfSig pdfsig = Pdfs.pdfsig(Files.write(dir.resolve("signed.pdf"), signed));
            assertThat(pdfsig.output())
                    .as(pdfsig.output())
                    .contains("Signature #1")
                    .contains("Signature is Valid")
                    .contains("Total document signed")
                    .contains("ETSI.CAdES.detached");
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = KeyAlgorithm.class,
            names = {"RSA_2048", "SM2"})
    void completeWhenTsaConfiguredThenBtSignatureWithTheTsaTimeAndStillValid(KeyAlgorithm type) throws Exception {
        TestCa ca = ca("ZJHX", type);
        Credential user = ca.user("西子").issue();
        PdfSigner signer = new PdfSigner(CLOCK, MAX);
        PreparedPdf prepared = signer.prepare(Pdfs.document(1), PLACEMENT, Pdfs.seal(), "签章");
        Signer key = Signer.of(user.keyPair().getPrivate(), user.certificate())
                .chain(user.caCertificates())
                .clock(CLOCK);
        byte[] cms = key.signDigest(type == KeyAlgorithm.SM2 ? prepared.sm3() : prepared.sha256())
                .signature();

        byte[] signed;
        try (TsaServer tsa = TsaServer.start(ca)) {
            signed = signer.complete(prepared, cms, stamper(tsa.url()));
            assertThat(tsa.requests.get()).isEqualTo(1);
        }

        PdfSignatureReport report = verifier(ca).verify(signed).get(0);
        assertThat(report.valid()).as(report.toString()).isTrue();
        assertThat(report.timestamp()).isEqualTo(CLOCK.instant());
        if (type != KeyAlgorithm.SM2 && Pdfs.pdfsigAvailable()) {
            Pdfs.PdfSig pdfsig = Pdfs.pdfsig(Files.write(dir.resolve("bt.pdf"), signed));
            assertThat(pdfsig.output()).as(pdfsig.output()).contains("Signature is Valid");
        }
    }

    @Test
    void completeWhenTsaDoesNotAnswerThenTimestampUnavailableAndNoPdf() throws Exception {
        TestCa ca = ca("ZJHX", KeyAlgorithm.EC_P256);
        Credential user = ca.user("西子").issue();
        PdfSigner signer = new PdfSigner(CLOCK, MAX);
        PreparedPdf prepared = signer.prepare(Pdfs.document(1), PLACEMENT, Pdfs.seal(), null);
        byte[] cms = Signer.of(user.keyPair().getPrivate(), user.certificate())
                .clock(CLOCK)
                .signDigest(prepared.sha256())
                .signature();
        String gone;
        try (TsaServer tsa = TsaServer.start(ca)) {
            gone = tsa.url();
        }

        assertThatThrownBy(() -> signer.complete(prepared, cms, stamper(gone)))
                .isInstanceOfSatisfying(
                        PdfException.class,
                        e -> assertThat(e.reason()).isEqualTo(PdfException.Reason.TIMESTAMP_UNAVAILABLE))
                .hasMessageContaining("时间戳服务");
    }

    @Test
    void verifyWhenNoTsaThenNoTimestamp() throws Exception {
        TestCa ca = ca("ZJHX", KeyAlgorithm.EC_P256);

        PdfSignatureReport report = verifier(ca)
                .verify(sign(Pdfs.document(1), ca.user("西子").issue(), PLACEMENT))
                .get(0);

        assertThat(report.timestamp()).isNull();
    }

    private static TimeStamper stamper(String url) {
        return new TimeStamper(
                java.net.URI.create(url),
                org.cagate.pki.revocation.HttpFetcher.create(Duration.ofSeconds(2), Duration.ofSeconds(5)),
                new SecureRandom());
    }

    @Test
    void verifyWhenOneByteChangedAfterSigningThenNotIntact() throws Exception {
        TestCa ca = ca("ZJHX", KeyAlgorithm.EC_P256);
        byte[] signed = sign(Pdfs.document(1), ca.user("西子").issue(), PLACEMENT);
        byte[] changed = signed.clone();
        changed[indexOf(changed, "%PDF-") + 3] = '2'; // %PDF-1.4 becomes %PDF-2.4: still a PDF to the parser

        PdfSignatureReport report = verifier(ca).verify(changed).get(0);

        assertThat(report.intact()).isFalse();
        assertThat(report.valid()).isFalse();
        assertThat(report.problem()).contains("签名后文档内容被修改");
        if (Pdfs.pdfsigAvailable()) {
            Pdfs.PdfSig pdfsig = Pdfs.pdfsig(Files.write(dir.resolve("changed.pdf"), changed));
            assertThat(pdfsig.output()).doesNotContain("Signature is Valid");
        }
    }

    @Test
    void verifyWhenUnsignedRevisionAppendedThenChangedAfter() throws Exception {
        TestCa ca = ca("ZJHX", KeyAlgorithm.EC_P256);
        byte[] signed = sign(Pdfs.document(1), ca.user("西子").issue(), PLACEMENT);
        byte[] updated;
        try (PDDocument document = Loader.loadPDF(signed)) {
            document.getDocumentInformation().setTitle("changed after signing");
            document.getDocumentInformation().getCOSObject().setNeedToBeUpdated(true);
            var out = new java.io.ByteArrayOutputStream();
            document.saveIncremental(out);
            updated = out.toByteArray();
        }

        PdfSignatureReport report = verifier(ca).verify(updated).get(0);

        assertThat(report.intact()).isTrue();
        assertThat(report.coverage()).isEqualTo(PdfSignatureReport.Coverage.CHANGED_AFTER);
        assertThat(report.valid()).isFalse();
    }

    @Test
    void signWhenSecondSignerThenBothValidAndTheFirstCoveredByLaterSignaturesOnly() throws Exception {
        TestCa zjhx = ca("ZJHX", KeyAlgorithm.EC_P256);
        TestCa scca = ca("SCCA", KeyAlgorithm.RSA_2048);
        byte[] once = sign(Pdfs.document(2), zjhx.user("西子").issue(), PLACEMENT);

        byte[] twice = sign(once, scca.user("东子").issue(), new SealPlacement(2, 100, 80, 120, 120));

        List<PdfSignatureReport> reports = verifier(zjhx, scca).verify(twice);
        assertThat(reports).hasSize(2);
        assertThat(reports).allMatch(PdfSignatureReport::valid);
        assertThat(reports.get(0).coverage()).isEqualTo(PdfSignatureReport.Coverage.LATER_SIGNATURES_ONLY);
        assertThat(reports.get(0).provider()).isEqualTo("ZJHX");
        assertThat(reports.get(1).coverage()).isEqualTo(PdfSignatureReport.Coverage.WHOLE_DOCUMENT);
        assertThat(reports.get(1).provider()).isEqualTo("SCCA");
        if (Pdfs.pdfsigAvailable()) {
            Pdfs.PdfSig pdfsig = Pdfs.pdfsig(Files.write(dir.resolve("twice.pdf"), twice));
            assertThat(pdfsig.output()).contains("Signature #2");
            assertThat(pdfsig.output().split("Signature is Valid", -1)).hasSize(3);
        }
    }

    @Test
    void verifyWhenCertificateExpiredOrFromAnUnknownCaThenFindingsNotValid() throws Exception {
        TestCa ca = ca("ZJHX", KeyAlgorithm.EC_P256);
        Credential user = ca.user("西子").issue();
        byte[] signed = sign(Pdfs.document(1), user, PLACEMENT);
        Clock later = Clock.offset(
                CLOCK,
                Duration.between(
                                CLOCK.instant(),
                                user.certificate().getNotAfter().toInstant())
                        .plusDays(1));

        PdfSignatureReport expired = verifier(later, List.of(ca)).verify(signed).get(0);
        PdfSignatureReport unknown =
                verifier(ca("SCCA", KeyAlgorithm.EC_P256)).verify(signed).get(0);

        assertThat(expired.intact()).isTrue();
        assertThat(expired.findings()).contains(Reason.CERT_EXPIRED.name());
        assertThat(expired.valid()).isFalse();
        assertThat(unknown.provider()).isNull();
        assertThat(unknown.findings()).contains(Reason.CERT_UNTRUSTED.name());
        assertThat(unknown.valid()).isFalse();
    }

    @Test
    void signWhenCertificateAlreadyExpiredAtSigningThenIntactWithCertExpiredNotAChangedDocument() throws Exception {
        TestCa ca = ca("ZJHX", KeyAlgorithm.EC_P256);
        Credential expired = ca.user("西子")
                .notBefore(CLOCK.instant().minus(Duration.ofDays(400)))
                .notAfter(CLOCK.instant().minus(Duration.ofDays(2)))
                .issue();

        PdfSignatureReport report =
                verifier(ca).verify(sign(Pdfs.document(1), expired, PLACEMENT)).get(0);

        assertThat(report.intact()).isTrue();
        assertThat(report.problem()).isNull();
        assertThat(report.findings()).contains(Reason.CERT_EXPIRED.name());
        assertThat(report.valid()).isFalse();
    }

    @Test
    void verifyWhenCertificateRevokedThenRevokedFinding() throws Exception {
        TestCa ca = ca("ZJHX", KeyAlgorithm.EC_P256);
        Credential user = ca.user("西子").issue();
        byte[] signed = sign(Pdfs.document(1), user, PLACEMENT);
        ca.revoke(user.certificate(), 1);
        PdfSignatureReport report;
        try (RevocationServer server = RevocationServer.start(ca, CLOCK)) {
            ProviderPolicy policy = new ProviderPolicy(
                    "ZJHX",
                    TrustAnchors.of(List.of(ca.root())),
                    IdentityRule.SPKI_SHA256,
                    RevocationPolicy.crl(false, server.crlUrl()));
            report = new PdfVerifier(
                            new AssertionVerifier(CLOCK, RevocationChecker.create(CLOCK, new SecureRandom())),
                            List.of(policy),
                            MAX)
                    .verify(signed)
                    .get(0);
        }

        assertThat(report.findings()).contains(Reason.CERT_REVOKED.name());
        assertThat(report.valid()).isFalse();
    }

    @Test
    void prepareWhenEncryptedDamagedTooLargeOrSealOffThePageThenReasonAndChineseMessage() throws Exception {
        PdfSigner signer = new PdfSigner(CLOCK, MAX);
        byte[] seal = Pdfs.seal();

        assertThatThrownBy(() -> signer.prepare(Pdfs.encrypted(), PLACEMENT, seal, null))
                .isInstanceOfSatisfying(
                        PdfException.class, e -> assertThat(e.reason()).isEqualTo(PdfException.Reason.PDF_ENCRYPTED))
                .hasMessageContaining("已加密");
        assertThatThrownBy(() -> signer.prepare("not a pdf at all".getBytes(), PLACEMENT, seal, null))
                .isInstanceOfSatisfying(
                        PdfException.class, e -> assertThat(e.reason()).isEqualTo(PdfException.Reason.PDF_DAMAGED))
                .hasMessageContaining("已损坏");
        byte[] document = Pdfs.document(1);
        assertThatThrownBy(() -> new PdfSigner(CLOCK, document.length - 1).prepare(document, PLACEMENT, seal, null))
                .isInstanceOfSatisfying(
                        PdfException.class, e -> assertThat(e.reason()).isEqualTo(PdfException.Reason.PDF_TOO_LARGE));
        assertThatThrownBy(() -> signer.prepare(document, new SealPlacement(2, 10, 10, 100, 100), seal, null))
                .isInstanceOfSatisfying(
                        PdfException.class, e -> assertThat(e.reason()).isEqualTo(PdfException.Reason.PDF_PLACEMENT))
                .hasMessageContaining("只有 1 页");
        assertThatThrownBy(() -> signer.prepare(document, new SealPlacement(1, 560, 10, 100, 100), seal, null))
                .isInstanceOfSatisfying(
                        PdfException.class, e -> assertThat(e.reason()).isEqualTo(PdfException.Reason.PDF_PLACEMENT));
        assertThatThrownBy(() -> signer.prepare(document, PLACEMENT, "GIF89a?".getBytes(), null))
                .isInstanceOfSatisfying(
                        PdfException.class, e -> assertThat(e.reason()).isEqualTo(PdfException.Reason.SEAL_INVALID));
    }

    @Test
    void readWhenPreparedBytesComeBackThenSameRangeAndDigestsAndSignedOnesAreRefused() throws Exception {
        TestCa ca = ca("ZJHX", KeyAlgorithm.EC_P256);
        PdfSigner signer = new PdfSigner(CLOCK, MAX);
        PreparedPdf prepared = signer.prepare(Pdfs.document(1), PLACEMENT, Pdfs.seal(), null);

        PreparedPdf back = PreparedPdf.read(prepared.bytes());

        assertThat(back.byteRange()).isEqualTo(prepared.byteRange());
        assertThat(back.sha256()).isEqualTo(prepared.sha256());
        assertThat(back.sm3()).isEqualTo(prepared.sm3());
        byte[] signed = sign(Pdfs.document(1), ca.user("西子").issue(), PLACEMENT);
        assertThatThrownBy(() -> PreparedPdf.read(signed))
                .isInstanceOfSatisfying(
                        PdfException.class, e -> assertThat(e.reason()).isEqualTo(PdfException.Reason.PDF_DAMAGED));
        assertThatThrownBy(() -> PreparedPdf.read(Pdfs.document(1))).isInstanceOf(PdfException.class);
    }

    @Test
    void completeWhenCmsSignsAnotherDocumentThenSignatureMismatch() throws Exception {
        TestCa ca = ca("ZJHX", KeyAlgorithm.EC_P256);
        Credential user = ca.user("西子").issue();
        PdfSigner signer = new PdfSigner(CLOCK, MAX);
        PreparedPdf first = signer.prepare(Pdfs.document(1), PLACEMENT, Pdfs.seal(), null);
        PreparedPdf second = signer.prepare(Pdfs.document(2), PLACEMENT, Pdfs.seal(), null);
        byte[] cms = Signer.of(user.keyPair().getPrivate(), user.certificate())
                .clock(CLOCK)
                .signDigest(second.sha256())
                .signature();

        assertThatThrownBy(() -> signer.complete(first, cms))
                .isInstanceOfSatisfying(
                        PdfException.class,
                        e -> assertThat(e.reason()).isEqualTo(PdfException.Reason.SIGNATURE_MISMATCH));
    }

    static byte[] sign(byte[] pdf, Credential user, SealPlacement placement) throws Exception {
        PdfSigner signer = new PdfSigner(CLOCK, MAX);
        PreparedPdf prepared = signer.prepare(pdf, placement, Pdfs.seal(), "签章");
        Signer key = Signer.of(user.keyPair().getPrivate(), user.certificate())
                .chain(user.caCertificates())
                .clock(CLOCK);
        byte[] digest = key.algorithm().digest().equals("SM3") ? prepared.sm3() : prepared.sha256();
        return signer.complete(prepared, key.signDigest(digest).signature());
    }

    private static TestCa ca(String code, KeyAlgorithm type) {
        return TestPki.provider(code)
                .algorithm(type)
                .withIntermediate()
                .clock(CLOCK)
                .build();
    }

    private static PdfVerifier verifier(TestCa... cas) throws Exception {
        return verifier(CLOCK, List.of(cas));
    }

    private static PdfVerifier verifier(Clock clock, List<TestCa> cas) throws Exception {
        List<ProviderPolicy> policies = new ArrayList<>();
        for (TestCa ca : cas) {
            policies.add(new ProviderPolicy(
                    ca.providerCode(),
                    TrustAnchors.of(List.of(ca.root())),
                    IdentityRule.SPKI_SHA256,
                    RevocationPolicy.NONE));
        }
        return new PdfVerifier(
                new AssertionVerifier(clock, RevocationChecker.create(clock, new SecureRandom())), policies, MAX);
    }

    private static int indexOf(byte[] haystack, String needle) {
        byte[] n = needle.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + n.length <= haystack.length; i++) {
            for (int j = 0; j < n.length; j++) {
                if (haystack[i + j] != n[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalArgumentException(needle + " not found");
    }
}
