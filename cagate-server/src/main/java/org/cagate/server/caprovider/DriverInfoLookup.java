package org.cagate.server.caprovider;

import java.time.Instant;
import java.util.Optional;

/**
 * The driver package a provider's users should install, as {@code GET /api/ca/providers} shows it in
 * {@code driver}. The download centre (issue 7) implements this as a bean; until it does, every
 * provider answers {@code driver: null}.
 */
public interface DriverInfoLookup {

    /** No driver packages known: what the server answers without the download centre. */
    DriverInfoLookup NONE = providerCode -> Optional.empty();

    /** The newest package for the provider, if there is one. */
    Optional<DriverInfo> latest(String providerCode);

    /** As the wire contract names it: {@code driver{version, updatedAt, downloadUrl, sha256}}. */
    record DriverInfo(String version, Instant updatedAt, String downloadUrl, String sha256) {}
}
