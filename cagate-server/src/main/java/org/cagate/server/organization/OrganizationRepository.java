package org.cagate.server.organization;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.cagate.server.system.Timestamps;
import org.cagate.server.web.PageQuery;
import org.cagate.server.web.PageResult;
import org.cagate.server.web.Sql;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

/** SQL of the {@code organization} and {@code department} tables. */
@Repository
public class OrganizationRepository {

    private static final String SELECT = """
            SELECT o.id, o.name, o.region_code, r.name AS region_name, o.created_at
              FROM organization o JOIN region r ON r.code = o.region_code""";

    private final JdbcClient jdbc;

    OrganizationRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Organization> find(long id) {
        return jdbc.sql(SELECT + " WHERE o.id = :id")
                .param("id", id)
                .query(this::map)
                .optional();
    }

    /**
     * A page of organisations: by name within a region (organization_region_name_uk), by id over all
     * regions (organization_pk).
     */
    public PageResult<Organization> list(String regionCode, String name, PageQuery page) {
        Sql where = new Sql()
                .whereIfPresent("o.region_code = :region", "region", regionCode)
                .whereIfPresent("LOWER(o.name) LIKE LOWER(:name) ESCAPE '\\'", "name", Sql.contains(name));
        long total = jdbc.sql("SELECT COUNT(*) FROM organization o" + where.clause())
                .params(where.params())
                .query(Long.class)
                .single();
        String order = regionCode == null || regionCode.isBlank() ? " ORDER BY o.id" : " ORDER BY o.name";
        List<Organization> items = total == 0
                ? List.of()
                : jdbc.sql(SELECT + where.clause() + order + " LIMIT :limit OFFSET :offset")
                        .params(where.params())
                        .param("limit", page.size())
                        .param("offset", page.offset())
                        .query(this::map)
                        .list();
        return PageResult.of(total, page, items);
    }

    long insert(String name, String regionCode, Instant now) {
        var keys = new GeneratedKeyHolder();
        jdbc.sql("INSERT INTO organization (name, region_code, created_at) VALUES (:name, :region, :now)")
                .param("name", name)
                .param("region", regionCode)
                .param("now", Timestamps.utc(now))
                .update(keys, "id");
        return keys.getKey().longValue();
    }

    void update(long id, String name, String regionCode) {
        jdbc.sql("UPDATE organization SET name = :name, region_code = :region WHERE id = :id")
                .param("name", name)
                .param("region", regionCode)
                .param("id", id)
                .update();
    }

    public Optional<Department> findDepartment(long id) {
        return jdbc.sql("SELECT id, organization_id, name, created_at FROM department WHERE id = :id")
                .param("id", id)
                .query(OrganizationRepository::mapDepartment)
                .optional();
    }

    /** Departments of an organisation by name (department_org_name_uk); an organisation has few. */
    public List<Department> departments(long organizationId) {
        return jdbc.sql(
                        "SELECT id, organization_id, name, created_at FROM department WHERE organization_id = :org ORDER BY name")
                .param("org", organizationId)
                .query(OrganizationRepository::mapDepartment)
                .list();
    }

    long insertDepartment(long organizationId, String name, Instant now) {
        var keys = new GeneratedKeyHolder();
        jdbc.sql("INSERT INTO department (organization_id, name, created_at) VALUES (:org, :name, :now)")
                .param("org", organizationId)
                .param("name", name)
                .param("now", Timestamps.utc(now))
                .update(keys, "id");
        return keys.getKey().longValue();
    }

    void renameDepartment(long id, String name) {
        jdbc.sql("UPDATE department SET name = :name WHERE id = :id")
                .param("name", name)
                .param("id", id)
                .update();
    }

    void deleteDepartment(long id) {
        jdbc.sql("DELETE FROM department WHERE id = :id").param("id", id).update();
    }

    private Organization map(ResultSet rs, int row) throws SQLException {
        return new Organization(
                rs.getLong("id"),
                rs.getString("name"),
                rs.getString("region_code"),
                rs.getString("region_name"),
                Timestamps.instant(rs, "created_at"));
    }

    private static Department mapDepartment(ResultSet rs, int row) throws SQLException {
        return new Department(
                rs.getLong("id"),
                rs.getLong("organization_id"),
                rs.getString("name"),
                Timestamps.instant(rs, "created_at"));
    }
}
