package org.cagate.pki.fuzz;

import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cagate.pki.AssertionVerifier;
import org.cagate.pki.Certificates;
import org.cagate.pki.IdentityRule;
import org.cagate.pki.PkiException;
import org.cagate.pki.ProviderPolicy;
import org.cagate.pki.RevocationPolicy;
import org.cagate.pki.SignatureAlgorithm;
import org.cagate.pki.TrustAnchors;
import org.cagate.pki.revocation.RevocationChecker;
import org.cagate.pki.testing.MutableClock;
import org.cagate.pki.testing.Sign;
import org.cagate.testca.Credential;
import org.cagate.testca.KeyAlgorithm;
import org.cagate.testca.TestCa;
import org.cagate.testca.TestPki;
import org.cagate.testca.UserBuilder;
import org.quicktheories.core.Gen;

/**
 * The valid material the hostile inputs are made from, built once per test run at a fixed instant: an RSA,
 * an EC P-256 and an SM2 provider (root and issuing CA), a user of each with the identity attributes Chinese
 * CAs use, a challenge for each and a valid detached CMS over it, and one verifier for all.
 */
final class Samples {
    static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    static final MutableClock CLOCK = new MutableClock(NOW);
    static final String GMT_0015 = UserBuilder.GMT_0015_IDENTITY_CODE;

    /** One provider with its user and what the user signed. */
    record Pki(
            TestCa ca,
            Credential user,
            ProviderPolicy policy,
            SignatureAlgorithm algorithm,
            byte[] challenge,
            byte[] rawSignature,
            byte[] cms) {

        byte[] leafDer() {
            return Certificates.der(user.certificate());
        }

        byte[] intermediateDer() {
            return Certificates.der(user.caCertificates().get(0));
        }
    }

    static final List<Pki> ALL = List.of(
            make("ZJHX", KeyAlgorithm.RSA_2048), make("SCCA", KeyAlgorithm.EC_P256), make("CFCA", KeyAlgorithm.SM2));

    static final AssertionVerifier VERIFIER =
            new AssertionVerifier(CLOCK, RevocationChecker.create(CLOCK, new SecureRandom()));

    /** Every certificate of every provider: leaves, issuing CAs, roots. */
    static final List<byte[]> CERTIFICATES = certificates();

    private Samples() {}

    static Gen<Pki> pki() {
        return Gens.pick(ALL);
    }

    static Gen<byte[]> certificate() {
        return Gens.pick(CERTIFICATES).map(byte[]::clone);
    }

    static Gen<byte[]> cms() {
        return pki().map(p -> p.cms().clone());
    }

    private static Pki make(String code, KeyAlgorithm algorithm) {
        TestCa ca = TestPki.provider(code)
                .algorithm(algorithm)
                .withIntermediate()
                .clock(CLOCK)
                .build();
        Credential user = ca.user("西子")
                .organization("培训省西子贸易集团")
                .subjectSerialNumber("91330100MA2H0XXX0X")
                .utf8Extension(GMT_0015, "330400007180230SE")
                .issue();
        try {
            ProviderPolicy policy = new ProviderPolicy(
                    code, TrustAnchors.of(ca.caCertificates()), IdentityRule.SPKI_SHA256, RevocationPolicy.NONE);
            SignatureAlgorithm signatureAlgorithm = Sign.algorithmOf(user);
            byte[] challenge = Sign.challenge(code);
            List<X509Certificate> carried =
                    List.of(user.certificate(), user.caCertificates().get(0));
            Pki pki = new Pki(
                    ca,
                    user,
                    policy,
                    signatureAlgorithm,
                    challenge,
                    Sign.raw(user, signatureAlgorithm, challenge),
                    Sign.cms(user, signatureAlgorithm, challenge, carried, true));
            requireRoundTrip(pki.cms());
            return pki;
        } catch (PkiException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<byte[]> certificates() {
        List<byte[]> all = new ArrayList<>();
        for (Pki pki : ALL) {
            for (X509Certificate certificate : pki.user().fullChain()) {
                byte[] der = Certificates.der(certificate);
                requireRoundTrip(der);
                all.add(der);
            }
        }
        return List.copyOf(all);
    }

    /** The mutators rely on re-encoding an unchanged tree giving the same bytes. */
    private static void requireRoundTrip(byte[] der) {
        if (!Arrays.equals(Der.parse(der).encode(), der)) {
            throw new IllegalStateException("Der does not re-encode a sample unchanged");
        }
    }
}
