package org.cagate.pki.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.cagate.pki.Assertion;
import org.cagate.pki.Certificates;
import org.cagate.pki.Reason;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * {@link Assertion#fromWire} on hostile strings, as the server passes them from the JSON body: the only
 * failure is the reason of the first unusable field (docs/decisions.md, "cagate-pki reason codes for bad
 * input": certificate and chain CERT_MALFORMED; format, algorithm, signature and tokenSerial
 * SIGNATURE_INVALID); and what it accepts then meets the verifier, which answers with a declared reason too.
 */
class AssertionWireFuzzTests {

    private static final Set<Reason> VERIFY = Set.of(
            Reason.SIGNATURE_INVALID,
            Reason.CERT_MALFORMED,
            Reason.CERT_UNTRUSTED,
            Reason.CERT_EXPIRED,
            Reason.CERT_NOT_YET_VALID,
            Reason.CERT_USAGE);

    /** The six strings of a wire assertion, for one provider's challenge. */
    record Wire(
            Samples.Pki pki,
            String format,
            String algorithm,
            String certificate,
            List<String> chain,
            String signature,
            String tokenSerial) {

        /** The reason the first unusable field must give, in the order fromWire reads them; null if none. */
        Reason expected() {
            if (!"RAW".equals(format) && !"CMS".equals(format)) {
                return Reason.SIGNATURE_INVALID;
            }
            // A CMS assertion may leave the algorithm out (the SignedData names it); RAW may not.
            boolean cmsWithout = format.equals("CMS") && (algorithm == null || algorithm.isEmpty());
            if (!cmsWithout
                    && (algorithm == null
                            || !Set.of("SHA256withRSA", "SHA256withECDSA", "SM3withSM2")
                                    .contains(algorithm))) {
                return Reason.SIGNATURE_INVALID;
            }
            boolean noLeaf = certificate == null || certificate.isEmpty();
            if ((noLeaf && format.equals("RAW"))
                    || (!noLeaf && !decodes(certificate, Certificates.MAX_CERTIFICATE_BYTES))) {
                return Reason.CERT_MALFORMED;
            }
            if (chain != null
                    && (chain.size() > Assertion.MAX_CHAIN
                            || !chain.stream().allMatch(c -> decodes(c, Certificates.MAX_CERTIFICATE_BYTES)))) {
                return Reason.CERT_MALFORMED;
            }
            int max = format.equals("RAW") ? Assertion.MAX_RAW_SIGNATURE_BYTES : Assertion.MAX_CMS_BYTES;
            if (!decodes(signature, max) || Base64.getDecoder().decode(signature).length > max) {
                return Reason.SIGNATURE_INVALID;
            }
            if (tokenSerial != null
                    && (tokenSerial.isEmpty()
                            || tokenSerial.length() > Assertion.MAX_TOKEN_SERIAL
                            || !tokenSerial.chars().allMatch(c -> c >= 0x20 && c < 0x7f))) {
                return Reason.SIGNATURE_INVALID;
            }
            return null;
        }

        /** Non-empty standard base64 within the length the contract allows for {@code maxBytes}. */
        private static boolean decodes(String text, int maxBytes) {
            if (text == null || text.isEmpty() || text.length() > maxBytes * 4 / 3 + 4) {
                return false;
            }
            try {
                return Base64.getDecoder().decode(text).length > 0;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
    }

    @Test
    void fromWireWhenFieldsHostileThenReasonOfFirstBadFieldAndVerifierDeclaredReasons() {
        Fuzz.check(wires(), (wire, tally) -> {
            var parsed = Hostile.run(
                    "Assertion.fromWire",
                    wire,
                    () -> Assertion.fromWire(
                            wire.format(),
                            wire.algorithm(),
                            wire.certificate(),
                            wire.chain(),
                            wire.signature(),
                            wire.tokenSerial()));

            assertThat(parsed.reason())
                    .as("%s: %s", wire, parsed.failed() ? parsed.failure().getMessage() : "accepted")
                    .isEqualTo(wire.expected());
            if (!parsed.failed()) {
                var verified = Hostile.run(
                        "AssertionVerifier.verify",
                        wire,
                        () -> Samples.VERIFIER.verify(
                                parsed.value(),
                                wire.pki().challenge(),
                                wire.pki().policy()));
                Hostile.requireOnly(verified, VERIFY, "AssertionVerifier.verify", wire);
                tally.collect("verify " + Hostile.label(verified));
            } else {
                tally.collect("fromWire " + parsed.reason());
            }
        });
    }

    private static Gen<Wire> wires() {
        return Samples.pki().flatMap(pki -> {
            Gen<String> format = Generate.frequency(
                    Gens.weight(8, Gens.pick("RAW", "CMS")),
                    Gens.weight(1, Gens.pick("raw", "Cms", "", "RAW ", "PKCS7", "CMS\u0000", "ＲＡＷ")),
                    Gens.weight(1, Gens.orNull(Gens.strings(20), 30)));
            Gen<String> algorithm = Generate.frequency(
                    Gens.weight(6, Gens.just(pki.algorithm().wireName())),
                    Gens.weight(2, Gens.pick("SHA256withRSA", "SHA256withECDSA", "SM3withSM2")),
                    Gens.weight(1, Gens.pick("sha256withrsa", "SHA1withRSA", "SHA256withRSA/PSS", "SM2", "")),
                    Gens.weight(1, Gens.orNull(Gens.strings(60), 30)));
            Gen<String> certificate = Generate.frequency(
                    Gens.weight(5, Gens.just(base64(pki.leafDer()))),
                    Gens.weight(2, DerMutation.of(Samples.certificate()).map(AssertionWireFuzzTests::base64)),
                    Gens.weight(3, hostileBase64(Samples.certificate(), Certificates.MAX_CERTIFICATE_BYTES)));
            Gen<List<String>> chain = Generate.frequency(
                    Gens.weight(4, Gens.just(List.of(base64(pki.intermediateDer())))),
                    Gens.weight(2, Gens.just(List.<String>of())),
                    Gens.weight(1, Gens.just((List<String>) null)),
                    Gens.weight(
                            3,
                            Gens.list(hostileBase64(Samples.certificate(), Certificates.MAX_CERTIFICATE_BYTES), 0, 10)
                                    .map(list -> new ArrayList<>(list))));
            Gen<String> signature = Generate.frequency(
                    Gens.weight(3, Gens.just(base64(pki.rawSignature()))),
                    Gens.weight(3, Gens.just(base64(pki.cms()))),
                    Gens.weight(4, hostileBase64(Samples.cms(), Assertion.MAX_CMS_BYTES)));
            Gen<String> tokenSerial = Generate.frequency(
                    Gens.weight(5, Gens.pick("330400007180230SE", "A")),
                    Gens.weight(2, Gens.just((String) null)),
                    Gens.weight(3, Gens.strings(70)));
            return in -> new Wire(
                    pki,
                    format.generate(in),
                    algorithm.generate(in),
                    certificate.generate(in),
                    chain.generate(in),
                    signature.generate(in),
                    tokenSerial.generate(in));
        });
    }

    /**
     * Strings that are almost base64 of something valid: other alphabets, padding and line breaks, cut
     * short, too long for the field, non-ASCII, empty, null; or base64 of random or mutated bytes.
     */
    private static Gen<String> hostileBase64(Gen<byte[]> valid, int maxBytes) {
        Gen<String> good = valid.map(AssertionWireFuzzTests::base64);
        return Generate.oneOf(
                Gens.bytes(0, 300).map(AssertionWireFuzzTests::base64),
                ByteMutation.of(valid, valid).map(AssertionWireFuzzTests::base64),
                good.map(s -> s.replace('+', '-').replace('/', '_')),
                good.map(s -> s.replace("=", "")),
                good.map(s -> s + "="),
                good.map(s -> s.substring(0, s.length() / 2) + "\n" + s.substring(s.length() / 2)),
                good.map(s -> " " + s),
                good.map(s -> s.substring(0, s.length() - 1)),
                good.map(s -> s.substring(0, 1 + s.length() / 3)),
                good.map(s -> s + "中"),
                Gens.just("A".repeat(maxBytes * 4 / 3 + 8)),
                Gens.just(base64(new byte[maxBytes + 1])),
                Gens.pick("", "====", "A", "AA==", "QQ", "*"),
                Gens.strings(100),
                Gens.just((String) null));
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
