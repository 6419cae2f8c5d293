package org.cagate.bench.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.cagate.pki.Assertion;
import org.cagate.pki.AssertionVerifier;
import org.cagate.pki.BouncyCastle;
import org.cagate.pki.Challenge;
import org.cagate.pki.IdentityRule;
import org.cagate.pki.PkiException;
import org.cagate.pki.ProviderPolicy;
import org.cagate.pki.RevocationPolicy;
import org.cagate.pki.SignatureAlgorithm;
import org.cagate.pki.TrustAnchors;
import org.cagate.pki.revocation.RevocationChecker;
import org.cagate.testca.Credential;
import org.cagate.testca.TestCa;
import org.cagate.testca.TestPki;
import org.junit.jupiter.api.Test;

class ChallengeSignerTests {

    private final Credential user =
            TestPki.provider("BENCH").ec().build().user("投标人").issue();
    private final ChallengeSigner signer = new ChallengeSigner();

    @Test
    void signWhenChallengeThenSha256WithEcdsaOfTheCertificateKeyVerifiesIt() throws Exception {
        byte[] challenge = challenge((byte) 1);
        byte[] signature = signer.sign(key(user), challenge);

        for (java.security.Provider provider :
                new java.security.Provider[] {BouncyCastle.provider(), java.security.Security.getProvider("SunEC")}) {
            Signature verifier = Signature.getInstance("SHA256withECDSA", provider);
            verifier.initVerify(user.certificate().getPublicKey());
            verifier.update(challenge);
            assertThat(verifier.verify(signature)).as(provider.getName()).isTrue();
        }
    }

    @Test
    void signWhenOtherChallengeThenOtherSignatureAndTheFirstDoesNotVerifyIt() throws Exception {
        byte[] first = signer.sign(key(user), challenge((byte) 1));
        byte[] second = signer.sign(key(user), challenge((byte) 2));

        assertThat(second).isNotEqualTo(first);
        Signature verifier = Signature.getInstance("SHA256withECDSA", BouncyCastle.provider());
        verifier.initVerify(user.certificate().getPublicKey());
        verifier.update(challenge((byte) 2));
        assertThat(verifier.verify(first)).isFalse();
    }

    @Test
    void signWhenSameChallengeAgainThenSameSignatureAsRfc6979Makes() {
        assertThat(signer.sign(key(user), challenge((byte) 1))).isEqualTo(signer.sign(key(user), challenge((byte) 1)));
    }

    @Test
    void signWhenVerifiedAsTheServerDoesThenAcceptedAndAnotherChallengeRefused() throws Exception {
        TestCa ca = TestPki.provider("BENCH").ec().withIntermediate().build();
        Credential bound = ca.user("投标人").issue();
        List<X509Certificate> intermediates =
                ca.caCertificates().subList(0, ca.caCertificates().size() - 1);
        ProviderPolicy policy = new ProviderPolicy(
                "BENCH",
                TrustAnchors.of(
                        List.of(ca.caCertificates().get(ca.caCertificates().size() - 1))),
                IdentityRule.SPKI_SHA256,
                RevocationPolicy.NONE);
        byte[] challenge = new Challenge(
                        Challenge.Purpose.LOGIN,
                        BenchServer.PUBLIC_ORIGIN,
                        "BENCH",
                        new byte[Challenge.NONCE_BYTES],
                        Instant.now())
                .toBytes();
        List<byte[]> chain = new ArrayList<>();
        for (X509Certificate c : intermediates) {
            chain.add(c.getEncoded());
        }
        Assertion assertion = new Assertion(
                Assertion.Format.RAW,
                SignatureAlgorithm.SHA256_WITH_ECDSA,
                bound.certificate().getEncoded(),
                chain,
                signer.sign(key(bound), challenge),
                null);
        AssertionVerifier verifier = new AssertionVerifier(
                Clock.systemUTC(), RevocationChecker.create(Clock.systemUTC(), new SecureRandom()), 10);

        assertThat(verifier.verify(assertion, challenge, policy)).isNotNull();
        byte[] other = challenge.clone();
        other[other.length - 1] ^= 1;
        assertThatThrownBy(() -> verifier.verify(assertion, other, policy)).isInstanceOf(PkiException.class);
    }

    @Test
    void keyWhenNotP256ThenRefused() {
        for (Credential other : new Credential[] {
            TestPki.provider("P384").ec384().build().user("投标人").issue(),
            TestPki.provider("SM2").sm2().build().user("投标人").issue(),
            TestPki.provider("RSA").rsa().build().user("投标人").issue()
        }) {
            assertThatThrownBy(() -> key(other)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static ECPrivateKeyParameters key(Credential credential) {
        return ChallengeSigner.key(credential.keyPair().getPrivate(), credential.certificate());
    }

    private static byte[] challenge(byte nonce) {
        byte[] bytes = new byte[Challenge.NONCE_BYTES];
        bytes[0] = nonce;
        return new Challenge(
                        Challenge.Purpose.LOGIN,
                        BenchServer.PUBLIC_ORIGIN,
                        "BENCH",
                        bytes,
                        // The verifier below and the test CA run on the real clock: so does the challenge.
                        Clock.systemUTC().instant())
                .toBytes();
    }
}
