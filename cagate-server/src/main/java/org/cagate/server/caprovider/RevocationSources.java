package org.cagate.server.caprovider;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.cagate.pki.revocation.RevocationFetch;
import org.springframework.stereotype.Component;

/**
 * Which revocation URLs this node used, or refused to fetch, for each provider: what the provider page
 * shows under 吊销检查, so the operator sees whether certificates point at addresses the configuration
 * does not allow. Kept in memory per node (the last {@value #PER_PROVIDER} URLs of each provider): it
 * describes this node's recent traffic, not a shared state.
 */
@Component
public class RevocationSources {

    static final int PER_PROVIDER = 20;

    /** One URL as last used. */
    public record Use(
            String url,
            RevocationFetch.Kind kind,
            boolean fromCertificate,
            RevocationFetch.Outcome outcome,
            String detail,
            Instant lastAt,
            long count) {}

    private final Map<String, Map<String, Use>> byProvider = new ConcurrentHashMap<>();
    private final Clock clock;

    RevocationSources(Clock clock) {
        this.clock = clock;
    }

    /** Notes a source that revocation checking considered for a certificate of {@code provider}. */
    public void record(String provider, RevocationFetch fetch) {
        if (provider == null) {
            return;
        }
        Map<String, Use> uses = byProvider.computeIfAbsent(provider, p -> new LinkedHashMap<>());
        synchronized (uses) {
            String url = fetch.url().toString();
            Use before = uses.remove(url);
            uses.put(
                    url,
                    new Use(
                            url,
                            fetch.kind(),
                            fetch.fromCertificate(),
                            fetch.outcome(),
                            fetch.detail(),
                            clock.instant(),
                            before == null ? 1 : before.count() + 1));
            if (uses.size() > PER_PROVIDER) {
                uses.remove(uses.keySet().iterator().next());
            }
        }
    }

    /** The provider's URLs, the most recently used first. */
    public List<Use> of(String provider) {
        Map<String, Use> uses = byProvider.get(provider);
        if (uses == null) {
            return List.of();
        }
        List<Use> list;
        synchronized (uses) {
            list = new ArrayList<>(uses.values());
        }
        list.sort(Comparator.comparing(Use::lastAt).reversed());
        return list;
    }
}
