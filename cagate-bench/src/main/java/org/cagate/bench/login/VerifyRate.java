package org.cagate.bench.login;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import org.cagate.pki.BouncyCastle;
import org.cagate.pki.Challenge;
import org.cagate.testca.Credential;

/**
 * The bare signature check a CA login cannot do without: one thread, Bouncy Castle's SHA256withECDSA
 * {@code Signature.verify} of a challenge-sized message with a P-256 key, nothing else. Measured in the
 * same run as the logins so the two can be compared; the thread's CPU time per verify is given too, as it
 * holds when other processes share the machine.
 *
 * @param perSecond verifies per second of wall-clock time
 * @param cpuMicros CPU time of the measuring thread per verify
 */
record VerifyRate(double perSecond, double cpuMicros, long count) {

    /** Both measurements as one: the rates and CPU times over both windows together. */
    VerifyRate and(VerifyRate other) {
        long n = count + other.count;
        double seconds = count / perSecond + other.count / other.perSecond;
        return new VerifyRate(n / seconds, (cpuMicros * count + other.cpuMicros * other.count) / n, n);
    }

    static VerifyRate measure(Credential credential, Duration warmUp, Duration measure) {
        try {
            byte[] message = new Challenge(
                            Challenge.Purpose.LOGIN,
                            "https://platform.example.gov.cn",
                            "BENCH",
                            new byte[Challenge.NONCE_BYTES],
                            Instant.parse("2026-11-28T10:00:00Z"))
                    .toBytes();
            Signature signer = Signature.getInstance("SHA256withECDSA", BouncyCastle.provider());
            signer.initSign(credential.keyPair().getPrivate(), new SecureRandom());
            signer.update(message);
            byte[] signature = signer.sign();
            PublicKey key = credential.certificate().getPublicKey();
            Signature verifier = Signature.getInstance("SHA256withECDSA", BouncyCastle.provider());
            run(verifier, key, message, signature, warmUp);
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long cpu0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            long count = run(verifier, key, message, signature, measure);
            long wall = System.nanoTime() - t0;
            long cpu = threads.getCurrentThreadCpuTime() - cpu0;
            return new VerifyRate(count * 1e9 / wall, cpu / 1e3 / count, count);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Bouncy Castle cannot verify P-256", e);
        }
    }

    private static long run(Signature verifier, PublicKey key, byte[] message, byte[] signature, Duration time)
            throws GeneralSecurityException {
        long end = System.nanoTime() + time.toNanos();
        long count = 0;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 20; i++) {
                verifier.initVerify(key);
                verifier.update(message);
                if (!verifier.verify(signature)) {
                    throw new IllegalStateException("a good signature did not verify");
                }
            }
            count += 20;
        }
        return count;
    }
}
