package org.cagate.server.caprovider;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * The body of {@code PUT /api/admin/ca-providers/{code}}: the wire contract's fields ({@code name,
 * enabled, trustAnchors[PEM], identity{source, oid}, revocation{mode, failOpen, crlUrls[], ocspUrl, fetchHosts[], fetchPrivateAddresses},
 * regions[]}) plus what CA证书申领 shows ({@code servicePhone, applyUrl, applyNote}).
 */
record CaProviderRequest(
        @NotBlank @Size(max = 100) String name,
        @NotNull Boolean enabled,
        @NotEmpty @Size(max = 20) List<@NotBlank @Size(max = 200_000) String> trustAnchors,
        @Valid Identity identity,
        @Valid Revocation revocation,
        @Size(max = 500) List<@NotBlank @Size(max = 32) String> regions,
        @Size(max = 50) String servicePhone,
        @Size(max = 1000) String applyUrl,
        @Size(max = 1000) String applyNote) {

    /** {@code source}: SPKI_SHA256 (default), ISSUER_SERIAL, SUBJECT_ATTRIBUTE or EXTENSION; {@code oid} for the last two. */
    record Identity(
            @Size(max = 20) String source, @Size(max = 128) String oid) {}

    /** {@code mode}: NONE (default), CRL, OCSP or OCSP_THEN_CRL. */
    record Revocation(
            @Size(max = 16) String mode,
            Boolean failOpen,
            @Size(max = 10) List<@NotBlank @Size(max = 1000) String> crlUrls,
            @Size(max = 1000) String ocspUrl,
            @Size(max = 20) List<@NotBlank @Size(max = 200) String> fetchHosts,
            Boolean fetchPrivateAddresses) {}
}
