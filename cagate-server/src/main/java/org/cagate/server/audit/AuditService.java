package org.cagate.server.audit;

import org.cagate.server.account.CagateUser;
import org.cagate.server.account.Role;
import org.cagate.server.web.ApiException;
import org.cagate.server.web.PageQuery;
import org.cagate.server.web.PageResult;
import org.cagate.server.web.ProblemCode;
import org.springframework.stereotype.Service;

/**
 * Who may read which audit events: a platform operator every event (and may narrow to one
 * organisation); an ORG_ADMIN only the events of their own organisation, whatever else they ask for (an
 * explicit other organisation is FORBIDDEN); anyone else none.
 */
@Service
public class AuditService {

    private final AuditRepository events;

    AuditService(AuditRepository events) {
        this.events = events;
    }

    public PageResult<AuditRecord> list(CagateUser user, AuditQuery query, PageQuery page) {
        return events.list(scoped(user, query), page);
    }

    /**
     * The query confined to what the user may read.
     *
     * @throws ApiException FORBIDDEN for a user who may read no events, or another organisation's
     */
    AuditQuery scoped(CagateUser user, AuditQuery query) {
        if (user == null) {
            throw new ApiException(ProblemCode.UNAUTHENTICATED);
        }
        if (user.isPlatformAdmin()) {
            return query;
        }
        Long own = user.organizationId();
        if (!user.hasRole(Role.ORG_ADMIN) || own == null) {
            throw new ApiException(ProblemCode.FORBIDDEN);
        }
        if (query.organizationId() != null && !query.organizationId().equals(own)) {
            throw new ApiException(ProblemCode.FORBIDDEN);
        }
        return query.inOrganization(own);
    }
}
