package org.cagate.server.caprovider;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cagate.server.system.Timestamps;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL of {@code ca_provider} and {@code ca_provider_region}. */
@Repository
class CaProviderRepository {

    private final JdbcClient jdbc;

    CaProviderRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A provider row as stored, before the trust anchors are parsed. */
    record Row(
            String code,
            String name,
            boolean enabled,
            String trustAnchors,
            String identitySource,
            String identityOid,
            String revocationMode,
            boolean revocationFailOpen,
            List<String> crlUrls,
            String ocspUrl,
            List<String> fetchHosts,
            boolean fetchPrivateAddresses,
            String servicePhone,
            String applyUrl,
            String applyNote,
            Set<String> regions,
            long version,
            Instant updatedAt) {}

    /** Every provider's version (ca_provider_pk): what each node compares with its cache. */
    Map<String, Long> versions() {
        Map<String, Long> versions = new LinkedHashMap<>();
        jdbc.sql("SELECT code, version FROM ca_provider ORDER BY code").query((ResultSet rs) -> {
            versions.put(rs.getString("code"), rs.getLong("version"));
        });
        return versions;
    }

    /** The rows of the given providers with their regions: two queries whatever their number. */
    List<Row> load(Collection<String> codes) {
        if (codes.isEmpty()) {
            return List.of();
        }
        Map<String, Set<String>> regions = new HashMap<>();
        jdbc.sql("SELECT provider_code, region_code FROM ca_provider_region WHERE provider_code IN (:codes)")
                .param("codes", codes)
                .query((ResultSet rs) -> {
                    regions.computeIfAbsent(rs.getString("provider_code"), c -> new HashSet<>())
                            .add(rs.getString("region_code"));
                });
        return jdbc.sql("""
                        SELECT code, name, enabled, trust_anchors, identity_source, identity_oid, revocation_mode,
                               revocation_fail_open, crl_urls, ocsp_url, revocation_fetch_hosts,
                               revocation_fetch_private, service_phone, apply_url, apply_note, version, updated_at
                          FROM ca_provider WHERE code IN (:codes) ORDER BY code""")
                .param("codes", codes)
                .query((rs, n) -> map(rs, regions.getOrDefault(rs.getString("code"), Set.of())))
                .list();
    }

    boolean exists(String code) {
        return jdbc.sql("SELECT COUNT(*) FROM ca_provider WHERE code = :code")
                        .param("code", code)
                        .query(Long.class)
                        .single()
                > 0;
    }

    /**
     * Stores the provider and its regions, bumping the version; returns the new version. The caller's
     * transaction holds the row lock from the UPDATE, so concurrent changes of one provider serialise.
     */
    long save(Row row, Instant now) {
        int updated = jdbc.sql("""
                        UPDATE ca_provider
                           SET name = :name, enabled = :enabled, trust_anchors = :anchors, identity_source = :source,
                               identity_oid = :oid, revocation_mode = :mode, revocation_fail_open = :failOpen,
                               crl_urls = :crls, ocsp_url = :ocsp, revocation_fetch_hosts = :fetchHosts,
                               revocation_fetch_private = :fetchPrivate, service_phone = :phone, apply_url = :applyUrl,
                               apply_note = :applyNote, version = version + 1, updated_at = :now
                         WHERE code = :code""").params(params(row, now)).update();
        if (updated == 0) {
            jdbc.sql("""
                            INSERT INTO ca_provider (code, name, enabled, trust_anchors, identity_source, identity_oid,
                                revocation_mode, revocation_fail_open, crl_urls, ocsp_url, revocation_fetch_hosts,
                                revocation_fetch_private, service_phone, apply_url, apply_note, version, updated_at)
                            VALUES (:code, :name, :enabled, :anchors, :source, :oid, :mode, :failOpen, :crls, :ocsp,
                                :fetchHosts, :fetchPrivate, :phone, :applyUrl, :applyNote, 1, :now)""").params(params(row, now)).update();
        }
        jdbc.sql("DELETE FROM ca_provider_region WHERE provider_code = :code")
                .param("code", row.code())
                .update();
        for (String region : row.regions()) {
            jdbc.sql("INSERT INTO ca_provider_region (provider_code, region_code) VALUES (:code, :region)")
                    .param("code", row.code())
                    .param("region", region)
                    .update();
        }
        return jdbc.sql("SELECT version FROM ca_provider WHERE code = :code")
                .param("code", row.code())
                .query(Long.class)
                .single();
    }

    private static Map<String, Object> params(Row row, Instant now) {
        Map<String, Object> params = new HashMap<>();
        params.put("code", row.code());
        params.put("name", row.name());
        params.put("enabled", row.enabled());
        params.put("anchors", row.trustAnchors());
        params.put("source", row.identitySource());
        params.put("oid", varchar(row.identityOid()));
        params.put("mode", row.revocationMode());
        params.put("failOpen", row.revocationFailOpen());
        params.put("crls", varchar(row.crlUrls().isEmpty() ? null : String.join("\n", row.crlUrls())));
        params.put("ocsp", varchar(row.ocspUrl()));
        params.put("fetchHosts", varchar(row.fetchHosts().isEmpty() ? null : String.join("\n", row.fetchHosts())));
        params.put("fetchPrivate", row.fetchPrivateAddresses());
        params.put("phone", varchar(row.servicePhone()));
        params.put("applyUrl", varchar(row.applyUrl()));
        params.put("applyNote", varchar(row.applyNote()));
        params.put("now", Timestamps.utc(now));
        return params;
    }

    private static SqlParameterValue varchar(String value) {
        return new SqlParameterValue(Types.VARCHAR, value);
    }

    private static Row map(ResultSet rs, Set<String> regions) throws SQLException {
        String crls = rs.getString("crl_urls");
        String hosts = rs.getString("revocation_fetch_hosts");
        return new Row(
                rs.getString("code"),
                rs.getString("name"),
                rs.getBoolean("enabled"),
                rs.getString("trust_anchors"),
                rs.getString("identity_source"),
                rs.getString("identity_oid"),
                rs.getString("revocation_mode"),
                rs.getBoolean("revocation_fail_open"),
                crls == null || crls.isBlank() ? List.of() : Arrays.asList(crls.split("\n")),
                rs.getString("ocsp_url"),
                hosts == null || hosts.isBlank() ? List.of() : Arrays.asList(hosts.split("\n")),
                rs.getBoolean("revocation_fetch_private"),
                rs.getString("service_phone"),
                rs.getString("apply_url"),
                rs.getString("apply_note"),
                Set.copyOf(regions),
                rs.getLong("version"),
                Timestamps.instant(rs, "updated_at"));
    }
}
