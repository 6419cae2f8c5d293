package org.cagate.pki;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Everything the verifier needs about one CA provider (浙江汇信CA, 四川CA, ...). Cheap to build: the
 * verifier's caches are keyed by {@link #version()}, which is derived from the content, so a provider
 * rebuilt with the same anchors keeps its cached paths and one with new anchors does not.
 *
 * @param code the provider code of the challenge, {@code [A-Z0-9_]{1,32}}
 */
public record ProviderPolicy(String code, TrustAnchors trust, IdentityRule identity, RevocationPolicy revocation) {

    private static final Pattern CODE = Pattern.compile("[A-Z0-9_]{1,32}");

    public ProviderPolicy {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(trust, "trust");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(revocation, "revocation");
        if (!CODE.matcher(code).matches()) {
            throw new IllegalArgumentException("provider code must match " + CODE + ", got " + code);
        }
    }

    /** Identifies what path validation depends on: the trust anchors. */
    public String version() {
        return trust.fingerprint();
    }
}
