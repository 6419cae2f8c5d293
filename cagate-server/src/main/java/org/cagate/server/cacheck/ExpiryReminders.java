package org.cagate.server.cacheck;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.cagate.server.account.CagateUser;
import org.cagate.server.caprovider.CaProvider;
import org.cagate.server.caprovider.CaProviderRegistry;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * The 应用中心 reminder of the signed-in user's own bindings whose certificate has ended or ends within
 * {@link CertificateReport#EXPIRY_WARNING}: {@code th:with="r=${@caReminders.mine()}"} in the fragment
 * {@code cacheck/reminders :: reminders}. One indexed query per 应用中心 visit; nothing for operators
 * outside an organisation.
 */
@Component("caReminders")
public class ExpiryReminders {

    private final ExpiryRepository repository;
    private final CaProviderRegistry providers;
    private final Clock clock;

    ExpiryReminders(ExpiryRepository repository, CaProviderRegistry providers, Clock clock) {
        this.repository = repository;
        this.providers = providers;
        this.clock = clock;
    }

    /** One bound key whose certificate needs renewing; key is the CA锁ID as the CA管理 list shows it. */
    public record Reminder(String providerName, String key, Instant notAfter, long daysLeft, boolean expired) {}

    public List<Reminder> mine() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null
                || !(authentication.getPrincipal() instanceof CagateUser user)
                || user.organizationId() == null) {
            return List.of();
        }
        Instant now = clock.instant();
        return repository.forAccount(user.accountId(), now.plus(CertificateReport.EXPIRY_WARNING)).stream()
                .map(e -> new Reminder(
                        providers.find(e.providerCode()).map(CaProvider::name).orElse(e.providerCode()),
                        keyLabel(e),
                        e.notAfter(),
                        CertificateReport.daysLeft(e.notAfter(), now),
                        !e.notAfter().isAfter(now)))
                .toList();
    }

    /** The serial printed on the key when the agent reported one, else the start of the key id. */
    static String keyLabel(ExpiryRepository.Expiring e) {
        if (e.tokenSerial() != null) {
            return e.tokenSerial();
        }
        String id = e.keyId().matches("[0-9a-f]+") ? e.keyId().toUpperCase(java.util.Locale.ROOT) : e.keyId();
        return id.length() <= 24 ? id : id.substring(0, 16) + "…";
    }
}
