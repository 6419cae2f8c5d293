package org.cagate.server.cacheck;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.cagate.pki.Assertion;
import org.cagate.pki.Certificates;
import org.cagate.pki.Challenge;
import org.cagate.pki.PkiException;
import org.cagate.server.account.AccountStatus;
import org.cagate.server.audit.AuditAction;
import org.cagate.server.audit.AuditEvent;
import org.cagate.server.audit.AuditLog;
import org.cagate.server.binding.BindingRepository;
import org.cagate.server.binding.BindingRepository.LoginBinding;
import org.cagate.server.caprovider.CaProvider;
import org.cagate.server.caprovider.CaProviderRegistry;
import org.cagate.server.challenge.CaVerifier;
import org.cagate.server.challenge.ChallengeService;
import org.cagate.server.challenge.SealedChallenge;
import org.cagate.server.challenge.SignedAssertion;
import org.cagate.server.throttle.RateLimiter;
import org.cagate.server.web.ApiException;
import org.cagate.server.web.ProblemCode;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Service;

/**
 * The server side of CA 检测. Without a PIN: what the provider thinks of a certificate the agent lists.
 * With a PIN: a LOGIN challenge signed by the key, verified exactly as the CA login verifies it (same
 * challenge rules, same verifier) but without a session, then whether the key is bound and whether that
 * account could log in with it now. A certificate the provider would refuse is reported rather than
 * refused, with every reason; the binding is looked up only for a certificate the provider trusts, so an
 * untrusted certificate that claims someone's identity learns nothing about their account.
 */
@Service
class CaCheckService {

    static final AuditAction CA_CHECK = AuditAction.of("CA_CHECK");

    /**
     * Refusals from the verifier's steps after the signature check (validity, path, usage, revocation):
     * the key did sign the challenge, only its certificate is not accepted.
     */
    private static final Set<ProblemCode> CERTIFICATE_REFUSALS = EnumSet.of(
            ProblemCode.CERT_EXPIRED,
            ProblemCode.CERT_NOT_YET_VALID,
            ProblemCode.CERT_UNTRUSTED,
            ProblemCode.CERT_USAGE,
            ProblemCode.CERT_REVOKED,
            ProblemCode.REVOCATION_UNAVAILABLE);

    private final ChallengeService challenges;
    private final CaProviderRegistry providers;
    private final CaVerifier verifier;
    private final CertificateInspector inspector;
    private final BindingRepository bindings;
    private final RateLimiter rateLimiter;
    private final AuditLog audit;
    private final MessageSource messages;
    private final CaCheckProperties properties;

    CaCheckService(
            ChallengeService challenges,
            CaProviderRegistry providers,
            CaVerifier verifier,
            CertificateInspector inspector,
            BindingRepository bindings,
            RateLimiter rateLimiter,
            AuditLog audit,
            MessageSource messages,
            CaCheckProperties properties) {
        this.challenges = challenges;
        this.providers = providers;
        this.verifier = verifier;
        this.inspector = inspector;
        this.bindings = bindings;
        this.rateLimiter = rateLimiter;
        this.audit = audit;
        this.messages = messages;
        this.properties = properties;
    }

    record ProviderRef(String code, String name) {}

    record AccountRef(String loginName, String displayName) {}

    /**
     * @param loginReady whether a CA login with this key would succeed now
     * @param reason why not: a certificate finding, CA_NOT_BOUND, ACCOUNT_DISABLED, REGION_CA_DISABLED or
     *     PROVIDER_DISABLED; null when it would
     */
    record BindingStatus(boolean bound, AccountRef account, boolean loginReady, String reason, String message) {}

    /** @param binding null when the certificate is not trusted by the provider (then nothing is looked up) */
    record Result(ProviderRef provider, String tokenSerial, CertificateReport certificate, BindingStatus binding) {}

    /**
     * @throws ApiException RATE_LIMITED, PROVIDER_UNKNOWN or CERT_MALFORMED
     */
    CertificateReport certificate(String providerCode, String certificate, String clientIp) {
        rateLimiter.acquire("ca-check-cert-ip:" + clientIp, properties.certificatePerIp());
        CaProvider provider =
                providers.find(providerCode).orElseThrow(() -> new ApiException(ProblemCode.PROVIDER_UNKNOWN));
        X509Certificate parsed;
        try {
            parsed = Certificates.parseBase64(certificate);
        } catch (PkiException | RuntimeException e) {
            throw ApiException.detail(ProblemCode.CERT_MALFORMED, "validation.check.certificate");
        }
        return inspector.inspect(parsed, List.of(), provider);
    }

