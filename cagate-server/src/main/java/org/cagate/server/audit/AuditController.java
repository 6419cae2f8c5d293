package org.cagate.server.audit;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import org.cagate.server.account.CagateUser;
import org.cagate.server.system.ClientIp;
import org.cagate.server.web.PageQuery;
import org.cagate.server.web.PageResult;
import org.cagate.server.web.WebProperties;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/audit/events} (a page of events, newest first) and {@code GET /api/audit/events.csv}
 * (all of them, for Excel), with the filters of {@link AuditFilter}: platform operators see every
 * organisation's events, ORG_ADMINs their own organisation's ({@link AuditService}).
 */
@RestController
@RequestMapping("/api/audit")
class AuditController {

    private final AuditService service;
    private final AuditExport export;
    private final AuditLabels labels;
    private final WebProperties web;
    private final Clock clock;

    AuditController(AuditService service, AuditExport export, AuditLabels labels, WebProperties web, Clock clock) {
        this.service = service;
        this.export = export;
        this.labels = labels;
        this.web = web;
        this.clock = clock;
    }

    record Person(Long id, String loginName, String displayName) {}

    record Organization(Long id, String name) {}

    /** One event; {@code actionName} and {@code reason} are the Chinese texts the page shows. */
    record EventView(
            long id,
            Instant occurredAt,
            String action,
            String actionName,
            AuditOutcome outcome,
            String reasonCode,
            String reason,
            Person actor,
            Person account,
            Organization organization,
            String provider,
            String keyId,
            String clientIp,
            String detail) {}

    @GetMapping("/events")
    PageResult<EventView> list(
            @AuthenticationPrincipal CagateUser user,
            AuditFilter filter,
            @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size) {
        return service.list(user, filter.toQuery(web.timeZone()), PageQuery.of(page, size))
                .map(this::view);
    }

    @GetMapping("/events.csv")
    void csv(
            @AuthenticationPrincipal CagateUser user,
            AuditFilter filter,
            HttpServletRequest request,
            HttpServletResponse response)
            throws IOException {
        AuditQuery query = filter.toQuery(web.timeZone());
        export.check(user, query);
        String day = DateTimeFormatter.BASIC_ISO_DATE.withZone(web.timeZone()).format(clock.instant());
        response.setContentType("text/csv;charset=UTF-8");
        response.setHeader(
                HttpHeaders.CONTENT_DISPOSITION,
                ContentDisposition.attachment()
                        .filename("审计日志-" + day + ".csv", StandardCharsets.UTF_8)
                        .build()
                        .toString());
        Writer out = new BufferedWriter(new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8));
        export.write(user, query, ClientIp.of(request), out);
    }

    private EventView view(AuditRecord e) {
        return new EventView(
                e.id(),
                e.occurredAt(),
                e.action(),
                labels.action(e.action()),
                e.outcome(),
                e.reasonCode(),
                e.reasonCode() == null ? null : labels.reason(e.reasonCode()),
                e.actorAccountId() == null && e.actorName() == null
                        ? null
                        : new Person(e.actorAccountId(), e.actorLogin(), e.actorName()),
                e.subjectAccountId() == null
                        ? null
                        : new Person(e.subjectAccountId(), e.subjectLogin(), e.subjectName()),
                e.organizationId() == null ? null : new Organization(e.organizationId(), e.organizationName()),
                e.providerCode(),
                e.keyId(),
                e.clientIp(),
                e.detail());
    }
}
