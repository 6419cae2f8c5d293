package org.cagate.pki.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.cagate.pki.CertificateDetails;
import org.cagate.pki.Certificates;
import org.cagate.pki.IdentityRule;
import org.cagate.pki.Reason;
import org.cagate.pki.TrustAnchors;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * {@link Certificates} on hostile input: whatever the bytes or text, the only failure is a PkiException
 * with CERT_MALFORMED; and whatever it does accept is a certificate the rest of cagate-pki can use (its
 * details, fingerprint and PEM form, every identity rule, inspection, trust-anchor sorting), failing there
 * only with a declared reason too.
 */
class CertificateParserFuzzTests {

    private static final Set<Reason> MALFORMED = Set.of(Reason.CERT_MALFORMED);
    private static final List<IdentityRule> RULES = List.of(
            IdentityRule.SPKI_SHA256,
            IdentityRule.ISSUER_SERIAL,
            IdentityRule.subjectAttribute("2.5.4.5"),
            IdentityRule.extension(Samples.GMT_0015));

    @Test
    void parseWhenRandomDerThenCertMalformedOrUsable() {
        Fuzz.check(RandomDer.any(), CertificateParserFuzzTests::parseAndUse);
    }

    @Test
    void parseWhenValidCertificateMutatedThenCertMalformedOrUsable() {
        Fuzz.check(mutatedCertificates(), CertificateParserFuzzTests::parseAndUse);
    }

    @Test
    void parseWhenPemOrBase64MutatedThenCertMalformedOrUsable() {
        Fuzz.check(mutatedTexts(), (text, tally) -> {
            String string = new String(text, StandardCharsets.UTF_8);
            var fromBytes = Hostile.run("Certificates.parse(PEM bytes)", string, () -> Certificates.parse(text));
            Hostile.requireOnly(fromBytes, MALFORMED, "Certificates.parse", string);
            var base64 = Hostile.run("Certificates.parseBase64", string, () -> Certificates.parseBase64(string));
            Hostile.requireOnly(base64, MALFORMED, "Certificates.parseBase64", string);
            var bundle = Hostile.run("Certificates.parsePemBundle", string, () -> Certificates.parsePemBundle(string));
            Hostile.requireOnly(bundle, MALFORMED, "Certificates.parsePemBundle", string);
            var anchors = Hostile.run("TrustAnchors.fromPem", string, () -> TrustAnchors.fromPem(string));
            Hostile.requireOnly(anchors, MALFORMED, "TrustAnchors.fromPem", string);
            for (var parsed : List.of(fromBytes, base64)) {
                if (!parsed.failed()) {
                    requireUsable(parsed.value(), string);
                }
            }
            if (!bundle.failed()) {
                bundle.value().forEach(certificate -> requireUsable(certificate, string));
            }
            tally.collect("PEM bundle " + Hostile.label(bundle));
        });
    }

    private static Gen<byte[]> mutatedCertificates() {
        return Generate.frequency(
                Gens.weight(7, DerMutation.of(Samples.certificate())),
                Gens.weight(3, ByteMutation.of(Samples.certificate(), Samples.certificate())));
    }

    /** PEM blocks and bundles and bare base64 of valid or mutated certificates, their text mutated. */
    private static Gen<byte[]> mutatedTexts() {
        Gen<byte[]> der = Generate.oneOf(Samples.certificate(), DerMutation.of(Samples.certificate()));
        Gen<String> pem = der.map(CertificateParserFuzzTests::pem);
        Gen<String> bundle = Gens.list(pem, 2, 4).map(blocks -> String.join("\n", blocks));
        Gen<String> base64 = der.map(d -> Base64.getEncoder().encodeToString(d));
        Gen<byte[]> text = Generate.oneOf(pem, bundle, base64).map(s -> s.getBytes(StandardCharsets.UTF_8));
        return Generate.frequency(Gens.weight(1, text), Gens.weight(3, ByteMutation.of(text, text)));
    }

    private static String pem(byte[] der) {
        return "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END CERTIFICATE-----\n";
    }

    private static void parseAndUse(byte[] input, Fuzz.Tally tally) {
        var parsed = Hostile.run("Certificates.parse", input, () -> Certificates.parse(input));
        Hostile.requireOnly(parsed, MALFORMED, "Certificates.parse", input);
        if (!parsed.failed()) {
            requireUsable(parsed.value(), input);
        }
        tally.collect(Hostile.label(parsed));
    }

    /** What the server and verifier do next with a parsed certificate must not fail otherwise either. */
    private static void requireUsable(X509Certificate certificate, Object input) {
        var details = Hostile.run("CertificateDetails.of", input, () -> CertificateDetails.of(certificate));
        assertThat(details.value().sha256()).isEqualTo(Certificates.sha256Hex(certificate));
        var again = Hostile.run(
                "Certificates.parse(toPem)",
                input,
                () -> Certificates.parse(Certificates.toPem(certificate).getBytes(StandardCharsets.US_ASCII)));
        assertThat(again.value()).isEqualTo(certificate);
        for (IdentityRule rule : RULES) {
            var keyId = Hostile.run("IdentityRule " + rule, input, () -> rule.keyId(certificate));
            Hostile.requireOnly(keyId, MALFORMED, "IdentityRule " + rule, input);
        }
        for (Samples.Pki pki : Samples.ALL) {
            Hostile.run(
                    "AssertionVerifier.inspect",
                    input,
                    () -> Samples.VERIFIER.inspect(certificate, List.of(), pki.policy()));
        }
        var anchors = Hostile.run("TrustAnchors.of", input, () -> TrustAnchors.of(List.of(certificate)));
        Hostile.requireOnly(anchors, MALFORMED, "TrustAnchors.of", input);
    }
}
