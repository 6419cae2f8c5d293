package org.cagate.server.organization;

import java.time.Instant;

/** A 单位 (supplier, purchaser, agency) in one region. */
public record Organization(long id, String name, String regionCode, String regionName, Instant createdAt) {}
