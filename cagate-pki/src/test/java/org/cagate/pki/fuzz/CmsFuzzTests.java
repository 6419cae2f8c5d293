package org.cagate.pki.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.cagate.pki.Assertion;
import org.cagate.pki.Reason;
import org.cagate.pki.VerifiedAssertion;

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

    @Property(tries = 10_000, edgeCases = EdgeCasesMode.NONE)
    void verifyWhenValidCmsMutatedThenDeclaredReasonOrSignedByUser(@ForAll("mutatedCms") Mutated input) {
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
        Statistics.collect(Hostile.label(outcome));
    }

    @Property(tries = 10_000)
    void verifyWhenCmsBuiltFieldByFieldThenOutcomeAsTheRulesSay(@ForAll("shapes") CmsShape shape) {
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
        Statistics.collect(Hostile.label(outcome));
    }

    @Provide
    Arbitrary<Mutated> mutatedCms() {
        return Samples.pki().flatMap(pki -> {
            Arbitrary<byte[]> valid = Arbitraries.just(pki.cms()).map(byte[]::clone);
            Arbitrary<byte[]> mutated = Arbitraries.frequencyOf(
                    Tuple.of(7, DerMutation.of(valid)), Tuple.of(3, ByteMutation.of(valid, Samples.cms())));
            return Combinators.combine(mutated, Arbitraries.of(true, false))
                    .as((cms, given) -> new Mutated(pki, cms, given));
        });
    }

    @Provide
    Arbitrary<CmsShape> shapes() {
        return CmsShape.any();
    }
}
