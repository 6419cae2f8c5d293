package org.cagate.server.caprovider;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.cagate.pki.ProviderPolicy;
import org.cagate.pki.TrustAnchors;

/**
 * A CA provider as one node currently knows it: what operators configured, the verifier's {@link
 * ProviderPolicy} built from it, and the row's {@code version} (bumped on every change). Immutable;
 * {@link CaProviderRegistry} hands out the current one.
 *
 * @param regions the region codes where the provider is offered (binding and CA login)
 * @param algorithms the wire names of the signature algorithms its trust anchors' keys use
 * @param anchorPems the trust anchors, one PEM certificate each, roots first
 * @param servicePhone the CA company's service phone for CA证书申领, or null
 * @param applyUrl where certificates are applied for (http or https), or null
 * @param applyNote how to apply, a short text, or null
 */
public record CaProvider(
        String code,
        String name,
        boolean enabled,
        Set<String> regions,
        List<String> algorithms,
        ProviderPolicy policy,
        List<String> anchorPems,
        String servicePhone,
        String applyUrl,
        String applyNote,
        long version,
        Instant updatedAt) {

    public CaProvider {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(policy, "policy");
        regions = Set.copyOf(regions);
        algorithms = List.copyOf(algorithms);
        anchorPems = List.copyOf(anchorPems);
    }

    /** Whether the provider is enabled and offered in the region (null: no region, never). */
    public boolean usableIn(String regionCode) {
        return enabled && regionCode != null && regions.contains(regionCode);
    }

    /** Each trust anchor with subject, validity and SHA-256, roots first. */
    public List<TrustAnchors.Entry> anchors() {
        return policy.trust().entries();
    }
}
