package org.cagate.server.organization;

import java.time.Instant;

/** A 部门 of an organisation. */
public record Department(long id, long organizationId, String name, Instant createdAt) {}
