package org.cagate.testca;

import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.KeyUsage;

/** Builds a provider's test CA: a self-signed root and, when asked, one intermediate that issues users. */
public final class CaBuilder {
    private final String code;
    private KeyAlgorithm algorithm = KeyAlgorithm.EC_P256;
    private String name;
    private boolean intermediate;
    private Clock clock = Clock.systemUTC();
    private SecureRandom random = new SecureRandom();
    private Instant notBefore;
    private Instant notAfter;

    CaBuilder(String code) {
        this.code = Objects.requireNonNull(code, "code");
        this.name = code + " Test Root CA";
    }

    public CaBuilder rsa() {
        return algorithm(KeyAlgorithm.RSA_2048);
    }

    public CaBuilder ec() {
        return algorithm(KeyAlgorithm.EC_P256);
    }

    public CaBuilder ec384() {
        return algorithm(KeyAlgorithm.EC_P384);
    }

    public CaBuilder sm2() {
        return algorithm(KeyAlgorithm.SM2);
    }

    public CaBuilder algorithm(KeyAlgorithm algorithm) {
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
        return this;
    }

    /** The root's common name, e.g. "浙江汇信CA 测试根证书". */
    public CaBuilder name(String commonName) {
        this.name = Objects.requireNonNull(commonName, "commonName");
        return this;
    }

    /** Users are issued by an intermediate CA under the root, as most real CA companies do. */
    public CaBuilder withIntermediate() {
        this.intermediate = true;
        return this;
    }

    public CaBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    public CaBuilder random(SecureRandom random) {
        this.random = Objects.requireNonNull(random, "random");
        return this;
    }

    public CaBuilder validity(Instant notBefore, Instant notAfter) {
        this.notBefore = Objects.requireNonNull(notBefore, "notBefore");
        this.notAfter = Objects.requireNonNull(notAfter, "notAfter");
        return this;
    }

    /**
     * Loads the CA saved in the folder, or builds a new one and saves it there: the demo's first start
     * makes provider roots, later starts reuse them. The builder's clock and random serve the loaded CA.
     */
    public TestCa buildOrLoad(java.nio.file.Path folder) throws java.io.IOException {
        if (TestCa.isSaved(folder)) {
            TestCa loaded = TestCa.load(folder, clock, random);
            if (!loaded.providerCode().equals(code) || loaded.algorithm() != algorithm) {
                throw new IllegalStateException("folder " + folder + " holds " + loaded.providerCode() + " "
                        + loaded.algorithm() + ", not " + code + " " + algorithm);
            }
            return loaded;
        }
        TestCa ca = build();
        ca.save(folder);
        return ca;
    }

    public TestCa build() {
        Instant now = clock.instant();
        Instant from = notBefore != null ? notBefore : now.minus(Duration.ofDays(1));
        Instant to = notAfter != null ? notAfter : now.plus(Duration.ofDays(3650));
        int caUsage = KeyUsage.keyCertSign | KeyUsage.cRLSign;

        KeyPair rootKey = algorithm.generate(random);
        X500Name rootName = Names.ca(name);
        X509Certificate root = new CertificateMaker(algorithm, random)
                .subject(rootName)
                .issuer(rootName, rootKey)
                .publicKey(rootKey.getPublic())
                .validity(from, to)
                .ca(1)
                .keyUsage(caUsage)
                .make();
        if (!intermediate) {
            return new TestCa(code, algorithm, root, rootKey, null, clock, random);
        }
        KeyPair subKey = algorithm.generate(random);
        X509Certificate sub = new CertificateMaker(algorithm, random)
                .subject(Names.ca(code + " Test Issuing CA"))
                .issuer(rootName, rootKey)
                .issuerCertificate(root)
                .publicKey(subKey.getPublic())
                .validity(from, to)
                .ca(0)
                .keyUsage(caUsage)
                .make();
        return new TestCa(code, algorithm, root, rootKey, new TestCa.Issuer(sub, subKey), clock, random);
    }
}
