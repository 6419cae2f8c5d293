package org.cagate.demo;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.cagate.demo.DemoData.AccountSpec;
import org.cagate.demo.DemoData.ProviderSpec;
import org.cagate.demo.DemoData.RegionSpec;
import org.cagate.pki.Certificates;
import org.cagate.pki.PkiException;
import tools.jackson.databind.JsonNode;

/**
 * Puts the seed's data into the running server through its public admin API, as an operator would:
 * regions, the organisation, its accounts and the CA providers. Each item is read first and written only
 * when it is missing or differs, so a second start changes nothing (and writes no audit rows) unless
 * something moved, e.g. the CRL/OCSP server's port.
 */
final class DemoSeeder {

    private final PlatformClient operator;
    private final DemoPki pki;

    DemoSeeder(PlatformClient operator, DemoPki pki) {
        this.operator = operator;
        this.pki = pki;
    }

    void seed() {
        for (RegionSpec region : DemoData.REGIONS) {
            region(region);
        }
        long organizationId = organization();
        for (AccountSpec account : DemoData.ORGANIZATION_ACCOUNTS) {
            account(account, organizationId);
        }
        for (ProviderSpec provider : DemoData.PROVIDERS) {
            provider(provider);
        }
    }

    private void region(RegionSpec region) {
        Optional<JsonNode> stored = find("/api/admin/regions/" + region.code());
        boolean same = stored.isPresent()
                && stored.get().path("name").asString().equals(region.name())
                && stored.get().path("caEnabled").asBoolean() == region.caEnabled();
        if (!same) {
            operator.put(
                    "/api/admin/regions/" + region.code(),
                    Map.of("name", region.name(), "caEnabled", region.caEnabled()));
        }
    }

    private long organization() {
        JsonNode page =
                operator.get("/api/admin/organizations?size=100&name=" + PlatformClient.query(DemoData.ORGANIZATION));
        for (JsonNode item : page.path("items")) {
            if (item.path("name").asString().equals(DemoData.ORGANIZATION)) {
                return item.path("id").asLong();
            }
        }
        return operator.post(
                        "/api/admin/organizations",
                        Map.of("name", DemoData.ORGANIZATION, "regionCode", DemoData.TRAINING_REGION))
                .path("id")
                .asLong();
    }

    private void account(AccountSpec account, long organizationId) {
        JsonNode page =
                operator.get("/api/admin/accounts?size=100&loginName=" + PlatformClient.query(account.loginName()));
        for (JsonNode item : page.path("items")) {
            if (item.path("loginName").asString().equals(account.loginName())) {
                return; // made at an earlier start; its password may have been changed since, keep it
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("loginName", account.loginName());
        body.put("displayName", account.displayName());
        body.put("password", account.password());
        body.put("organizationId", organizationId);
        body.put("roles", account.roles());
        operator.post("/api/admin/accounts", body);
    }

    private void provider(ProviderSpec spec) {
        Map<String, Object> body = providerBody(spec);
        Optional<JsonNode> stored = find("/api/admin/ca-providers/" + spec.code());
        if (stored.isEmpty() || !sameProvider(stored.get(), body)) {
            operator.put("/api/admin/ca-providers/" + spec.code(), body);
        }
    }

    private Map<String, Object> providerBody(ProviderSpec spec) {
        List<String> anchors = new ArrayList<>();
        for (X509Certificate certificate : pki.ca(spec.code()).caCertificates()) {
            anchors.add(Certificates.toPem(certificate));
        }
        Map<String, Object> identity = new LinkedHashMap<>();
        identity.put("source", spec.identitySource());
        identity.put("oid", spec.identityOid());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", spec.name());
        body.put("enabled", true);
        body.put("trustAnchors", anchors);
        body.put("identity", identity);
        body.put("revocation", pki.revocationSettings(spec.code()));
        body.put("regions", spec.regions());
        DemoData.Contact contact = DemoData.CONTACTS.get(spec.code());
        body.put("servicePhone", contact.servicePhone());
        body.put("applyUrl", contact.applyUrl());
        body.put("applyNote", contact.applyNote());
        return body;
    }

    /** True when the stored provider already has the body's name, anchors, identity, revocation and regions. */
    private static boolean sameProvider(JsonNode stored, Map<String, Object> body) {
        @SuppressWarnings("unchecked")
        Map<String, Object> identity = (Map<String, Object>) body.get("identity");
        @SuppressWarnings("unchecked")
        Map<String, Object> revocation = (Map<String, Object>) body.get("revocation");
        @SuppressWarnings("unchecked")
        List<String> anchors = (List<String>) body.get("trustAnchors");
        @SuppressWarnings("unchecked")
        List<String> regions = (List<String>) body.get("regions");
        JsonNode storedRevocation = stored.path("revocation");
        return stored.path("name").asString().equals(body.get("name"))
                && stored.path("enabled").asBoolean()
                && stored.path("identity").path("source").asString().equals(identity.get("source"))
                && Objects.equals(text(stored.path("identity").path("oid")), identity.get("oid"))
                && storedRevocation.path("mode").asString().equals(revocation.get("mode"))
                && Objects.equals(text(storedRevocation.path("ocspUrl")), revocation.get("ocspUrl"))
                && strings(storedRevocation.path("crlUrls")).equals(new HashSet<>((List<?>) revocation.get("crlUrls")))
                && strings(stored.path("regions")).equals(new HashSet<>(regions))
                && Objects.equals(stored.path("applyNote").asString(), body.get("applyNote"))
                && Objects.equals(text(stored.path("servicePhone")), body.get("servicePhone"))
                && Objects.equals(text(stored.path("applyUrl")), body.get("applyUrl"))
                && derSet(strings(stored.path("trustAnchors"))).equals(derSet(new HashSet<>(anchors)));
    }

    private static String text(JsonNode node) {
        return node.isMissingNode() || node.isNull() ? null : node.asString();
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> values = new HashSet<>();
        array.forEach(node -> values.add(node.asString()));
        return values;
    }

    /** Certificates compared by their bytes, whatever the PEM line breaks. */
    private static Set<String> derSet(Set<String> pems) {
        Set<String> hashes = new HashSet<>();
        for (String pem : pems) {
            try {
                for (X509Certificate certificate : Certificates.parsePemBundle(pem)) {
                    hashes.add(Certificates.sha256Hex(certificate));
                }
            } catch (PkiException e) {
                hashes.add("unreadable:" + pem);
            }
        }
        return hashes;
    }

    /** The resource, or empty when the API answers 404 NOT_FOUND. */
    private Optional<JsonNode> find(String path) {
        try {
            return Optional.of(operator.get(path));
        } catch (PlatformClient.ApiFailure e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
