package org.cagate.server.audit;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Locale;
import java.util.regex.Pattern;
import org.cagate.server.web.ApiException;
import org.cagate.server.web.ProblemCode;

/**
 * The filters of an audit list, checked: each may be absent (null). {@code from} is inclusive and
 * {@code to} exclusive; a date given as {@code yyyy-MM-dd} covers that whole day in the pages' time zone.
 *
 * @param actor login name or display name of who acted
 * @param account login name or display name of the account acted upon
 * @param organizationId the organisation the event belongs to (operators only; an ORG_ADMIN has theirs)
 */
public record AuditQuery(
        String actor,
        String account,
        String action,
        AuditOutcome outcome,
        String ip,
        Instant from,
        Instant to,
        Long organizationId) {

    static final int MAX_TEXT = 100;
    private static final Pattern ACTION = Pattern.compile("[A-Z][A-Z0-9_]{0,39}");

    /**
     * From request parameters as they arrive; blank means absent.
     *
     * @throws ApiException VALIDATION naming what is wrong
     */
    public static AuditQuery parse(
            String actor,
            String account,
            String action,
            String outcome,
            String ip,
            String from,
            String to,
            Long organizationId,
            ZoneId zone) {
        String actionName = text(action);
        if (actionName != null && !ACTION.matcher(actionName).matches()) {
            throw ApiException.detail(ProblemCode.VALIDATION, "validation.audit.action");
        }
        AuditOutcome parsedOutcome = outcome(text(outcome));
        Instant start = instant(text(from), zone, false);
        Instant end = instant(text(to), zone, true);
        if (start != null && end != null && end.isBefore(start)) {
            throw ApiException.detail(ProblemCode.VALIDATION, "validation.audit.range");
        }
        return new AuditQuery(
                text(actor), text(account), actionName, parsedOutcome, text(ip), start, end, organizationId);
    }

    /** The same filters with the organisation an actor's scope allows. */
    AuditQuery inOrganization(Long organization) {
        return new AuditQuery(actor, account, action, outcome, ip, from, to, organization);
    }

    private static String text(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String trimmed = value.trim();
        if (trimmed.length() > MAX_TEXT) {
            throw ApiException.detail(ProblemCode.VALIDATION, "validation.audit.text");
        }
        return trimmed;
    }

    private static AuditOutcome outcome(String value) {
        if (value == null) {
            return null;
        }
        try {
            return AuditOutcome.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.detail(ProblemCode.VALIDATION, "validation.audit.outcome");
        }
    }

    /** A day (its start, or for an end the start of the next day) or an exact ISO-8601 instant. */
    private static Instant instant(String value, ZoneId zone, boolean end) {
        if (value == null) {
            return null;
        }
        try {
            if (value.length() == 10) {
                LocalDate day = LocalDate.parse(value);
                return (end ? day.plusDays(1) : day).atStartOfDay(zone).toInstant();
            }
            return Instant.parse(value);
        } catch (DateTimeException e) {
            throw ApiException.detail(ProblemCode.VALIDATION, "validation.audit.date");
        }
    }
}
