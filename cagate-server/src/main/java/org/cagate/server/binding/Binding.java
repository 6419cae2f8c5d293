package org.cagate.server.binding;

import java.time.Instant;
import java.util.Objects;
import org.cagate.pki.CertificateDetails;

/**
 * A binding of a key to an account, with the account's names and who bound it, read in one query.
 *
 * @param keyId the provider's key id ("CA锁ID" for uniqueness and login)
 * @param tokenSerial the serial the agent reported (shown as the CA锁ID when present), or null
 * @param certificate the certificate last seen for the key (refreshed when a renewed one logs in)
 */
public record Binding(
        long id,
        long accountId,
        String loginName,
        String displayName,
        Long organizationId,
        String providerCode,
        String keyId,
        String tokenSerial,
        CertificateDetails certificate,
        long boundById,
        String boundByName,
        Instant boundAt,
        boolean active,
        Instant unboundAt) {

    public Binding {
        Objects.requireNonNull(providerCode, "providerCode");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(certificate, "certificate");
    }

    /** What people read as the CA锁ID: the key's printed serial when the agent reported one, else the key id. */
    public String displayKeyId() {
        return tokenSerial != null ? tokenSerial : keyId;
    }
}
