package org.cagate.bench.pki;

import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cagate.pki.Assertion;
import org.cagate.pki.AssertionVerifier;
import org.cagate.pki.BouncyCastle;
import org.cagate.pki.Challenge;
import org.cagate.pki.IdentityRule;
import org.cagate.pki.PkiException;
import org.cagate.pki.ProviderPolicy;
import org.cagate.pki.RevocationPolicy;
import org.cagate.pki.TrustAnchors;
import org.cagate.pki.VerifiedAssertion;
import org.cagate.pki.revocation.RevocationChecker;
import org.cagate.pki.revocation.RevocationStatus;
import org.cagate.testca.Credential;
import org.cagate.testca.CrlServer;
import org.cagate.testca.KeyAlgorithm;
import org.cagate.testca.TestCa;
import org.cagate.testca.TestPki;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Verified assertions per second, warm (the leaf, its path and its CRL are cached), next to the bare
 * {@code Signature.verify} of the same key and algorithm in the same run. {@code full} starts from the
 * wire strings, as the server gets them: base64 decoding, parsing lookups, the signature (RAW, or CMS
 * with its signed attributes), validity, path, usage, revocation by a CRL from the certificate's
 * distribution point (served on loopback by cagate-testca), and the key id. {@code bare} is
 * initVerify + update + verify on a Signature object made once, with the provider cagate-pki uses for
 * that algorithm (BC for EC and SM2, the JDK for RSA).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class VerifyBenchmark {

    @Param({"RSA_2048", "EC_P256", "SM2"})
    public String algorithm;

    @Param({"RAW", "CMS"})
    public String format;

    private CrlServer crlServer;
    private AssertionVerifier verifier;
    private ProviderPolicy provider;
    private byte[] challenge;
    private String[] wire;
    private List<String> chain;
    private Signature bare;
    private PublicKey publicKey;
    private byte[] rawSignature;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        KeyAlgorithm keyAlgorithm = KeyAlgorithm.valueOf(algorithm);
        TestCa ca = TestPki.provider("BENCH")
                .algorithm(keyAlgorithm)
                .withIntermediate()
                .build();
        crlServer = CrlServer.start(ca);
        Credential user = ca.user("压测用户").crlDistributionPoint(crlServer.url()).issue();
        provider = new ProviderPolicy(
                "BENCH",
                TrustAnchors.of(List.of(ca.root())),
                IdentityRule.SPKI_SHA256,
                // The CRL server listens on 127.0.0.1: a certificate URL reaches it only when allowed.
                RevocationPolicy.crl(false).withFetch(List.of("127.0.0.1"), true));
        verifier = new AssertionVerifier(
                Clock.systemUTC(), RevocationChecker.create(Clock.systemUTC(), new SecureRandom()));

        byte[] nonce = new byte[Challenge.NONCE_BYTES];
        new SecureRandom().nextBytes(nonce);
        challenge = new Challenge(
                        Challenge.Purpose.LOGIN,
                        "https://platform.example.gov.cn",
                        "BENCH",
                        nonce,
                        Clock.systemUTC().instant())
                .toBytes();
        String signatureName =
                keyAlgorithm == KeyAlgorithm.EC_P384 ? "SHA256withECDSA" : keyAlgorithm.signatureAlgorithm();
        Base64.Encoder b64 = Base64.getEncoder();
        chain = List.of(b64.encodeToString(ca.intermediate().orElseThrow().getEncoded()));
        rawSignature = Signing.raw(user, signatureName, challenge);
        byte[] signature = format.equals("RAW") ? rawSignature : Signing.cms(user, signatureName, challenge);
        wire = new String[] {
            format, signatureName, b64.encodeToString(user.certificate().getEncoded()), b64.encodeToString(signature)
        };

        publicKey = user.certificate().getPublicKey();
        bare = keyAlgorithm == KeyAlgorithm.RSA_2048
                ? Signature.getInstance(signatureName)
                : Signature.getInstance(signatureName, BouncyCastle.provider());

        VerifiedAssertion first = full();
        if (first.revocation().outcome() != RevocationStatus.Outcome.GOOD_BY_CRL || !bareVerify()) {
            throw new IllegalStateException("benchmark set-up does not verify: " + first.revocation());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        crlServer.close();
    }

    /** Everything the server does with an assertion, from the wire strings to a VerifiedAssertion. */
    @Benchmark
    public VerifiedAssertion full() throws PkiException {
        Assertion assertion = Assertion.fromWire(wire[0], wire[1], wire[2], chain, wire[3], null);
        return verifier.verify(assertion, challenge, provider);
    }

    /**
     * {@code paired}: full and bare at the same time on two threads, so that whatever else the machine
     * runs slows both alike; the ratio of their rates is the cost of everything but the signature, even
     * on a busy machine where sequential runs disagree by more than the effect measured.
     */
    @Benchmark
    @Group("paired")
    @GroupThreads(1)
    public VerifiedAssertion pairedFull() throws PkiException {
        return full();
    }

    @Benchmark
    @Group("paired")
    @GroupThreads(1)
    public boolean pairedBare() throws Exception {
        return bareVerify();
    }

    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();

    /** Verifications of each kind per {@link #interleaved} call. */
    static final int BLOCK = 50;

    /**
     * {@code interleaved}: a block of full verifications, then a block of bare ones, each block timed in
     * this thread's CPU time ({@link CpuCounters}). fullCpuNanos / bareCpuNanos is the cost ratio; CPU time
     * and alternation keep it steady on a machine where other processes move wall-clock rates by more than
     * the difference measured. The score counts pairs (one full and one bare) per second.
     */
    @Benchmark
    @OperationsPerInvocation(BLOCK)
    public boolean interleaved(CpuCounters counters) throws Exception {
        boolean ok = true;
        long t0 = THREADS.getCurrentThreadCpuTime();
        for (int i = 0; i < BLOCK; i++) {
            ok &= full() != null;
        }
        long t1 = THREADS.getCurrentThreadCpuTime();
        for (int i = 0; i < BLOCK; i++) {
            ok &= bareVerify();
        }
        long t2 = THREADS.getCurrentThreadCpuTime();
        counters.fullCpuNanos += t1 - t0;
        counters.bareCpuNanos += t2 - t1;
        return ok;
    }

    /** The signature check alone: the floor of any verification. */
    @Benchmark
    public boolean bareVerify() throws Exception {
        bare.initVerify(publicKey);
        bare.update(challenge);
        boolean ok = bare.verify(rawSignature);
        if (!ok) {
            throw new IllegalStateException("bare signature does not verify");
        }
        return ok;
    }
}
