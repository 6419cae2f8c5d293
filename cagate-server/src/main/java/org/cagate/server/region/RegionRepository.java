package org.cagate.server.region;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.cagate.server.system.Timestamps;
import org.cagate.server.web.PageQuery;
import org.cagate.server.web.PageResult;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL of the {@code region} table; other features read regions through {@link #find} and {@link #all}. */
@Repository
public class RegionRepository {

    private final JdbcClient jdbc;

    RegionRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Region> find(String code) {
        return jdbc.sql("SELECT code, name, ca_enabled, updated_at FROM region WHERE code = :code")
                .param("code", code)
                .query(RegionRepository::map)
                .optional();
    }

    /** Every region by code (region_pk); there are at most a few thousand. */
    public List<Region> all() {
        return jdbc.sql("SELECT code, name, ca_enabled, updated_at FROM region ORDER BY code")
                .query(RegionRepository::map)
                .list();
    }

    PageResult<Region> list(PageQuery page) {
        long total = jdbc.sql("SELECT COUNT(*) FROM region").query(Long.class).single();
        List<Region> items = jdbc.sql(
                        "SELECT code, name, ca_enabled, updated_at FROM region ORDER BY code LIMIT :limit OFFSET :offset")
                .param("limit", page.size())
                .param("offset", page.offset())
                .query(RegionRepository::map)
                .list();
        return PageResult.of(total, page, items);
    }

    /** Creates or updates; returns true when the region is new. */
    boolean save(String code, String name, boolean caEnabled, Instant now) {
        int updated = jdbc.sql("UPDATE region SET name = :name, ca_enabled = :ca, updated_at = :now WHERE code = :code")
                .param("name", name)
                .param("ca", caEnabled)
                .param("now", Timestamps.utc(now))
                .param("code", code)
                .update();
        if (updated == 1) {
            return false;
        }
        jdbc.sql("INSERT INTO region (code, name, ca_enabled, updated_at) VALUES (:code, :name, :ca, :now)")
                .param("code", code)
                .param("name", name)
                .param("ca", caEnabled)
                .param("now", Timestamps.utc(now))
                .update();
        return true;
    }

    private static Region map(ResultSet rs, int row) throws SQLException {
        return new Region(
                rs.getString("code"),
                rs.getString("name"),
                rs.getBoolean("ca_enabled"),
                Timestamps.instant(rs, "updated_at"));
    }
}
