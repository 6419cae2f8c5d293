package org.cagate.server.cacheck;

import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.cagate.pki.AssertionVerifier;
import org.cagate.pki.CertificateInspection;
import org.cagate.pki.Reason;
import org.cagate.pki.VerifiedAssertion;
import org.cagate.pki.revocation.RevocationChecker;
import org.cagate.server.caprovider.CaProvider;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Component;

/**
 * Steps 3–7 of the verification for a certificate without a signature (cagate-pki's {@code inspect}):
 * validity, a path to the provider's roots, key usage, revocation and the key id, every finding
 * collected. It has its own {@link AssertionVerifier} (path and revocation caches) because the one of
 * {@code challenge.CaVerifier} offers no inspection; CA 检测 is rare next to logins.
 */
@Component
class CertificateInspector {

    private final AssertionVerifier verifier;
    private final MessageSource messages;
    private final Clock clock;

    CertificateInspector(Clock clock, SecureRandom random, MessageSource messages) {
        this.verifier = new AssertionVerifier(clock, RevocationChecker.create(clock, random));
        this.messages = messages;
        this.clock = clock;
    }

    CertificateReport inspect(X509Certificate certificate, List<X509Certificate> chain, CaProvider provider) {
        Instant now = clock.instant();
        CertificateInspection inspection = verifier.inspect(certificate, chain, provider.policy());
        List<CertificateReport.Finding> findings = new ArrayList<>();
        for (CertificateInspection.Finding f : inspection.findings()) {
            String code = f.reason().name();
            if (findings.stream().noneMatch(known -> known.code().equals(code))) {
                findings.add(finding(code));
            }
        }
        return new CertificateReport(
                inspection.details(),
                CertificateReport.daysLeft(inspection.details().notAfter(), now),
                CertificateReport.validity(inspection.details(), now),
                !inspection.has(Reason.CERT_UNTRUSTED),
                findings,
                inspection.keyId() == null ? null : inspection.keyId().value());
    }

    /** The report of a certificate the verifier accepted: nothing found. */
    CertificateReport accepted(VerifiedAssertion verified) {
        Instant now = clock.instant();
        return new CertificateReport(
                verified.details(),
                CertificateReport.daysLeft(verified.details().notAfter(), now),
                CertificateReport.validity(verified.details(), now),
                true,
                List.of(),
                verified.keyId().value());
    }

    /** A problem code with the text the API gives for it (the request's language, Chinese by default). */
    CertificateReport.Finding finding(String code) {
        String text = messages.getMessage("problem." + code + ".detail", null, code, LocaleContextHolder.getLocale());
        return new CertificateReport.Finding(code, text);
    }
}
