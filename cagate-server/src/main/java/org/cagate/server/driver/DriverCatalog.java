package org.cagate.server.driver;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.cagate.server.caprovider.CaProvider;
import org.cagate.server.caprovider.CaProviderRegistry;
import org.cagate.server.caprovider.DriverInfoLookup;
import org.cagate.server.region.Region;
import org.cagate.server.region.RegionRepository;
import org.cagate.server.system.CagateProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * What the download centre offers: per enabled provider, its newest uploaded package and the cagate
 * agent when the agent serves it, grouped by the regions where the provider is offered. Also the
 * {@code driver} of {@code GET /api/ca/providers} ({@link DriverInfoLookup}): the provider's newest
 * uploaded package (a CA company's package holds both 证书驱动 and 签章服务), else the agent.
 *
 * <p>The list of uploaded packages is kept in memory and read again when it is older than {@code
 * cagate.drivers.refresh}, or at once after this node changed it: the login page asks for it on every
 * visit.
 */
@Component
public class DriverCatalog implements DriverInfoLookup {

    /** One package on offer for one provider. */
    public record Offer(
            CaProvider provider,
            String name,
            String version,
            Instant updatedAt,
            String path,
            String sha256,
            long size,
            boolean agent,
            String platform) {}

    /** The systems the agent's zip runs on: any with a Java 17 (the user installs it). */
    static final String ZIP_PLATFORM = "Windows / macOS / Linux（需安装 Java 17）";
    /** The systems the agent's Debian package installs on; it brings its own Java runtime. */
    static final String DEB_PLATFORM = "Debian / 统信 UOS / 银河麒麟（x86_64，无需安装 Java）";

    /** A region and what is on offer there, newest update first. */
    public record RegionOffers(Region region, Instant updatedAt, List<Offer> offers) {}

    private record Snapshot(Map<String, DriverPackage> newestByProvider, long readAt, long generation) {}

    private final DriverPackageRepository repository;
    private final CaProviderRegistry providers;
    private final RegionRepository regions;
    private final AgentPackage agent;
    private final AgentDebPackage agentDeb;
    private final DriverProperties properties;
    private final CagateProperties server;
    private final LongSupplier nanoTime;
    private final ReentrantLock refreshing = new ReentrantLock();
    private final AtomicLong generation = new AtomicLong();
    private volatile Snapshot snapshot;

    @Autowired
    DriverCatalog(
            DriverPackageRepository repository,
            CaProviderRegistry providers,
            RegionRepository regions,
            AgentPackage agent,
            AgentDebPackage agentDeb,
            DriverProperties properties,
            CagateProperties server) {
        this(repository, providers, regions, agent, agentDeb, properties, server, System::nanoTime);
    }

    DriverCatalog(
            DriverPackageRepository repository,
            CaProviderRegistry providers,
            RegionRepository regions,
            AgentPackage agent,
            AgentDebPackage agentDeb,
            DriverProperties properties,
            CagateProperties server,
            LongSupplier nanoTime) {
        this.repository = repository;
        this.providers = providers;
        this.regions = regions;
        this.agent = agent;
        this.agentDeb = agentDeb;
        this.properties = properties;
        this.server = server;
        this.nanoTime = nanoTime;
    }

    /** Makes the next lookup on this node read the database (after this node uploaded or retired a package). */
    void changed() {
        generation.incrementAndGet();
    }

    /** The agent package on offer, if any: what the CA 检测 page compares the running agent's version with. */
    public Optional<AgentPackage.Served> agentPackage() {
        return agent.current();
    }

    /** The agent's Debian package on offer, if any. */
    Optional<AgentPackage.Served> agentDebPackage() {
        return agentDeb.current();
    }

    /** The packages on offer for one provider: its newest upload, then the agent; empty for an unknown code. */
    public List<Offer> offers(String providerCode) {
        return providers.find(providerCode).map(p -> offers(p, newest())).orElse(List.of());
    }

    @Override
    public Optional<DriverInfo> latest(String providerCode) {
        return offers(providerCode).stream()
                .findFirst()
                .map(o -> new DriverInfo(o.version(), o.updatedAt(), absolute(o.path()), o.sha256()));
    }

    /**
     * Every region where an enabled provider with something on offer is offered, by region code; within a
     * region the providers by code, each provider's upload before the agent.
     */
    public List<RegionOffers> byRegion() {
        Map<String, DriverPackage> newest = newest();
        Map<String, Region> known = new LinkedHashMap<>();
        regions.all().forEach(r -> known.put(r.code(), r));
        Map<String, List<Offer>> byRegion = new TreeMap<>();
        for (CaProvider provider : providers.all()) {
            if (!provider.enabled()) {
                continue;
            }
            List<Offer> offers = offers(provider, newest);
            if (offers.isEmpty()) {
                continue;
            }
            provider.regions().stream()
                    .filter(known::containsKey)
                    .forEach(code -> byRegion.computeIfAbsent(code, c -> new ArrayList<>())
                            .addAll(offers));
        }
        List<RegionOffers> result = new ArrayList<>();
        byRegion.forEach((code, offers) -> {
            offers.sort(Comparator.comparing((Offer o) -> o.provider().code()).thenComparing(Offer::agent));
            Instant updated = offers.stream()
                    .map(Offer::updatedAt)
                    .max(Comparator.naturalOrder())
                    .orElseThrow();
            result.add(new RegionOffers(known.get(code), updated, List.copyOf(offers)));
        });
        return result;
    }

    /** The platform's address of a download path, as the API hands it to clients outside the page. */
    public String absolute(String path) {
        return server.publicOrigin() + path;
    }

    private List<Offer> offers(CaProvider provider, Map<String, DriverPackage> newest) {
        List<Offer> offers = new ArrayList<>(2);
        DriverPackage uploaded = newest.get(provider.code());
        if (uploaded != null) {
            offers.add(new Offer(
                    provider,
                    uploaded.name(),
                    uploaded.version(),
                    uploaded.uploadedAt(),
                    uploaded.path(),
                    uploaded.sha256(),
                    uploaded.size(),
                    false,
                    null));
        }
        // The Debian package first (nothing else to install), then the zip for every other system.
        agentDeb.current().ifPresent(a -> agentOffer(provider, a, DEB_PLATFORM, offers));
        agent.current().ifPresent(a -> agentOffer(provider, a, ZIP_PLATFORM, offers));
        return offers;
    }

    private void agentOffer(CaProvider provider, AgentPackage.Served agent, String platform, List<Offer> offers) {
        if (agent.providers().contains(provider.code())) {
            offers.add(new Offer(
                    provider,
                    properties.agentName(),
                    agent.version(),
                    agent.builtAt(),
                    agent.path(),
                    agent.sha256(),
                    agent.size(),
                    true,
                    platform));
        }
    }

    private Map<String, DriverPackage> newest() {
        Snapshot current = snapshot;
        long generationNow = generation.get();
        if (fresh(current, generationNow)) {
            return current.newestByProvider();
        }
        // A change made on this node must be seen at once; a list that is only old may be used a moment longer.
        boolean mustWait = current == null || current.generation() != generationNow;
        if (!mustWait && !refreshing.tryLock()) {
            return current.newestByProvider(); // another request is reading the list
        }
        if (mustWait) {
            refreshing.lock();
        }
        try {
            Snapshot latest = snapshot;
            long generationRead = generation.get();
            if (fresh(latest, generationRead)) {
                return latest.newestByProvider();
            }
            long readAt = nanoTime.getAsLong();
            Map<String, DriverPackage> newest = new LinkedHashMap<>();
            for (DriverPackage p : repository.current()) {
                newest.putIfAbsent(p.providerCode(), p); // newest first within each provider
            }
            // Tagged with the generation from before the query: a change committed meanwhile makes it stale.
            Snapshot read = new Snapshot(Map.copyOf(newest), readAt, generationRead);
            snapshot = read;
            return read.newestByProvider();
        } finally {
            refreshing.unlock();
        }
    }

    private boolean fresh(Snapshot s, long generationNow) {
        return s != null
                && s.generation() == generationNow
                && nanoTime.getAsLong() - s.readAt() < properties.refresh().toNanos();
    }
}
