package org.cagate.server.caprovider;

import java.net.URI;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.cagate.pki.Certificates;
import org.cagate.pki.IdentityRule;
import org.cagate.pki.PkiException;
import org.cagate.pki.ProviderPolicy;
import org.cagate.pki.RevocationPolicy;
import org.cagate.pki.SignatureAlgorithm;
import org.cagate.pki.TrustAnchors;
import org.cagate.pki.sign.Signer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Service;

/**
 * The CA providers as this node knows them. Lookups are served from memory; when the view is older
 * than {@code cagate.ca.provider-refresh} the next lookup asks the database for every provider's
 * version (one small query) and rebuilds only the providers whose version changed, so a change made on
 * any node takes effect everywhere within that time, without a restart. Only one thread refreshes;
 * the others keep using the view they have meanwhile.
 */
@Service
public class CaProviderRegistry {

    private static final Logger log = LoggerFactory.getLogger(CaProviderRegistry.class);

    private record View(Map<String, CaProvider> byCode, long readAt) {}

    private final CaProviderRepository repository;
    private final long refreshNanos;
    private final LongSupplier nanoTime;
    private final ReentrantLock refreshing = new ReentrantLock();
    private volatile View view;
    private volatile boolean stale;

    @Autowired
    CaProviderRegistry(CaProviderRepository repository, CaProviderProperties properties) {
        this(repository, properties, System::nanoTime);
    }

    /** With the time source tests move ({@link System#nanoTime()} semantics). */
    CaProviderRegistry(CaProviderRepository repository, CaProviderProperties properties, LongSupplier nanoTime) {
        this.repository = repository;
        this.refreshNanos = properties.providerRefresh().toNanos();
        this.nanoTime = nanoTime;
    }

    /** The provider with this code, if it exists (enabled or not). */
    public Optional<CaProvider> find(String code) {
        return code == null
                ? Optional.empty()
                : Optional.ofNullable(current().byCode().get(code));
    }

    /** Every provider, by code. */
    public List<CaProvider> all() {
        return List.copyOf(current().byCode().values());
    }

    /** Makes the next lookup on this node read the database, e.g. right after this node changed a provider. */
    public void changed() {
        stale = true;
    }

    private View current() {
        View current = view;
        if (current != null && !stale && nanoTime.getAsLong() - current.readAt() < refreshNanos) {
            return current;
        }
        if (current != null && !stale) {
            if (!refreshing.tryLock()) {
                return current; // another request is refreshing; this one may use a view a moment older
            }
        } else {
            refreshing.lock();
        }
        try {
            View latest = view;
            if (latest != current && latest != null && !stale) {
                return latest; // refreshed while we waited for the lock
            }
            stale = false;
            View fresh = read(latest);
            view = fresh;
            return fresh;
        } finally {
            refreshing.unlock();
        }
    }

    private View read(View previous) {
        long readAt = nanoTime.getAsLong();
        Map<String, Long> versions = repository.versions();
        Map<String, CaProvider> byCode = new LinkedHashMap<>();
        List<String> changed = new ArrayList<>();
        for (Map.Entry<String, Long> entry : versions.entrySet()) {
            CaProvider known = previous == null ? null : previous.byCode().get(entry.getKey());
            if (known != null && known.version() == entry.getValue()) {
                byCode.put(entry.getKey(), known);
            } else {
                changed.add(entry.getKey());
            }
        }
        for (CaProviderRepository.Row row : repository.load(changed)) {
            try {
                byCode.put(row.code(), build(row));
            } catch (PkiException | RuntimeException e) {
                // Rows are checked when saved, so this means someone edited the table by hand.
                log.error(
                        "CA provider {} version {} cannot be used; keeping the previous one",
                        row.code(),
                        row.version(),
                        e);
                CaProvider known = previous == null ? null : previous.byCode().get(row.code());
                if (known != null) {
                    byCode.put(row.code(), known);
                }
            }
        }
        Map<String, CaProvider> sorted = new LinkedHashMap<>();
        versions.keySet().stream().filter(byCode::containsKey).forEach(code -> sorted.put(code, byCode.get(code)));
        return new View(Map.copyOf(sorted), readAt);
    }

    /** Builds what the verifier needs; the same checks {@link CaProviderService} applies before saving. */
    static CaProvider build(CaProviderRepository.Row row) throws PkiException {
        TrustAnchors trust = TrustAnchors.fromPem(row.trustAnchors());
        IdentityRule identity = new IdentityRule(IdentityRule.Source.valueOf(row.identitySource()), row.identityOid());
        RevocationPolicy revocation = new RevocationPolicy(
                RevocationPolicy.Mode.valueOf(row.revocationMode()),
                row.revocationFailOpen(),
                row.crlUrls().stream().map(URI::create).toList(),
                row.ocspUrl() == null ? null : URI.create(row.ocspUrl()),
                row.fetchHosts(),
                row.fetchPrivateAddresses());
        ProviderPolicy policy = new ProviderPolicy(row.code(), trust, identity, revocation);
        List<String> pems = new ArrayList<>();
        trust.roots().forEach(c -> pems.add(Certificates.toPem(c)));
        trust.intermediates().forEach(c -> pems.add(Certificates.toPem(c)));
        return new CaProvider(
                row.code(),
                row.name(),
                row.enabled(),
                row.regions(),
                algorithms(trust),
                policy,
                pems,
                row.servicePhone(),
                row.applyUrl(),
                row.applyNote(),
                row.version(),
                row.updatedAt());
    }

    /** The algorithms the provider's CA keys sign with, in the wire contract's order. */
    static List<String> algorithms(TrustAnchors trust) {
        Set<SignatureAlgorithm> found = EnumSet.noneOf(SignatureAlgorithm.class);
        List<X509Certificate> all = new ArrayList<>(trust.roots());
        all.addAll(trust.intermediates());
        for (X509Certificate certificate : all) {
            PublicKey key = certificate.getPublicKey();
            try {
                found.add(Signer.algorithmFor(key));
            } catch (IllegalArgumentException e) {
                // A key type cagate does not verify (DSA, EdDSA): nothing to list.
            }
        }
        return found.stream().map(SignatureAlgorithm::wireName).toList();
    }
}
