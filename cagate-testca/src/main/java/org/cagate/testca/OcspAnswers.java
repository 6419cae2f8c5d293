package org.cagate.testca;

import java.io.IOException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/** Builds signed OCSP answers from a test CA's issued and revoked serials; the HTTP side is in OcspResponder. */
final class OcspAnswers {
    private final TestCa ca;
    private final DigestCalculatorProvider digests;
    private volatile Credential signer;
    private Credential delegate;
    private volatile boolean includeSignerCertificate = true;
    private volatile boolean echoNonce = true;
    private volatile Duration thisUpdateAge = Duration.ofMinutes(1);
    private volatile Duration nextUpdateIn = Duration.ofHours(1);
    private volatile Instant fixedThisUpdate;
    private volatile Instant fixedNextUpdate;
    private volatile boolean fixed;

    OcspAnswers(TestCa ca) {
        this.ca = ca;
        try {
            this.digests = new JcaDigestCalculatorProviderBuilder()
                    .setProvider(BouncyCastle.PROVIDER)
                    .build();
        } catch (OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    void signer(Credential signer) {
        this.signer = signer;
    }

    synchronized Credential delegate() {
        if (delegate == null) {
            delegate = ca.ocspSigner();
        }
        return delegate;
    }

    void includeSignerCertificate(boolean include) {
        this.includeSignerCertificate = include;
    }

    void echoNonce(boolean echo) {
        this.echoNonce = echo;
    }

    void window(Duration thisUpdateAge, Duration nextUpdateIn) {
        this.thisUpdateAge = Objects.requireNonNull(thisUpdateAge, "thisUpdateAge");
        this.nextUpdateIn = Objects.requireNonNull(nextUpdateIn, "nextUpdateIn");
        this.fixed = false;
    }

    void fixedTimes(Instant thisUpdate, Instant nextUpdate) {
        this.fixedThisUpdate = Objects.requireNonNull(thisUpdate, "thisUpdate");
        this.fixedNextUpdate = nextUpdate;
        this.fixed = true;
    }

    static byte[] status(int status) {
        try {
            return new OCSPRespBuilder().build(status, null).getEncoded();
        } catch (OCSPException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    byte[] answer(OCSPReq request) {
        Credential chosen = signer;
        X509Certificate signerCertificate = chosen != null ? chosen.certificate() : ca.issuerCertificate();
        KeyPair signerKey = chosen != null ? chosen.keyPair() : ca.issuer().key();
        Instant now = ca.clock().instant();
        Instant thisUpdate = fixed ? fixedThisUpdate : now.minus(thisUpdateAge);
        Instant nextUpdate = fixed ? fixedNextUpdate : now.plus(nextUpdateIn);
        try {
            X509CertificateHolder issuer = new JcaX509CertificateHolder(ca.issuerCertificate());
            BasicOCSPRespBuilder builder = new BasicOCSPRespBuilder(
                    SubjectPublicKeyInfo.getInstance(
                            signerCertificate.getPublicKey().getEncoded()),
                    digests.get(CertificateID.HASH_SHA1));
            for (Req one : request.getRequestList()) {
                CertificateID id = one.getCertID();
                builder.addResponse(
                        id,
                        status(id, issuer),
                        Date.from(thisUpdate),
                        nextUpdate != null ? Date.from(nextUpdate) : null,
                        null);
            }
            Extension nonce = request.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
            if (nonce != null && echoNonce) {
                builder.setResponseExtensions(new Extensions(nonce));
            }
            X509CertificateHolder[] chain = includeSignerCertificate
                    ? new X509CertificateHolder[] {new JcaX509CertificateHolder(signerCertificate)}
                    : null;
            // A delegate or a foreign signer need not use the CA's algorithm.
            KeyAlgorithm algorithm = KeyAlgorithm.of(signerCertificate.getPublicKey());
            return new OCSPRespBuilder()
                    .build(
                            OCSPRespBuilder.SUCCESSFUL,
                            builder.build(CertificateMaker.signer(algorithm, signerKey), chain, Date.from(now)))
                    .getEncoded();
        } catch (OCSPException | IOException | CertificateEncodingException | OperatorCreationException e) {
            throw new IllegalStateException("cannot build OCSP answer", e);
        }
    }

    /** RFC 6960 2.2: revoked if revoked, good if this CA issued it, unknown otherwise (including other issuers). */
    private CertificateStatus status(CertificateID id, X509CertificateHolder issuer) throws OCSPException {
        if (!id.matchesIssuer(issuer, digests)) {
            return new UnknownStatus();
        }
        BigInteger serial = id.getSerialNumber();
        Optional<TestCa.Revocation> revocation = ca.revocation(serial);
        if (revocation.isPresent()) {
            return new RevokedStatus(
                    Date.from(revocation.get().revokedAt()), revocation.get().reason());
        }
        return ca.issued(serial).isPresent() ? CertificateStatus.GOOD : new UnknownStatus();
    }
}
