package org.cagate.server.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.cagate.server.account.CagateUser;
import org.cagate.server.web.ApiException;
import org.cagate.server.web.ProblemCode;
import org.cagate.server.web.WebProperties;
import org.springframework.stereotype.Service;

/**
 * The audit list as CSV for Excel: UTF-8 with a byte order mark (without it Excel reads Chinese as
 * mojibake), CRLF rows, every cell quoted, times in the pages' time zone. A cell that starts with
 * {@code = + - @} (or a tab or carriage return) is prefixed with {@code '} so a spreadsheet shows it as
 * text instead of running it as a formula (CSV injection): login names, details and key ids come from
 * users. At most {@code cagate.audit.export-max-rows} events; each export is itself audited.
 */
@Service
public class AuditExport {

    static final AuditAction EXPORTED = AuditAction.of("AUDIT_EXPORTED");

    static final List<String> HEADER =
            List.of("时间", "操作", "结果", "原因", "操作人账户", "操作人姓名", "对象账户", "对象姓名", "单位", "CA服务商", "CA锁ID", "IP地址", "详情");

    private final AuditService service;
    private final AuditRepository events;
    private final AuditLabels labels;
    private final AuditLog audit;
    private final AuditProperties properties;
    private final DateTimeFormatter time;

    AuditExport(
            AuditService service,
            AuditRepository events,
            AuditLabels labels,
            AuditLog audit,
            AuditProperties properties,
            WebProperties web) {
        this.service = service;
        this.events = events;
        this.labels = labels;
        this.audit = audit;
        this.properties = properties;
        this.time = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(web.timeZone());
    }

    /**
     * Checks the scope and the size first, so a refusal is a problem answer rather than a broken file.
     *
     * @return the number of events the export will hold
     * @throws ApiException FORBIDDEN outside the user's scope, VALIDATION when too many events match
     */
    public long check(CagateUser user, AuditQuery query) {
        long count = events.count(service.scoped(user, query));
        if (count > properties.exportMaxRows()) {
            throw ApiException.detail(
                    ProblemCode.VALIDATION, "validation.audit.export", String.valueOf(properties.exportMaxRows()));
        }
        return count;
    }

    public void write(CagateUser user, AuditQuery query, String clientIp, Writer out) throws IOException {
        AuditQuery scoped = service.scoped(user, query);
        out.write('\uFEFF');
        row(out, HEADER);
        int[] rows = {0};
        try {
            events.each(scoped, properties.exportMaxRows(), event -> {
                rows[0]++;
                try {
                    row(out, cells(event));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        out.flush();
        audit.record(AuditEvent.success(EXPORTED)
                .actor(user.accountId(), user.displayName())
                .organization(scoped.organizationId())
                .clientIp(clientIp)
                .detail("rows=" + rows[0])
                .build());
    }

    private List<String> cells(AuditRecord e) {
        return List.of(
                time.format(e.occurredAt()),
                labels.action(e.action()),
                labels.outcome(e.outcome()),
                labels.reason(e.reasonCode()),
                text(e.actorLogin()),
                text(e.actorName()),
                text(e.subjectLogin()),
                text(e.subjectName()),
                text(e.organizationName()),
                text(e.providerCode()),
                text(e.keyId()),
                text(e.clientIp()),
                labels.detail(e.detail()));
    }

    private static void row(Writer out, List<String> cells) throws IOException {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(cell(cells.get(i)));
        }
        out.write("\r\n");
    }

    /** One quoted cell, safe from formula injection. */
    static String cell(String value) {
        String text = value == null ? "" : value;
        if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
            text = "'" + text;
        }
        return "\"" + text.replace("\"", "\"\"") + "\"";
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }
}
