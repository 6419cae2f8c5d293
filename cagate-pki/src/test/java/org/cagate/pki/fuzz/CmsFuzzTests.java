package org.cagate.pki.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.cagate.pki.Assertion;
import org.cagate.pki.Reason;
import org.cagate.pki.VerifiedAssertion;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * The CMS parser and verifier ({@code CmsSignatures} through {@link org.cagate.pki.AssertionVerifier}) on
 * hostile input. Mutated valid CMS: only declared reasons, and whatever verifies was signed by the user's
 * key over the challenge. CMS built field by field with right and wrong envelopes, algorithms, signer ids,
 * carried certificates and signed attributes: the outcome is exactly the one the rules predict.
 */
class CmsFuzzTests {

    /** What a CMS assertion can be refused with when revocation is not checked. */
    private static final Set<Reason> VERIFY = Set.of(
            Reason.SIGNATURE_INVALID,
            Reason.CERT_MALFORMED,
            Reason.CERT_UNTRUSTED,
            Reason.CERT_EXPIRED,
            Reason.CERT_NOT_YET_VALID,
            Reason.CERT_USAGE);

    /** A mutated CMS of one provider, sent with or without the leaf beside it. */
    record Mutated(Samples.Pki pki, byte[] cms, boolean givenLeaf) {
        @Override
        public String toString() {
            return pki.policy().code() + " givenLeaf=" + givenLeaf + " " + Hostile.describe(cms);
        }
    }

    @Test
    void verifyWhenValidCmsMutatedThenDeclaredReasonOrSignedByUser() {
        Fuzz.check(mutatedCms(), (input, tally) -> {
            var outcome = Hostile.run("AssertionVerifier.verify(CMS)", input, () -> {
                Assertion assertion = Assertion.fromWire(
                        "CMS",
                        input.pki().algorithm().wireName(),
                        input.givenLeaf()
                                ? Base64.getEncoder().encodeToString(input.pki().leafDer())
                                : null,
                        List.of(),
                        Base64.getEncoder().encodeToString(input.cms()),
                        null);
                return Samples.VERIFIER.verify(
                        assertion, input.pki().challenge(), input.pki().policy());
            });

            Hostile.requireOnly(outcome, VERIFY, "AssertionVerifier.verify(CMS)", input);
            if (!outcome.failed()) {
                VerifiedAssertion verified = outcome.value();
                assertThat(verified.certificate()).isEqualTo(input.pki().user().certificate());
            }
            tally.collect(Hostile.label(outcome));
        });
    }

    @Test
    void verifyWhenCmsBuiltFieldByFieldThenOutcomeAsTheRulesSay() {
        Fuzz.check(CmsShape.any(), (shape, tally) -> {
            byte[] cms = shape.encode();
            var outcome = Hostile.run("AssertionVerifier.verify(CMS)", shape, () -> {
                Assertion assertion = Assertion.fromWire(
                        "CMS",
                        shape.pki().algorithm().wireName(),
                        shape.givenLeaf()
                                ? Base64.getEncoder().encodeToString(shape.pki().leafDer())
                                : null,
                        List.of(),
                        Base64.getEncoder().encodeToString(cms),
                        null);
                return Samples.VERIFIER.verify(
                        assertion, shape.pki().challenge(), shape.pki().policy());
            });

            assertThat(outcome.reason())
                    .as("%s: %s", shape, outcome.failed() ? outcome.failure().getMessage() : "verified")
                    .isEqualTo(shape.expected());
            tally.collect(Hostile.label(outcome));
        });
    }

    private static Gen<Mutated> mutatedCms() {
        return Samples.pki().flatMap(pki -> {
            Gen<byte[]> valid = Generate.constant(() -> pki.cms().clone());
            Gen<byte[]> mutated = Generate.frequency(
                    Gens.weight(7, DerMutation.of(valid)), Gens.weight(3, ByteMutation.of(valid, Samples.cms())));
            return mutated.zip(Generate.booleans(), (cms, given) -> new Mutated(pki, cms, given));
        });
    }
}
