package org.cagate.server.caprovider;

import java.net.URI;
import java.net.URISyntaxException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.cagate.pki.Certificates;
import org.cagate.pki.IdentityRule;
import org.cagate.pki.PkiException;
import org.cagate.pki.RevocationPolicy;
import org.cagate.pki.TrustAnchors;
import org.cagate.server.account.CagateUser;
import org.cagate.server.audit.AuditAction;
import org.cagate.server.audit.AuditEvent;
import org.cagate.server.audit.AuditLog;
import org.cagate.server.region.RegionRepository;
import org.cagate.server.web.ApiException;
import org.cagate.server.web.ProblemCode;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Creates and changes CA providers (PLATFORM_ADMIN). Everything is checked before anything is stored:
 * each trust anchor must be a PEM CA certificate and there must be a self-signed root; the identity
 * rule needs an OID when it reads an attribute or extension; revocation URLs are absolute http(s);
 * regions exist. The identity rule cannot change while keys are bound with it, since their key ids
 * would no longer match. Every change is audited (PROVIDER_CHANGED) and reaches every node within
 * {@code cagate.ca.provider-refresh}.
 */
@Service
class CaProviderService {

    static final Pattern CODE = Pattern.compile("[A-Z0-9_]{1,32}");
    private static final Pattern PHONE = Pattern.compile("[0-9+()\\- ]{3,50}");

    private final CaProviderRepository repository;
    private final CaProviderRegistry registry;
    private final RegionRepository regions;
    private final AuditLog audit;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;

