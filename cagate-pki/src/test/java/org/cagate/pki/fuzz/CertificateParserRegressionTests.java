package org.cagate.pki.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Date;
import org.bouncycastle.asn1.ASN1Boolean;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.cagate.pki.Certificates;
import org.cagate.pki.PkiException;
import org.cagate.pki.Reason;
import org.cagate.pki.TrustAnchors;
import org.junit.jupiter.api.Test;

/**
 * The certificates the hostile-input properties found that {@link Certificates} accepted although the rest
 * of cagate-pki could not use them (a NullPointerException, IllegalArgumentException or ArithmeticException
 * later, a 500 in the server). Each is properly signed; each must now be CERT_MALFORMED at parse time.
 */
class CertificateParserRegressionTests {

    private static final KeyPair KEY = ecKey();

    @Test
    void parseWhenPublicKeyAlgorithmUnknownThenCertMalformed() throws Exception {
        byte[] der = certificate(
                builder -> {},
                new SubjectPublicKeyInfo(
                        new AlgorithmIdentifier(new ASN1ObjectIdentifier("0.0")),
                        SubjectPublicKeyInfo.getInstance(KEY.getPublic().getEncoded())
                                .getPublicKeyData()
                                .getBytes()));

        assertMalformed(der);
    }

    @Test
    void parseWhenEcPublicKeyNotOnTheCurveThenCertMalformed() throws Exception {
        SubjectPublicKeyInfo real =
                SubjectPublicKeyInfo.getInstance(KEY.getPublic().getEncoded());
        byte[] der = certificate(builder -> {}, new SubjectPublicKeyInfo(real.getAlgorithm(), new byte[] {4, 1, 2, 3}));

        assertMalformed(der);
    }

    @Test
    void parseWhenValidityEndsBeforeItStartsThenCertMalformed() throws Exception {
        Date start = Date.from(Samples.NOW);
        Date end = Date.from(Samples.NOW.minus(Duration.ofDays(1)));
        byte[] der = certificate(
                start,
                end,
                builder -> {},
                SubjectPublicKeyInfo.getInstance(KEY.getPublic().getEncoded()));

        assertMalformed(der);
    }

    @Test
    void parseWhenPathLengthBeyondIntThenCertMalformedAndNoTrustAnchor() throws Exception {
        ASN1Encodable basicConstraints =
                new DERSequence(new ASN1Encodable[] {ASN1Boolean.TRUE, new ASN1Integer(BigInteger.ONE.shiftLeft(40))});
        byte[] der = certificate(
                builder -> builder.addExtension(Extension.basicConstraints, true, basicConstraints),
                SubjectPublicKeyInfo.getInstance(KEY.getPublic().getEncoded()));

        assertMalformed(der);
        assertThatThrownBy(() -> TrustAnchors.fromPem(pem(der)))
                .isInstanceOfSatisfying(
                        PkiException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CERT_MALFORMED));
    }

    @Test
    void parseWhenSameBuilderWithoutDefectThenAccepted() throws Exception {
        byte[] der = certificate(
                builder -> builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(1)),
                SubjectPublicKeyInfo.getInstance(KEY.getPublic().getEncoded()));

        assertThat(Certificates.parse(der).getPublicKey().getEncoded())
                .isEqualTo(KEY.getPublic().getEncoded());
        assertThat(TrustAnchors.fromPem(pem(der)).roots()).hasSize(1);
    }

    private static void assertMalformed(byte[] der) {
        assertThatThrownBy(() -> Certificates.parse(der))
                .isInstanceOfSatisfying(
                        PkiException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CERT_MALFORMED));
    }

    @FunctionalInterface
    private interface Customizer {
        void customize(X509v3CertificateBuilder builder) throws Exception;
    }

    private static byte[] certificate(Customizer customizer, SubjectPublicKeyInfo key) throws Exception {
        return certificate(
                Date.from(Samples.NOW.minus(Duration.ofDays(1))),
                Date.from(Samples.NOW.plus(Duration.ofDays(365))),
                customizer,
                key);
    }

    /** A self-issued CA certificate signed by {@link #KEY}, whatever key it names. */
    private static byte[] certificate(Date notBefore, Date notAfter, Customizer customizer, SubjectPublicKeyInfo key)
            throws Exception {
        X500Name name = new X500Name("CN=回归测试 CA,O=cagate test CA,C=CN");
        X509v3CertificateBuilder builder =
                new X509v3CertificateBuilder(name, BigInteger.valueOf(20261128), notBefore, notAfter, name, key);
        customizer.customize(builder);
        return builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(KEY.getPrivate()))
                .getEncoded();
    }

    private static String pem(byte[] der) {
        return "-----BEGIN CERTIFICATE-----\n"
                + java.util.Base64.getMimeEncoder().encodeToString(der) + "\n-----END CERTIFICATE-----\n";
    }

    private static KeyPair ecKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
