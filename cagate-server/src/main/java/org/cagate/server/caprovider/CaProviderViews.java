package org.cagate.server.caprovider;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.cagate.pki.RevocationPolicy;
import org.cagate.pki.TrustAnchors;

/** How the JSON API shows CA providers: to everyone (the login page) and to platform operators. */
final class CaProviderViews {

    private CaProviderViews() {}

    /** {@code GET /api/ca/providers}: {@code {code, name, enabled, algorithms[], driver}}; driver may be null. */
    record PublicView(
            String code, String name, boolean enabled, List<String> algorithms, DriverInfoLookup.DriverInfo driver) {

        static PublicView of(CaProvider provider, DriverInfoLookup drivers) {
            return new PublicView(
                    provider.code(),
                    provider.name(),
                    provider.enabled(),
                    provider.algorithms(),
                    drivers.latest(provider.code()).orElse(null));
        }
    }

    /**
     * {@code GET/PUT /api/admin/ca-providers/{code}}: the fields of the PUT body (trustAnchors as PEM, so
     * a GET can be edited and put back) plus each anchor's subject, validity and SHA-256, the version
     * and the time of the last change.
     */
    record AdminView(
            String code,
            String name,
            boolean enabled,
            List<String> trustAnchors,
            List<Anchor> anchors,
            Identity identity,
            Revocation revocation,
            List<String> regions,
            List<String> algorithms,
            String servicePhone,
            String applyUrl,
            String applyNote,
            long version,
            Instant updatedAt) {

        static AdminView of(CaProvider p) {
            RevocationPolicy r = p.policy().revocation();
            return new AdminView(
                    p.code(),
                    p.name(),
                    p.enabled(),
                    p.anchorPems(),
                    p.anchors().stream().map(Anchor::of).toList(),
                    new Identity(
                            p.policy().identity().source().name(),
                            p.policy().identity().oid()),
                    new Revocation(
                            r.mode().name(),
                            r.failOpen(),
                            r.crlUrls().stream().map(Objects::toString).toList(),
                            r.ocspUrl() == null ? null : r.ocspUrl().toString(),
                            r.fetchHosts(),
                            r.fetchPrivateAddresses()),
                    p.regions().stream().sorted().toList(),
                    p.algorithms(),
                    p.servicePhone(),
                    p.applyUrl(),
                    p.applyNote(),
                    p.version(),
                    p.updatedAt());
        }
    }

    record Anchor(
            boolean root,
            String subject,
            String issuer,
            String serialNumber,
            Instant notBefore,
            Instant notAfter,
            String sha256) {

        static Anchor of(TrustAnchors.Entry e) {
            return new Anchor(
                    e.root(),
                    e.details().subject(),
                    e.details().issuer(),
                    e.details().serialNumber(),
                    e.details().notBefore(),
                    e.details().notAfter(),
                    e.details().sha256());
        }
    }

    record Identity(String source, String oid) {}

    record Revocation(
            String mode,
            boolean failOpen,
            List<String> crlUrls,
            String ocspUrl,
            List<String> fetchHosts,
            boolean fetchPrivateAddresses) {}
}
