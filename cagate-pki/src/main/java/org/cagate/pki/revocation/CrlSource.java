package org.cagate.pki.revocation;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.asn1.x509.Extension;
import org.cagate.pki.BouncyCastle;
import org.cagate.pki.Certificates;
import org.cagate.pki.PkiException;
import org.cagate.pki.Reason;

/**
 * Fetches CRLs and keeps each until its nextUpdate. A fresh cached CRL is answered without touching the
 * network; a missing or stale one is fetched by the first caller while others for the same URL wait for
 * that one fetch; after a failed or useless fetch the URL is not tried again before {@code
 * minRefetchInterval}, so a CA outage does not turn every login into a slow request to it.
 */
public final class CrlSource {
    public static final Duration DEFAULT_MIN_REFETCH = Duration.ofMinutes(1);
    public static final int DEFAULT_MAX_BYTES = 16 * 1024 * 1024;
    /** Clocks disagree; a CRL issued a little in "the future" is still this CRL. */
    static final Duration SKEW = Duration.ofMinutes(5);

    private final HttpFetcher fetcher;
    private final Clock clock;
    private final Duration minRefetchInterval;
    private final int maxBytes;
    private final Map<URI, Slot> slots = new ConcurrentHashMap<>();

    /** Per URL: the last good CRL, and when and why the last fetch happened. */
    private static final class Slot {
        volatile Crl current;
        Instant lastAttempt;
        String lastFailure;
    }

    public CrlSource(HttpFetcher fetcher, Clock clock) {
        this(fetcher, clock, DEFAULT_MIN_REFETCH, DEFAULT_MAX_BYTES);
    }

    public CrlSource(HttpFetcher fetcher, Clock clock, Duration minRefetchInterval, int maxBytes) {
        this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.minRefetchInterval = Objects.requireNonNull(minRefetchInterval, "minRefetchInterval");
        this.maxBytes = maxBytes;
    }

    /**
     * The current CRL at {@code url}, verified as issued and signed by {@code issuer}.
     *
     * @throws PkiException {@link Reason#REVOCATION_UNAVAILABLE} when no current CRL of that issuer can be
     *     had from that URL
     */
    public Crl crl(URI url, X509Certificate issuer) throws PkiException {
        Slot slot = slots.computeIfAbsent(url, u -> new Slot());
        Crl cached = slot.current;
        Instant now = clock.instant();
        if (cached != null && isCurrent(cached, now)) {
            return verified(url, cached, issuer);
        }
        synchronized (slot) {
            cached = slot.current;
            now = clock.instant();
            if (cached != null && isCurrent(cached, now)) {
                return verified(url, cached, issuer);
            }
            if (slot.lastAttempt != null && now.isBefore(slot.lastAttempt.plus(minRefetchInterval))) {
                throw unavailable(
                        url,
                        "not refetched before " + slot.lastAttempt.plus(minRefetchInterval)
                                + (slot.lastFailure == null ? "" : "; last fetch: " + slot.lastFailure));
            }
            slot.lastAttempt = now;
            try {
                Crl fetched = new Crl(parse(fetcher.get(url, "application/pkix-crl", maxBytes)));
                slot.current = fetched;
                if (!isCurrent(fetched, now)) {
                    slot.lastFailure = "stale CRL, nextUpdate " + fetched.nextUpdate();
                    throw unavailable(url, slot.lastFailure);
                }
                slot.lastFailure = null;
                return verified(url, fetched, issuer);
            } catch (IOException e) {
                slot.lastFailure = e.toString();
                throw new PkiException(Reason.REVOCATION_UNAVAILABLE, "CRL " + url + ": " + e, e);
            }
        }
    }

    private boolean isCurrent(Crl crl, Instant now) {
        if (crl.thisUpdate().isAfter(now.plus(SKEW))) {
            return false;
        }
        Instant until =
                crl.nextUpdate() != null ? crl.nextUpdate() : crl.thisUpdate().plus(minRefetchInterval);
        return now.isBefore(until);
    }

    private static X509CRL parse(byte[] der) throws IOException {
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509", BouncyCastle.provider());
            X509CRL crl = (X509CRL) factory.generateCRL(new ByteArrayInputStream(der));
            if (crl == null) {
                throw new IOException("not a CRL");
            }
            if (crl.getExtensionValue(Extension.deltaCRLIndicator.getId()) != null) {
                throw new IOException("a delta CRL; only complete CRLs are supported");
            }
            return crl;
        } catch (java.security.GeneralSecurityException | RuntimeException e) {
            throw new IOException("not a CRL: " + e.getMessage(), e);
        }
    }

    /** Issuer name, cRLSign usage and signature, checked once per CRL and issuer. */
    private static Crl verified(URI url, Crl crl, X509Certificate issuer) throws PkiException {
        String issuerId = Certificates.sha256Hex(issuer);
        if (crl.verifiedFor(issuerId)) {
            return crl;
        }
        X509CRL x509 = crl.x509();
        if (!x509.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            throw unavailable(
                    url, "issued by " + x509.getIssuerX500Principal() + ", not by " + issuer.getSubjectX500Principal());
        }
        boolean[] usage = issuer.getKeyUsage();
        if (usage != null && (usage.length < 7 || !usage[6])) {
            throw unavailable(url, "the issuer may not sign CRLs (no cRLSign)");
        }
        try {
            x509.verify(issuer.getPublicKey(), BouncyCastle.provider());
        } catch (java.security.GeneralSecurityException | RuntimeException e) {
            throw new PkiException(Reason.REVOCATION_UNAVAILABLE, "CRL " + url + " signature invalid", e);
        }
        crl.markVerifiedFor(issuerId);
        return crl;
    }

    private static PkiException unavailable(URI url, String detail) {
        return new PkiException(Reason.REVOCATION_UNAVAILABLE, "CRL " + url + ": " + detail);
    }
}
