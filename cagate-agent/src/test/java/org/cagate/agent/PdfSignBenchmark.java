package org.cagate.agent;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
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

/**
 * Time to sign and to verify a 10 MB PDF (docs/benchmarks.md): the server's prepare, the agent's
 * /v1/sign-document over HTTP (PKCS#12, in-process), the server's complete, and 验章; per key type.
 * Not a test: run by hand, {@code PdfSignBenchmark [rounds]}.
 */
public final class PdfSignBenchmark {
    static final String ORIGIN = "https://zcy.example.gov.cn";
    static final String PIN = "735194";

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path dir = Files.createTempDirectory("pdf-bench");
        byte[] pdf = tenMegabytes();
        System.out.printf(
                "PDF %.1f MB, %d rounds after 3 warm-up, %d CPUs, Java %s%n",
                pdf.length / 1e6,
                rounds,
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        for (KeyAlgorithm type : List.of(KeyAlgorithm.EC_P256, KeyAlgorithm.RSA_2048, KeyAlgorithm.SM2)) {
            TestCa ca =
                    TestPki.provider("ZJHX").algorithm(type).withIntermediate().build();
            Credential user = ca.user("西子").issue();
            Path folder = dir.resolve(type.name());
            user.writePkcs12(folder.resolve("xizi.p12"), "xizi", PIN.toCharArray());
            Clock clock = Clock.systemUTC();
            PdfSigner signer = new PdfSigner(clock, 20L * 1024 * 1024);
            PdfVerifier verifier = new PdfVerifier(
                    new AssertionVerifier(clock, RevocationChecker.create(clock, new SecureRandom())),
                    List.of(new ProviderPolicy(
                            "ZJHX",
                            TrustAnchors.of(List.of(ca.root())),
                            IdentityRule.SPKI_SHA256,
                            RevocationPolicy.NONE)),
                    20L * 1024 * 1024);
            try (Agent agent =
                    Agent.start(AgentConfig.of(List.of(ORIGIN), List.of(ProviderConfig.pkcs12("ZJHX", "ZJHX", folder)))
                            .withPort(0))) {
                AgentClient page = new AgentClient(agent.port(), ORIGIN);
                List<long[]> times = new ArrayList<>();
                for (int i = 0; i < rounds + 3; i++) {
                    long t0 = System.nanoTime();
                    PreparedPdf prepared = signer.prepare(pdf, new SealPlacement(1, 380, 80, 120, 120), seal(), "签章");
                    long t1 = System.nanoTime();
                    RawHttp.Response response = page.signDocumentBody(("{\"provider\":\"ZJHX\",\"pin\":\"" + PIN
                                    + "\",\"documentName\":\"bench.pdf\",\"digests\":{\"SHA-256\":\""
                                    + Base64.getEncoder().encodeToString(prepared.sha256()) + "\",\"SM3\":\""
                                    + Base64.getEncoder().encodeToString(prepared.sm3()) + "\"}}")
                            .getBytes(StandardCharsets.UTF_8));
                    long t2 = System.nanoTime();
                    byte[] signed = signer.complete(
                            prepared,
                            Base64.getDecoder()
                                    .decode(response.json().get("signature").asString()));
                    long t3 = System.nanoTime();
                    List<PdfSignatureReport> reports = verifier.verify(signed);
                    long t4 = System.nanoTime();
                    if (!reports.get(0).valid()) {
                        throw new IllegalStateException("not valid: " + reports);
                    }
                    if (i >= 3) {
                        times.add(new long[] {t1 - t0, t2 - t1, t3 - t2, t4 - t3});
                    }
                }
                System.out.printf(
                        "%-9s prepare %s | agent sign %s | complete %s | verify %s%n",
                        type, stat(times, 0), stat(times, 1), stat(times, 2), stat(times, 3));
            }
        }
    }

    /** median / max in ms */
    private static String stat(List<long[]> times, int column) {
        long[] values = times.stream().mapToLong(t -> t[column]).sorted().toArray();
        return String.format("%.1f / %.1f ms", values[values.length / 2] / 1e6, values[values.length - 1] / 1e6);
    }

    /** Ten pages, each with an incompressible image: a scanned 投标文件 of about 10 MB. */
    static byte[] tenMegabytes() throws Exception {
        Random random = new Random(21);
        try (PDDocument document = new PDDocument()) {
            for (int p = 0; p < 10; p++) {
                PDPage page = new PDPage(PDRectangle.A4);
                document.addPage(page);
                java.awt.image.BufferedImage image =
                        new java.awt.image.BufferedImage(580, 580, java.awt.image.BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < 580; y++) {
                    for (int x = 0; x < 580; x++) {
                        image.setRGB(x, y, random.nextInt(0x1000000));
                    }
                }
                try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                    content.drawImage(LosslessFactory.createFromImage(document, image), 20, 100, 555, 555);
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.save(out);
            return out.toByteArray();
        }
    }

    static byte[] seal() throws Exception {
        return AgentPdfSignTests.seal();
    }

    private PdfSignBenchmark() {}
}
