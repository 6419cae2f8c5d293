package org.cagate.server.audit;

import java.time.ZoneId;

/**
 * The audit filters as request parameters ({@code ?actor=&account=&action=&outcome=&ip=&from=&to=&organizationId=}),
 * bound by Spring for the API, the CSV and the page alike; {@link #toQuery} checks them.
 */
record AuditFilter(
        String actor,
        String account,
        String action,
        String outcome,
        String ip,
        String from,
        String to,
        Long organizationId) {

    static final AuditFilter NONE = new AuditFilter(null, null, null, null, null, null, null, null);

    AuditQuery toQuery(ZoneId zone) {
        return AuditQuery.parse(actor, account, action, outcome, ip, from, to, organizationId, zone);
    }
}