    /**
     * @param origin the request's Origin header, or null
     * @throws ApiException RATE_LIMITED, CHALLENGE_*, ORIGIN_MISMATCH, PROVIDER_*, SIGNATURE_INVALID or
     *     CERT_MALFORMED: the request does not show that the key signed this platform's challenge
     */
    Result check(SignedAssertion signed, String clientIp, String origin) {
        String providerCode = null;
        String keyId = null;
        try {
            // 1. Not too many checks from this address; 2. the challenge is spent, whatever follows.
            rateLimiter.acquire("ca-check-ip:" + clientIp, properties.perIp());
            SealedChallenge challenge = challenges.consume(signed.challengeId());
            providerCode = challenge.providerCode();
            // 3. Unexpired, a LOGIN challenge, for this platform's origin (as the CA login requires).
            challenges.check(challenge, Challenge.Purpose.LOGIN, null, origin);
            CaProvider provider = providers
                    .find(challenge.providerCode())
                    .orElseThrow(() -> new ApiException(ProblemCode.PROVIDER_UNKNOWN));
            if (!provider.enabled()) {
                throw new ApiException(ProblemCode.PROVIDER_DISABLED);
            }
            // 4. The key signed the challenge; the certificate is reported whether or not it is accepted.
            CertificateReport report = report(signed, challenge, provider);
            keyId = report.keyId();
            // 5. Not too many checks of this key.
            if (keyId != null) {
                rateLimiter.acquire("ca-check-key:" + provider.code() + ":" + keyId, properties.perKey());
            }
            // 6. Bound, and could it log in? Only for a certificate of this provider.
            BindingStatus binding = report.trusted() && keyId != null ? binding(provider, keyId, report) : null;
            Optional<LoginBinding> account =
                    binding != null && binding.bound() ? bindings.forLogin(provider.code(), keyId) : Optional.empty();
            audit.record(AuditEvent.success(CA_CHECK)
                    .subject(account.map(LoginBinding::accountId).orElse(null))
                    .organization(account.map(LoginBinding::organizationId).orElse(null))
                    .provider(provider.code())
                    .keyId(keyId)
                    .clientIp(clientIp)
                    .detail("findings="
                            + report.findings().stream()
                                    .map(CertificateReport.Finding::code)
                                    .toList()
                            + " bound=" + (binding == null ? "unknown" : binding.bound())
                            + (binding == null ? "" : " loginReady=" + binding.loginReady()))
                    .build());
            return new Result(new ProviderRef(provider.code(), provider.name()), signed.tokenSerial(), report, binding);
        } catch (ApiException e) {
            audit.record(AuditEvent.failure(CA_CHECK, e.code().name())
                    .provider(providerCode)
                    .keyId(keyId)
                    .clientIp(clientIp)
                    .build());
            throw e;
        }
    }

    private CertificateReport report(SignedAssertion signed, SealedChallenge challenge, CaProvider provider) {
        try {
            return inspector.accepted(verifier.verify(signed, challenge, provider));
        } catch (ApiException e) {
            // The verifier checks the signature (its step 2) before validity, path, usage and revocation
            // (steps 3-6), so these refusals come from a key that did sign: report the certificate.
            Assertion assertion = signed.toAssertion();
            if (!CERTIFICATE_REFUSALS.contains(e.code()) || assertion.certificate() == null) {
                throw e;
            }
            try {
                List<X509Certificate> chain = new ArrayList<>();
                for (byte[] der : assertion.chain()) {
                    chain.add(Certificates.parse(der));
                }
                return inspector.inspect(Certificates.parse(assertion.certificate()), chain, provider);
            } catch (PkiException parse) {
                throw e; // parsed once by the verifier already; cannot happen
            }
        }
    }

    private BindingStatus binding(CaProvider provider, String keyId, CertificateReport report) {
        Optional<LoginBinding> found = bindings.forLogin(provider.code(), keyId);
        if (found.isEmpty()) {
            return new BindingStatus(false, null, false, "CA_NOT_BOUND", text("problem.CA_NOT_BOUND.detail"));
        }
        LoginBinding b = found.get();
        AccountRef account = new AccountRef(b.loginName(), b.displayName());
        // The CA login's last steps, in its order: certificate, account, region, provider in the region.
        String reason = null;
        if (!report.acceptable()) {
            reason = report.findings().get(0).code();
        } else if (b.status() != AccountStatus.ACTIVE) {
            reason = ProblemCode.ACCOUNT_DISABLED.name();
        } else if (b.regionCode() == null || !b.regionCaEnabled()) {
            reason = ProblemCode.REGION_CA_DISABLED.name();
        } else if (!provider.usableIn(b.regionCode())) {
            reason = ProblemCode.PROVIDER_DISABLED.name();
        }
        String message = reason == null
                ? text("check.bound.ready", b.displayName(), b.loginName())
                : text("check.bound.blocked", b.displayName(), b.loginName(), text("problem." + reason + ".detail"));
        return new BindingStatus(true, account, reason == null, reason, message);
    }

    private String text(String key, Object... args) {
        return messages.getMessage(key, args, key, LocaleContextHolder.getLocale());
    }
}
