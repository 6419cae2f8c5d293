package org.cagate.bench.pki;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.cagate.pki.Assertion;
import org.cagate.pki.AssertionVerifier;
import org.cagate.pki.Challenge;
import org.cagate.pki.IdentityRule;
import org.cagate.pki.ProviderPolicy;
import org.cagate.pki.RevocationPolicy;
import org.cagate.pki.TrustAnchors;
import org.cagate.pki.revocation.RevocationChecker;
import org.cagate.pki.sign.SignatureFormat;
import org.cagate.pki.sign.Signer;
import org.cagate.testca.Credential;
import org.cagate.testca.TestCa;
import org.cagate.testca.TestPki;

/**
 * What a user's first verification costs next to a repeat: {@code users} distinct EC P-256 users under one
 * intermediate, each assertion verified once by a fresh {@link AssertionVerifier} (leaf parse and PKIX path
 * not cached) and then once more (both cached), in the thread's CPU time. A login day brings mostly first
 * logins, so the first figure is the one the CA-login benchmark pays (docs/benchmarks.md).
 *
 * <pre>args: [users] [rounds]</pre>
 */
public final class FirstVerification {

    private FirstVerification() {}

    public static void main(String[] args) throws Exception {
        int users = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        TestCa ca = TestPki.provider("BENCH").ec().withIntermediate().build();
        List<X509Certificate> caCertificates = ca.caCertificates();
        List<X509Certificate> intermediates = caCertificates.subList(0, caCertificates.size() - 1);
        ProviderPolicy policy = new ProviderPolicy(
                "BENCH",
                TrustAnchors.of(List.of(caCertificates.get(caCertificates.size() - 1))),
                IdentityRule.SPKI_SHA256,
                RevocationPolicy.NONE);
        byte[] challenge = new Challenge(
                        Challenge.Purpose.LOGIN,
                        "https://platform.example.gov.cn",
                        "BENCH",
                        new byte[Challenge.NONCE_BYTES],
                        Instant.now())
                .toBytes();
        List<byte[]> chain = new ArrayList<>();
        for (X509Certificate c : intermediates) {
            chain.add(c.getEncoded());
        }
        List<Assertion> assertions = new ArrayList<>(users);
        for (int i = 0; i < users; i++) {
            Credential user = ca.user("投标人" + i).issue();
            Signer signer =
                    Signer.of(user.keyPair().getPrivate(), user.certificate()).chain(intermediates);
            assertions.add(new Assertion(
                    Assertion.Format.RAW,
                    signer.algorithm(),
                    user.certificate().getEncoded(),
                    chain,
                    signer.sign(challenge, SignatureFormat.RAW).signature(),
                    null));
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int round = 1; round <= rounds; round++) {
            AssertionVerifier verifier = new AssertionVerifier(
                    Clock.systemUTC(), RevocationChecker.create(Clock.systemUTC(), new SecureRandom()), 2 * users);
            long start = threads.getCurrentThreadCpuTime();
            for (Assertion a : assertions) {
                verifier.verify(a, challenge, policy);
            }
            long first = threads.getCurrentThreadCpuTime();
            for (Assertion a : assertions) {
                verifier.verify(a, challenge, policy);
            }
            long repeat = threads.getCurrentThreadCpuTime();
            System.out.printf(
                    "round %d, %d users: first verification %.1f µs CPU each, repeat %.1f µs%n",
                    round, users, (first - start) / 1e3 / users, (repeat - first) / 1e3 / users);
        }
    }
}
