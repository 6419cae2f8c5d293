package org.cagate.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.cagate.pki.AssertionVerifier;
import org.cagate.pki.IdentityRule;
import org.cagate.pki.ProviderPolicy;
import org.cagate.pki.RevocationPolicy;
import org.cagate.pki.TrustAnchors;
import org.cagate.pki.pdf.PdfSignatureReport;
import org.cagate.pki.pdf.PdfSigner;
import org.cagate.pki.pdf.PdfVerifier;
import org.cagate.pki.pdf.PreparedPdf;
import org.cagate.pki.pdf.SealPlacement;
import org.cagate.pki.revocation.RevocationChecker;
import org.cagate.testca.Credential;
import org.cagate.testca.KeyAlgorithm;
import org.cagate.testca.TestCa;
import org.cagate.testca.TestPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * A PDF signed through the agent, end to end as the 签章 page does it: the server's PdfSigner prepares
 * it, the agent signs the digest over HTTP (PKCS#12 RSA, EC, SM2), PdfSigner completes it. Checked by
 * cagate's PdfVerifier, by poppler's pdfsig (RSA, EC) and, for SM2, by openssl dgst -sm3 over the
 * signed attributes taken out of the PDF.
 */
class AgentPdfSignTests {
    static final String ORIGIN = "https://zcy.example.gov.cn";
    static final String PIN = "735194";

    @TempDir
    static Path dir;

    static final List<TestCa> CAS = new ArrayList<>();
    static final java.util.Map<String, Credential> USERS = new java.util.HashMap<>();
    static Agent agent;
    static AgentClient page;

    @BeforeAll
    static void start() throws Exception {
        List<ProviderConfig> providers = new ArrayList<>();
        providers.add(soft("ZJHX", KeyAlgorithm.EC_P256));
        providers.add(soft("SCCA", KeyAlgorithm.RSA_2048));
        providers.add(soft("CFCA", KeyAlgorithm.SM2));
        agent = Agent.start(AgentConfig.of(List.of(ORIGIN), providers).withPort(0));
        page = new AgentClient(agent.port(), ORIGIN);
    }

    private static ProviderConfig soft(String code, KeyAlgorithm algorithm) throws Exception {
        TestCa ca =
                TestPki.provider(code).algorithm(algorithm).withIntermediate().build();
        Credential user = ca.user("西子").organization("培训省西子贸易集团").issue();
        Path folder = dir.resolve(code.toLowerCase());
        user.writePkcs12(folder.resolve("xizi.p12"), "xizi", PIN.toCharArray());
        CAS.add(ca);
        USERS.put(code, user);
        return ProviderConfig.pkcs12(code, code, folder);
    }

    @AfterAll
    static void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    @ParameterizedTest
    @CsvSource({"ZJHX, SHA256withECDSA", "SCCA, SHA256withRSA", "CFCA, SM3withSM2"})
    void signPdfThroughTheAgentThenCagateAndAnIndependentPeerVerifyIt(String provider, String algorithm)
            throws Exception {
        Clock clock = Clock.systemUTC(); // the agent runs on real time; so does this test's world
        PdfSigner signer = new PdfSigner(clock, 20L * 1024 * 1024);
        PreparedPdf prepared = signer.prepare(document(), new SealPlacement(1, 380, 80, 120, 120), seal(), "签章");

        RawHttp.Response response = page.signDocumentBody(("{\"provider\":\"" + provider + "\",\"pin\":\"" + PIN
                        + "\",\"documentName\":\"投标文件.pdf\",\"digests\":{\"SHA-256\":\""
                        + Base64.getEncoder().encodeToString(prepared.sha256()) + "\",\"SM3\":\""
                        + Base64.getEncoder().encodeToString(prepared.sm3()) + "\"}}")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.get("algorithm").asString()).isEqualTo(algorithm);
        byte[] signed = signer.complete(
                prepared, Base64.getDecoder().decode(body.get("signature").asString()));

        List<ProviderPolicy> policies = new ArrayList<>();
        for (TestCa ca : CAS) {
            policies.add(new ProviderPolicy(
                    ca.providerCode(),
                    TrustAnchors.of(List.of(ca.root())),
                    IdentityRule.SPKI_SHA256,
                    RevocationPolicy.NONE));
        }
        PdfSignatureReport report = new PdfVerifier(
                        new AssertionVerifier(clock, RevocationChecker.create(clock, new SecureRandom())),
                        policies,
                        20L * 1024 * 1024)
                .verify(signed)
                .get(0);
        assertThat(report.valid()).as(report.toString()).isTrue();
        assertThat(report.provider()).isEqualTo(provider);
        assertThat(report.algorithm()).isEqualTo(algorithm);

        Path file = Files.write(dir.resolve(provider + ".pdf"), signed);
        if (!provider.equals("CFCA")) {
            assumeTrue(Files.isExecutable(Path.of("/usr/bin/pdfsig")), "pdfsig (poppler-utils) not installed");
            Process pdfsig = new ProcessBuilder("pdfsig", "-nocert", file.toString())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(pdfsig.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(pdfsig.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(output)
                    .as(output)
                    .contains("Signature is Valid")
                    .contains("Total document signed")
                    .contains("CN=西子");
        } else {
            assumeTrue(OpenSsl.isAvailable(), "OpenSSL CLI not installed");
            byte[] contents;
            try (PDDocument document = Loader.loadPDF(signed);
                    ASN1InputStream in = new ASN1InputStream(
                            document.getSignatureDictionaries().get(0).getContents())) {
                contents = ContentInfo.getInstance(in.readObject()).getEncoded("DER");
            }
            OpenSsl.Result openssl = OpenSsl.verifySignedAttributes(
                    Files.createTempDirectory(dir, "openssl"),
                    USERS.get(provider).certificate(),
                    algorithm,
                    contents);
            assertThat(openssl.exitCode()).as(openssl.output()).isZero();
            assertThat(openssl.output()).contains("Verified OK");
        }
    }

    static byte[] document() throws Exception {
        try (PDDocument document = new PDDocument()) {
            document.addPage(new PDPage(PDRectangle.A4));
            document.addPage(new PDPage(PDRectangle.A4));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.save(out);
            return out.toByteArray();
        }
    }

    static byte[] seal() throws Exception {
        java.awt.image.BufferedImage image =
                new java.awt.image.BufferedImage(100, 100, java.awt.image.BufferedImage.TYPE_INT_ARGB);
        java.awt.Graphics2D g = image.createGraphics();
        g.setColor(java.awt.Color.RED);
        g.drawOval(5, 5, 90, 90);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
