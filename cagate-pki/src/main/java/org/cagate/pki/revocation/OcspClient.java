package org.cagate.pki.revocation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.cagate.pki.BouncyCastle;
import org.cagate.pki.PkiException;
import org.cagate.pki.Reason;

/**
 * Asks an OCSP responder about one certificate (RFC 6960): a request with a fresh nonce, an answer
 * signed by the issuer itself or by a responder certificate the issuer delegated with id-kp-OCSPSigning,
 * for exactly the certificate asked about, current at the clock. GOOD and REVOKED answers are cached
 * until their nextUpdate; each answer without a nextUpdate, or UNKNOWN, is asked again next time.
 */
public final class OcspClient {
    public static final int MAX_RESPONSE_BYTES = 64 * 1024;
    static final Duration SKEW = Duration.ofMinutes(5);
    private static final int NONCE_BYTES = 16;

    private final HttpFetcher fetcher;
    private final Clock clock;
    private final SecureRandom random;
    private final DigestCalculatorProvider digests;
    private final Cache<Key, OcspAnswer> answers;

    private record Key(URI responder, String issuerSha256, BigInteger serial) {}

    public OcspClient(HttpFetcher fetcher, Clock clock, SecureRandom random) {
        this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.answers = Caffeine.newBuilder()
                .executor(Runnable::run)
                .maximumSize(100_000)
                .build();
        try {
            this.digests = new JcaDigestCalculatorProviderBuilder()
                    .setProvider(BouncyCastle.provider())
                    .build();
        } catch (OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The verified status of {@code certificate}, issued by {@code issuer}, from {@code responder}.
     *
     * @throws PkiException {@link Reason#REVOCATION_UNAVAILABLE} when no verified, current answer can be
     *     had: network, HTTP or OCSP errors, a bad signature or responder, a nonce or certificate mismatch
     */
    public OcspAnswer status(X509Certificate certificate, X509Certificate issuer, URI responder) throws PkiException {
        Instant now = clock.instant();
        Key key = new Key(responder, org.cagate.pki.Certificates.sha256Hex(issuer), certificate.getSerialNumber());
        OcspAnswer cached = answers.getIfPresent(key);
        if (cached != null && cached.nextUpdate() != null && now.isBefore(cached.nextUpdate())) {
            return cached;
        }
        OcspAnswer answer = ask(certificate, issuer, responder, now);
        if (answer.status() != OcspAnswer.Status.UNKNOWN && answer.nextUpdate() != null) {
            answers.put(key, answer);
        }
        return answer;
    }

    private OcspAnswer ask(X509Certificate certificate, X509Certificate issuer, URI responder, Instant now)
            throws PkiException {
        try {
            X509CertificateHolder issuerHolder = new JcaX509CertificateHolder(issuer);
            CertificateID id = new CertificateID(
                    digests.get(CertificateID.HASH_SHA1), issuerHolder, certificate.getSerialNumber());
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Extension nonceExtension = new Extension(
                    OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false, new DEROctetString(nonce).getEncoded());
            byte[] request = new OCSPReqBuilder()
                    .addRequest(id)
                    .setRequestExtensions(new Extensions(nonceExtension))
                    .build()
                    .getEncoded();
            byte[] body = fetcher.post(
                    responder, "application/ocsp-request", request, "application/ocsp-response", MAX_RESPONSE_BYTES);
            return read(new OCSPResp(body), id, issuerHolder, issuer, nonceExtension, now);
        } catch (IOException | OCSPException | OperatorCreationException | RuntimeException e) {
            throw unavailable(responder, e.toString(), e);
        } catch (Unusable e) {
            throw unavailable(responder, e.getMessage(), null);
        } catch (java.security.cert.CertificateEncodingException e) {
            throw unavailable(responder, "issuer certificate: " + e.getMessage(), e);
        }
    }

    private OcspAnswer read(
            OCSPResp response,
            CertificateID id,
            X509CertificateHolder issuerHolder,
            X509Certificate issuer,
            Extension nonce,
            Instant now)
            throws OCSPException, Unusable {
        if (response.getStatus() != OCSPResp.SUCCESSFUL) {
            throw new Unusable("responder status " + response.getStatus());
        }
        if (!(response.getResponseObject() instanceof BasicOCSPResp basic)) {
            throw new Unusable("not a basic OCSP response");
        }
        OcspResponderCheck.verifySigner(basic, issuerHolder, issuer, digests, now);
        Extension echoed = basic.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
        if (echoed == null
                || !Arrays.equals(
                        echoed.getExtnValue().getOctets(), nonce.getExtnValue().getOctets())) {
            throw new Unusable(echoed == null ? "no nonce in the answer" : "nonce mismatch (replayed answer?)");
        }
        for (SingleResp single : basic.getResponses()) {
            if (single.getCertID().getSerialNumber().equals(id.getSerialNumber())
                    && single.getCertID().matchesIssuer(issuerHolder, digests)) {
                return answer(single, now);
            }
        }
        throw new Unusable("no answer for serial " + id.getSerialNumber().toString(16));
    }

    private static OcspAnswer answer(SingleResp single, Instant now) throws Unusable {
        Instant thisUpdate = single.getThisUpdate().toInstant();
        Instant nextUpdate =
                single.getNextUpdate() == null ? null : single.getNextUpdate().toInstant();
        if (thisUpdate.isAfter(now.plus(SKEW))) {
            throw new Unusable("answer from the future, thisUpdate " + thisUpdate);
        }
        if (nextUpdate != null && nextUpdate.plus(SKEW).isBefore(now)) {
            throw new Unusable("stale answer, nextUpdate " + nextUpdate);
        }
        CertificateStatus status = single.getCertStatus();
        if (status == CertificateStatus.GOOD) {
            return new OcspAnswer(OcspAnswer.Status.GOOD, thisUpdate, nextUpdate, null, 0);
        }
        if (status instanceof RevokedStatus revoked) {
            int reason = revoked.hasRevocationReason() ? revoked.getRevocationReason() : 0;
            return new OcspAnswer(
                    OcspAnswer.Status.REVOKED,
                    thisUpdate,
                    nextUpdate,
                    revoked.getRevocationTime().toInstant(),
                    reason);
        }
        return new OcspAnswer(OcspAnswer.Status.UNKNOWN, thisUpdate, nextUpdate, null, 0);
    }

    private static PkiException unavailable(URI responder, String detail, Throwable cause) {
        return new PkiException(Reason.REVOCATION_UNAVAILABLE, "OCSP " + responder + ": " + detail, cause);
    }

    /** An answer that arrived but cannot be relied on. */
    static final class Unusable extends Exception {
        private static final long serialVersionUID = 1L;

        Unusable(String message) {
            super(message);
        }
    }
}
