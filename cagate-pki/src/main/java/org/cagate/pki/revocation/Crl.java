package org.cagate.pki.revocation;

import java.math.BigInteger;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A fetched CRL, indexed by serial number so a lookup costs a hash probe whatever its size, and the
 * issuers it has been verified against, so its signature is checked once per issuer, not per lookup.
 */
public final class Crl {

    /** One revoked serial: when, and the RFC 5280 reason code (0 when the entry has none). */
    public record Entry(Instant revokedAt, int reason) {}

    private final X509CRL crl;
    private final Instant thisUpdate;
    private final Instant nextUpdate;
    private final Map<BigInteger, Entry> revoked;
    private final Set<String> verifiedIssuers = ConcurrentHashMap.newKeySet();

    Crl(X509CRL crl) {
        this.crl = crl;
        this.thisUpdate = crl.getThisUpdate().toInstant();
        this.nextUpdate =
                crl.getNextUpdate() == null ? null : crl.getNextUpdate().toInstant();
        Map<BigInteger, Entry> entries = new HashMap<>();
        Set<? extends X509CRLEntry> listed = crl.getRevokedCertificates();
        if (listed != null) {
            for (X509CRLEntry entry : listed) {
                int reason = entry.getRevocationReason() == null
                        ? 0
                        : entry.getRevocationReason().ordinal();
                entries.put(
                        entry.getSerialNumber(),
                        new Entry(entry.getRevocationDate().toInstant(), reason));
            }
        }
        this.revoked = Map.copyOf(entries);
    }

    public Optional<Entry> revocation(BigInteger serialNumber) {
        return Optional.ofNullable(revoked.get(serialNumber));
    }

    public Instant thisUpdate() {
        return thisUpdate;
    }

    /** Null when the CRL has none (RFC 5280 requires it; such a CRL is trusted for the minimum interval). */
    public Instant nextUpdate() {
        return nextUpdate;
    }

    public int size() {
        return revoked.size();
    }

    X509CRL x509() {
        return crl;
    }

    boolean verifiedFor(String issuerSha256) {
        return verifiedIssuers.contains(issuerSha256);
    }

    void markVerifiedFor(String issuerSha256) {
        verifiedIssuers.add(issuerSha256);
    }
}