    CaProviderService(
            CaProviderRepository repository,
            CaProviderRegistry registry,
            RegionRepository regions,
            AuditLog audit,
            JdbcClient jdbc,
            TransactionTemplate transactions,
            Clock clock) {
        this.repository = repository;
        this.registry = registry;
        this.regions = regions;
        this.audit = audit;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** Stores the provider; returns it as this node now knows it and whether it was new. */
    Saved put(CagateUser actor, String code, CaProviderRequest request, String clientIp) {
        if (code == null || !CODE.matcher(code).matches()) {
            throw ApiException.detail(ProblemCode.VALIDATION, "validation.provider.code");
        }
        CaProviderRepository.Row row = check(code, request);
        boolean created = Boolean.TRUE.equals(transactions.execute(status -> {
            boolean isNew = !repository.exists(code);
            CaProvider previous = isNew ? null : registry.find(code).orElse(null);
            if (previous != null && identityChanged(previous, row) && hasActiveBindings(code)) {
                throw ApiException.detail(ProblemCode.CONFLICT, "validation.provider.identityInUse");
            }
            long version = repository.save(row, clock.instant());
            audit.record(AuditEvent.success(AuditAction.PROVIDER_CHANGED)
                    .actor(actor.accountId(), actor.displayName())
                    .provider(code)
                    .clientIp(clientIp)
                    .detail(describe(row, version, isNew))
                    .build());
            return isNew;
        }));
        registry.changed(); // after the commit, so this node's next lookup reads the new version
        return new Saved(registry.find(code).orElseThrow(), created);
    }

    record Saved(CaProvider provider, boolean created) {}

    /** Turns the request into a row, or throws VALIDATION naming what is wrong, in Chinese. */
    CaProviderRepository.Row check(String code, CaProviderRequest request) {
        TrustAnchors trust = anchors(request.trustAnchors());
        IdentityRule identity = identity(request.identity());
        RevocationPolicy revocation = revocation(request.revocation());
        Set<String> regionCodes = new LinkedHashSet<>(request.regions() == null ? List.of() : request.regions());
        for (String region : regionCodes) {
            if (regions.find(region).isEmpty()) {
                throw ApiException.detail(ProblemCode.VALIDATION, "validation.provider.region", region);
            }
        }
        String phone = blankToNull(request.servicePhone());
        if (phone != null && !PHONE.matcher(phone).matches()) {
            throw ApiException.detail(ProblemCode.VALIDATION, "validation.provider.phone");
        }
        String applyUrl = blankToNull(request.applyUrl());
        if (applyUrl != null) {
            httpUrl(applyUrl, "validation.provider.applyUrl");
        }
        StringBuilder pems = new StringBuilder();
        trust.roots().forEach(c -> pems.append(Certificates.toPem(c)));
        trust.intermediates().forEach(c -> pems.append(Certificates.toPem(c)));
        return new CaProviderRepository.Row(
                code,
                request.name().trim(),
                request.enabled(),
                pems.toString(),
                identity.source().name(),
                identity.oid(),
                revocation.mode().name(),
                revocation.failOpen(),
                revocation.crlUrls().stream().map(URI::toString).toList(),
                revocation.ocspUrl() == null ? null : revocation.ocspUrl().toString(),
                revocation.fetchHosts(),
                revocation.fetchPrivateAddresses(),
                phone,
                applyUrl,
                blankToNull(request.applyNote()),
                regionCodes,
                0,
                null);
    }

    private static TrustAnchors anchors(List<String> pems) {
        List<X509Certificate> certificates = new ArrayList<>();
        for (int i = 0; i < pems.size(); i++) {
            try {
                certificates.addAll(Certificates.parsePemBundle(pems.get(i)));
            } catch (PkiException e) {
                throw ApiException.detail(ProblemCode.VALIDATION, "validation.provider.pem", i + 1);
            }
        }
        try {
            return TrustAnchors.of(certificates);
        } catch (PkiException e) {
            throw ApiException.detail(ProblemCode.VALIDATION, "validation.provider.anchors");
        }
    }

    private static IdentityRule identity(CaProviderRequest.Identity identity) {
        if (identity == null || identity.source() == null || identity.source().isBlank()) {
            return IdentityRule.SPKI_SHA256;
        }
        try {
            IdentityRule.Source source =
                    IdentityRule.Source.valueOf(identity.source().trim().toUpperCase(Locale.ROOT));
            boolean needsOid =
                    source == IdentityRule.Source.SUBJECT_ATTRIBUTE || source == IdentityRule.Source.EXTENSION;
            return new IdentityRule(source, needsOid ? blankToNull(identity.oid()) : null);
        } catch (IllegalArgumentException e) {
            throw ApiException.detail(ProblemCode.VALIDATION, "validation.provider.identity");
        }
    }

    private static RevocationPolicy revocation(CaProviderRequest.Revocation revocation) {
        if (revocation == null) {
            return RevocationPolicy.NONE;
        }
        RevocationPolicy.Mode mode;
        try {
            mode = revocation.mode() == null || revocation.mode().isBlank()
                    ? RevocationPolicy.Mode.NONE
                    : RevocationPolicy.Mode.valueOf(revocation.mode().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.detail(ProblemCode.VALIDATION, "validation.provider.revocationMode");
        }
        List<URI> crls = new ArrayList<>();
        for (String url : revocation.crlUrls() == null ? List.<String>of() : revocation.crlUrls()) {
            crls.add(httpUrl(url.trim(), "validation.provider.crlUrl"));
        }
        String ocsp = blankToNull(revocation.ocspUrl());
        List<String> hosts = new ArrayList<>();
        for (String host : revocation.fetchHosts() == null ? List.<String>of() : revocation.fetchHosts()) {
            String h = host.trim().toLowerCase(Locale.ROOT);
            if (!h.isEmpty() && !hosts.contains(h)) {
                hosts.add(h);
            }
        }
        try {
            return new RevocationPolicy(
                    mode,
                    Boolean.TRUE.equals(revocation.failOpen()),
                    crls,
                    ocsp == null ? null : httpUrl(ocsp, "validation.provider.ocspUrl"),
                    hosts,
                    Boolean.TRUE.equals(revocation.fetchPrivateAddresses()));
        } catch (IllegalArgumentException e) {
            throw ApiException.detail(ProblemCode.VALIDATION, "validation.provider.fetchHosts");
        }
    }

    private static URI httpUrl(String text, String detailKey) {
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (uri.isAbsolute() && (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // answered below
        }
        throw ApiException.detail(ProblemCode.VALIDATION, detailKey);
    }

    private static boolean identityChanged(CaProvider previous, CaProviderRepository.Row row) {
        IdentityRule before = previous.policy().identity();
        return !before.source().name().equals(row.identitySource()) || !Objects.equals(before.oid(), row.identityOid());
    }

    private boolean hasActiveBindings(String code) {
        // ca_binding_active_key_uk serves this: provider_code = ? AND active_key_id IS NOT NULL.
        return jdbc.sql("SELECT COUNT(*) FROM ca_binding WHERE provider_code = :code AND active_key_id IS NOT NULL")
                        .param("code", code)
                        .query(Long.class)
                        .single()
                > 0;
    }

    private static String describe(CaProviderRepository.Row row, long version, boolean created) {
        int anchors = row.trustAnchors().split("-----BEGIN CERTIFICATE-----", -1).length - 1;
        return "version=" + version + (created ? " created" : "") + " enabled=" + row.enabled() + " identity="
                + row.identitySource() + (row.identityOid() == null ? "" : "(" + row.identityOid() + ")")
                + " revocation=" + row.revocationMode() + (row.revocationFailOpen() ? "/failOpen" : "")
                + " anchors=" + anchors + " regions=" + String.join(",", row.regions());
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
