package org.cagate.server.binding;

import java.time.Instant;
import org.cagate.server.caprovider.CaProvider;

/**
 * A binding as the JSON API shows it: {@code {id, account{id,loginName,displayName}, provider{code,name},
 * keyId, certificate{serialNumber, subject, issuer, notBefore, notAfter, sha256}, boundBy{id,displayName},
 * boundAt}} plus {@code tokenSerial} (what the agent reported; null when it reported none).
 */
record BindingView(
        long id,
        AccountRef account,
        ProviderRef provider,
        String keyId,
        String tokenSerial,
        CertificateView certificate,
        BoundBy boundBy,
        Instant boundAt) {

    record AccountRef(long id, String loginName, String displayName) {}

    record ProviderRef(String code, String name) {}

    record CertificateView(
            String serialNumber, String subject, String issuer, Instant notBefore, Instant notAfter, String sha256) {}

    record BoundBy(long id, String displayName) {}

    static BindingView of(Binding b, CaProvider provider) {
        var c = b.certificate();
        return new BindingView(
                b.id(),
                new AccountRef(b.accountId(), b.loginName(), b.displayName()),
                new ProviderRef(b.providerCode(), provider == null ? b.providerCode() : provider.name()),
                b.keyId(),
                b.tokenSerial(),
                new CertificateView(c.serialNumber(), c.subject(), c.issuer(), c.notBefore(), c.notAfter(), c.sha256()),
                new BoundBy(b.boundById(), b.boundByName()),
                b.boundAt());
    }
}
