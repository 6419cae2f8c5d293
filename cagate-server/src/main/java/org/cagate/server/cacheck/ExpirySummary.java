package org.cagate.server.cacheck;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cagate.server.audit.AuditAction;
import org.cagate.server.audit.AuditEvent;
import org.cagate.server.audit.AuditLog;
import org.cagate.server.caprovider.CaProvider;
import org.cagate.server.caprovider.CaProviderRegistry;
import org.cagate.server.web.WebProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The daily audit summary for ORG_ADMINs: one CA_EXPIRY_SUMMARY event per organisation and day (in
 * {@code cagate.web.time-zone}) listing its bound keys whose certificate has ended or ends within 30
 * days, written with the organisation so that its ORG_ADMINs read it among their audit events. Every
 * node runs the job (hourly by default, so a node that was down does not skip a day); the event is
 * written in the same transaction as the organisation's (organisation, day) row of
 * {@code ca_expiry_summary}, whose primary key lets exactly one node have it.
 */
@Service
public class ExpirySummary {

    public static final AuditAction SUMMARY = AuditAction.of("CA_EXPIRY_SUMMARY");

    private static final Logger log = LoggerFactory.getLogger(ExpirySummary.class);
    private static final int MAX_LISTED = 12;

    private final ExpiryRepository repository;
    private final CaProviderRegistry providers;
    private final AuditLog audit;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final ZoneId zone;
    private final DateTimeFormatter date;

    ExpirySummary(
            ExpiryRepository repository,
            CaProviderRegistry providers,
            AuditLog audit,
            TransactionTemplate transactions,
            Clock clock,
            WebProperties web) {
        this.repository = repository;
        this.providers = providers;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
        this.zone = web.timeZone();
        this.date = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(zone);
    }

    /** @return the number of summaries this node wrote (0 when others had written them already) */
    @Scheduled(cron = "${cagate.ca.expiry-summary-cron:0 5 * * * *}", zone = "${cagate.web.time-zone:Asia/Shanghai}")
    public int summarize() {
        Instant now = clock.instant();
        LocalDate day = LocalDate.ofInstant(now, zone);
        Map<Long, List<ExpiryRepository.Expiring>> byOrganization = new LinkedHashMap<>();
        for (ExpiryRepository.Expiring e : repository.all(now.plus(CertificateReport.EXPIRY_WARNING))) {
            byOrganization
                    .computeIfAbsent(e.organizationId(), o -> new ArrayList<>())
                    .add(e);
        }
        int written = 0;
        for (Map.Entry<Long, List<ExpiryRepository.Expiring>> entry : byOrganization.entrySet()) {
            long organization = entry.getKey();
            List<ExpiryRepository.Expiring> expiring = entry.getValue();
            try {
                transactions.executeWithoutResult(status -> {
                    repository.claim(organization, day, expiring.size(), now);
                    audit.record(AuditEvent.success(SUMMARY)
                            .actor(null, "系统")
                            .organization(organization)
                            .detail(detail(expiring, now))
                            .build());
                });
                written++;
            } catch (DuplicateKeyException e) {
                // Another node (or an earlier run today) wrote this organisation's summary.
            }
        }
        repository.forgetBefore(day.minusDays(7));
        if (written > 0) {
            log.info("Wrote {} CA expiry summaries for {}", written, day);
        }
        return written;
    }

    /** e.g. "2 个 CA 证书已过期或将在 30 天内到期：西子（PGHS008）浙江汇信CA CA锁 330400007180230SE 2026-12-20 到期；..." */
    private String detail(List<ExpiryRepository.Expiring> expiring, Instant now) {
        StringBuilder text =
                new StringBuilder().append(expiring.size()).append(" 个 CA 证书已过期或将在 30 天内到期，请提醒持有人联系 CA 服务商更新证书：");
        for (int i = 0; i < expiring.size() && i < MAX_LISTED; i++) {
            ExpiryRepository.Expiring e = expiring.get(i);
            text.append(i == 0 ? "" : "；")
                    .append(e.displayName())
                    .append("（")
                    .append(e.loginName())
                    .append("）")
                    .append(providers
                            .find(e.providerCode())
                            .map(CaProvider::name)
                            .orElse(e.providerCode()))
                    .append(" CA锁 ")
                    .append(ExpiryReminders.keyLabel(e))
                    .append(' ')
                    .append(date.format(e.notAfter()))
                    .append(e.notAfter().isAfter(now) ? " 到期" : " 已过期");
        }
        if (expiring.size() > MAX_LISTED) {
            text.append("；等");
        }
        return text.append('。').toString();
    }
}
