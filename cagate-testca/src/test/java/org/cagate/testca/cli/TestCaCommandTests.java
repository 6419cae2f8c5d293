package org.cagate.testca.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.x509.CRLReason;
import org.cagate.testca.KeyAlgorithm;
import org.cagate.testca.TestCa;
import org.cagate.testca.TestPki;
import org.cagate.testca.UserBuilder;
import org.cagate.testca.softhsm.SoftHsm2;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestCaCommandTests {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void initCaWhenSm2WithIntermediateThenLibraryLoadsIt() throws Exception {
        Path ca = dir.resolve("zjhx");

        int code = run(
                "init-ca",
                "--code",
                "ZJHX",
                "--algorithm",
                "SM2",
                "--intermediate",
                "--dir",
                ca.toString(),
                "--name",
                "浙江汇信CA 测试根证书");

        TestCa loaded = TestCa.load(ca);
        assertThat(code).as(err.toString()).isZero();
        assertThat(loaded.algorithm()).isEqualTo(KeyAlgorithm.SM2);
        assertThat(loaded.intermediate()).isPresent();
        assertThat(loaded.root().getSubjectX500Principal().getName()).contains("浙江汇信CA 测试根证书");
    }

    @Test
    void issueWhenOptionsGivenThenPkcs12HoldsThatCertificateAndCaRecordsIt() throws Exception {
        Path ca = initCa("EC");
        Path p12 = dir.resolve("xizi.p12");
        // The CLI issues on the real clock, so the end date is a day of the real calendar too.
        LocalDate notAfter = LocalDate.now(ZoneOffset.UTC).plusYears(3);

        int code = run(
                "issue",
                "--dir",
                ca.toString(),
                "--cn",
                "西子",
                "--org",
                "培训省西子贸易集团",
                "--identity-extension",
                "330400007180230SE",
                "--not-after",
                notAfter.toString(),
                "--p12",
                p12.toString(),
                "--pin",
                "123456");

        assertThat(code).as(err.toString()).isZero();
        X509Certificate leaf = leaf(p12, "123456");
        assertThat(leaf.getSubjectX500Principal().getName()).contains("西子").contains("培训省西子贸易集团");
        assertThat(leaf.getNotAfter().toInstant())
                .isEqualTo(notAfter.atStartOfDay(ZoneOffset.UTC).toInstant());
        byte[] extension = leaf.getExtensionValue(UserBuilder.GMT_0015_IDENTITY_CODE);
        assertThat(ASN1UTF8String.getInstance(
                                ASN1OctetString.getInstance(extension).getOctets())
                        .getString())
                .isEqualTo("330400007180230SE");
        assertThat(TestCa.load(ca).issued(leaf.getSerialNumber())).isPresent();
        assertThat(out.toString()).contains("serial: " + leaf.getSerialNumber().toString(16));
    }

    @Test
    void revokeThenCrlWhenIssuedSerialThenCrlListsItWithReason() throws Exception {
        Path ca = initCa("RSA");
        run(
                "issue",
                "--dir",
                ca.toString(),
                "--cn",
                "张三",
                "--p12",
                dir.resolve("a.p12").toString(),
                "--pin",
                "1234");
        BigInteger serial = serialFromOutput();
        Path crlFile = dir.resolve("zjhx.crl");

        int revoke = run("revoke", "--dir", ca.toString(), "--serial", serial.toString(16), "--reason", "superseded");
        int crl = run("crl", "--dir", ca.toString(), "--out", crlFile.toString());

        assertThat(revoke).as(err.toString()).isZero();
        assertThat(crl).as(err.toString()).isZero();
        X509CRL written = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(Files.newInputStream(crlFile));
        written.verify(TestCa.load(ca).issuerCertificate().getPublicKey());
        assertThat(written.getRevokedCertificate(serial).getRevocationReason().ordinal())
                .isEqualTo(CRLReason.superseded);
    }

    @Test
    void serveWhenRunningThenCrlAndOcspAnswerAndLaterRevocationsShow() throws Exception {
        Path ca = initCa("EC");
        run(
                "issue",
                "--dir",
                ca.toString(),
                "--cn",
                "西子",
                "--p12",
                dir.resolve("x.p12").toString(),
                "--pin",
                "1234");
        BigInteger serial = serialFromOutput();
        StringWriter serveOut = new StringWriter();
        var line = TestCaCommand.commandLine();
        line.setOut(new PrintWriter(serveOut, true));
        CompletableFuture<Integer> serving =
                CompletableFuture.supplyAsync(() -> line.execute("serve", "--dir", ca.toString(), "--for", "PT8S"));
        String crlUrl = awaitUrl(serveOut, "crl ZJHX (\\S+)");
        HttpClient client = HttpClient.newHttpClient();

        run("revoke", "--dir", ca.toString(), "--serial", serial.toString(16));
        Thread.sleep(1500); // serve re-reads the folder every second
        byte[] crl = client.send(
                        HttpRequest.newBuilder(URI.create(crlUrl)).build(), HttpResponse.BodyHandlers.ofByteArray())
                .body();

        X509CRL parsed = (X509CRL) CertificateFactory.getInstance("X.509", TestPki.bouncyCastle())
                .generateCRL(new java.io.ByteArrayInputStream(crl));
        assertThat(parsed.getRevokedCertificate(serial)).isNotNull();
        assertThat(awaitUrl(serveOut, "ocsp ZJHX (\\S+)")).endsWith("/ocsp/ZJHX");
        assertThat(serving.get(15, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void serveWhenTsaAskedThenTimeStampRequestsGetAGrantedTokenOverTheImprint() throws Exception {
        Path ca = initCa("EC");
        StringWriter serveOut = new StringWriter();
        var line = TestCaCommand.commandLine();
        line.setOut(new PrintWriter(serveOut, true));
        CompletableFuture<Integer> serving = CompletableFuture.supplyAsync(
                () -> line.execute("serve", "--dir", ca.toString(), "--crl", "--tsa", "--for", "PT5S"));
        String tsaUrl = awaitUrl(serveOut, "tsa ZJHX (\\S+)");
        byte[] imprint = java.security.MessageDigest.getInstance("SHA-256").digest(new byte[] {1, 2, 3});
        var request = new org.bouncycastle.tsp.TimeStampRequestGenerator()
                .generate(org.bouncycastle.tsp.TSPAlgorithms.SHA256, imprint, BigInteger.TEN);

        byte[] answer = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(tsaUrl))
                                .header("Content-Type", "application/timestamp-query")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(request.getEncoded()))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray())
                .body();

        var response = new org.bouncycastle.tsp.TimeStampResponse(answer);
        response.validate(request);
        assertThat(response.getStatus()).isZero(); // granted
        assertThat(response.getTimeStampToken().getTimeStampInfo().getMessageImprintDigest())
                .isEqualTo(imprint);
        assertThat(serving.get(15, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void softhsmWhenNewUserThenTokenHoldsKeyAndPrintsConf() throws Exception {
        assumeTrue(SoftHsm2.isAvailable(), SoftHsm2.unavailableReason());
        Path ca = initCa("EC");
        Path hsm = dir.resolve("hsm");

        int code = run(
                "softhsm",
                "--hsm-dir",
                hsm.toString(),
                "--label",
                "ZJHX-KEY",
                "--pin",
                "123456",
                "--so-pin",
                "12345678",
                "--token-serial",
                "330400007180230S",
                "--dir",
                ca.toString(),
                "--cn",
                "西子");

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString())
                .contains("SOFTHSM2_CONF=" + hsm.resolve("softhsm2.conf"))
                .contains("serial 330400007180230S");
        assertThat(SoftHsm2.create(hsm).token("ZJHX-KEY")).isPresent();
        assertThat(TestCa.load(ca).issuedCertificates()).hasSize(1);
    }

    @Test
    void softhsmWhenPkcs12GivenThenItsKeyIsWritten() throws Exception {
        assumeTrue(SoftHsm2.isAvailable(), SoftHsm2.unavailableReason());
        Path ca = initCa("RSA");
        Path p12 = dir.resolve("x.p12");
        run("issue", "--dir", ca.toString(), "--cn", "西子", "--p12", p12.toString(), "--pin", "1234");

        int code = run(
                "softhsm",
                "--hsm-dir",
                dir.resolve("hsm").toString(),
                "--label",
                "K",
                "--pin",
                "123456",
                "--so-pin",
                "12345678",
                "--p12",
                p12.toString(),
                "--p12-pin",
                "1234");

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("CKA_ID: ");
    }

    @Test
    void initCaWhenUnknownAlgorithmThenUsageErrorWithoutStackTrace() {
        int code = run("init-ca", "--code", "ZJHX", "--algorithm", "DSA", "--dir", dir.toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("expected RSA, EC, EC384 or SM2").doesNotContain("\tat ");
    }

    @Test
    void revokeWhenSerialNotIssuedThenErrorNamesIt() throws Exception {
        Path ca = initCa("EC");

        int code = run("revoke", "--dir", ca.toString(), "--serial", "abc123");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("did not issue serial abc123").doesNotContain("\tat ");
    }

    @Test
    void issueWhenCaFolderMissingThenErrorNotStackTrace() {
        int code = run(
                "issue",
                "--dir",
                dir.resolve("none").toString(),
                "--cn",
                "x",
                "--p12",
                dir.resolve("x.p12").toString(),
                "--pin",
                "1234");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("no saved test CA").doesNotContain("\tat ");
    }

    private Path initCa(String algorithm) {
        Path ca = dir.resolve("ca-" + algorithm);
        assertThat(run("init-ca", "--code", "ZJHX", "--algorithm", algorithm, "--intermediate", "--dir", ca.toString()))
                .as(err.toString())
                .isZero();
        return ca;
    }

    private int run(String... args) {
        var line = TestCaCommand.commandLine();
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        return line.execute(args);
    }

    private BigInteger serialFromOutput() {
        Matcher m = Pattern.compile("serial: ([0-9a-f]+)").matcher(out.toString());
        assertThat(m.find()).isTrue();
        return new BigInteger(m.group(1), 16);
    }

    private static String awaitUrl(StringWriter output, String pattern) throws InterruptedException {
        Pattern p = Pattern.compile(pattern);
        for (int i = 0; i < 100; i++) {
            Matcher m = p.matcher(output.toString());
            if (m.find()) {
                return m.group(1);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("serve printed no " + pattern + ": " + output);
    }

    private static X509Certificate leaf(Path p12, String pin) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12", TestPki.bouncyCastle());
        try (InputStream in = Files.newInputStream(p12)) {
            store.load(in, pin.toCharArray());
        }
        return (X509Certificate) store.getCertificate("cagate");
    }
}
