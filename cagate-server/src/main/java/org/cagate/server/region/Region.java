package org.cagate.server.region;

import java.time.Instant;

/** A 区划 and whether CA business (binding and CA login) is open there. */
public record Region(String code, String name, boolean caEnabled, Instant updatedAt) {}
