package org.cagate.pki.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.cagate.pki.Assertion;
import org.cagate.pki.Certificates;
import org.cagate.pki.Reason;

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
            if (algorithm == null
                    || !Set.of("SHA256withRSA", "SHA256withECDSA", "SM3withSM2").contains(algorithm)) {
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

    @Property(tries = 10_000)
    void fromWireWhenFieldsHostileThenReasonOfFirstBadFieldAndVerifierDeclaredReasons(@ForAll("wires") Wire wire) {
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
                            parsed.value(), wire.pki().challenge(), wire.pki().policy()));
            Hostile.requireOnly(verified, VERIFY, "AssertionVerifier.verify", wire);
            Statistics.collect("verify " + Hostile.label(verified));
        } else {
            Statistics.collect("fromWire " + parsed.reason());
        }
    }

    @Provide
    Arbitrary<Wire> wires() {
        return Samples.pki().flatMap(pki -> {
            Arbitrary<String> format = Arbitraries.frequencyOf(
                    Tuple.of(8, Arbitraries.of("RAW", "CMS")),
                    Tuple.of(1, Arbitraries.of("raw", "Cms", "", "RAW ", "PKCS7", "CMS\u0000", "ＲＡＷ")),
                    Tuple.of(1, Arbitraries.strings().ofMaxLength(20).injectNull(0.3)));
            Arbitrary<String> algorithm = Arbitraries.frequencyOf(
                    Tuple.of(6, Arbitraries.just(pki.algorithm().wireName())),
                    Tuple.of(2, Arbitraries.of("SHA256withRSA", "SHA256withECDSA", "SM3withSM2")),
                    Tuple.of(1, Arbitraries.of("sha256withrsa", "SHA1withRSA", "SHA256withRSA/PSS", "SM2", "")),
                    Tuple.of(1, Arbitraries.strings().ofMaxLength(60).injectNull(0.3)));
            Arbitrary<String> certificate = Arbitraries.frequencyOf(
                    Tuple.of(5, Arbitraries.just(base64(pki.leafDer()))),
                    Tuple.of(2, base64Of(DerMutation.of(Samples.certificate()))),
                    Tuple.of(3, hostileBase64(Samples.certificate(), Certificates.MAX_CERTIFICATE_BYTES)));
            Arbitrary<List<String>> chain = Arbitraries.frequencyOf(
                    Tuple.of(4, Arbitraries.just(List.of(base64(pki.intermediateDer())))),
                    Tuple.of(2, Arbitraries.just(List.<String>of())),
                    Tuple.of(1, Arbitraries.just((List<String>) null)),
                    Tuple.of(
                            3,
                            hostileBase64(Samples.certificate(), Certificates.MAX_CERTIFICATE_BYTES)
                                    .list()
                                    .ofMaxSize(10)
                                    .map(list -> new ArrayList<>(list))));
            Arbitrary<String> signature = Arbitraries.frequencyOf(
                    Tuple.of(3, Arbitraries.just(base64(pki.rawSignature()))),
                    Tuple.of(3, Arbitraries.just(base64(pki.cms()))),
                    Tuple.of(4, hostileBase64(Samples.cms(), Assertion.MAX_CMS_BYTES)));
            Arbitrary<String> tokenSerial = Arbitraries.frequencyOf(
                    Tuple.of(5, Arbitraries.of("330400007180230SE", "A")),
                    Tuple.of(2, Arbitraries.just((String) null)),
                    Tuple.of(3, Arbitraries.strings().ofMaxLength(70)));
            return Combinators.combine(format, algorithm, certificate, chain, signature, tokenSerial)
                    .as((f, a, c, ch, s, t) -> new Wire(pki, f, a, c, ch, s, t));
        });
    }

    private static Arbitrary<String> base64Of(Arbitrary<byte[]> bytes) {
        return bytes.map(AssertionWireFuzzTests::base64);
    }

    /**
     * Strings that are almost base64 of something valid: other alphabets, padding and line breaks, cut
     * short, too long for the field, non-ASCII, empty, null; or base64 of random or mutated bytes.
     */
    private static Arbitrary<String> hostileBase64(Arbitrary<byte[]> valid, int maxBytes) {
        Arbitrary<String> good = valid.map(AssertionWireFuzzTests::base64);
        return Arbitraries.oneOf(
                base64Of(Arbitraries.bytes().array(byte[].class).ofMaxSize(300)),
                base64Of(ByteMutation.of(valid, valid)),
                good.map(s -> s.replace('+', '-').replace('/', '_')),
                good.map(s -> s.replace("=", "")),
                good.map(s -> s + "="),
                good.map(s -> s.substring(0, s.length() / 2) + "\n" + s.substring(s.length() / 2)),
                good.map(s -> " " + s),
                good.map(s -> s.substring(0, s.length() - 1)),
                good.map(s -> s.substring(0, 1 + s.length() / 3)),
                good.map(s -> s + "中"),
                Arbitraries.just("A".repeat(maxBytes * 4 / 3 + 8)),
                Arbitraries.just(base64(new byte[maxBytes + 1])),
                Arbitraries.of("", "====", "A", "AA==", "QQ", "*"),
                Arbitraries.strings().ofMaxLength(100),
                Arbitraries.just((String) null));
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
