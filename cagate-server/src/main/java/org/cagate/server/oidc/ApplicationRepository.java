package org.cagate.server.oidc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.cagate.server.account.Role;
import org.cagate.server.system.Timestamps;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** {@code oidc_application} joined with the redirect URIs of its registered client. */
@Repository
class ApplicationRepository {

    private static final String SELECT = """
            SELECT a.id, a.client_id, a.name, a.description, a.icon_url, a.home_url, a.ca_login_required,
                   a.regions, a.roles, a.enabled, a.created_at, a.updated_at, c.redirect_uris
              FROM oidc_application a JOIN oauth2_registered_client c ON c.client_id = a.client_id
            """;

    private final JdbcClient jdbc;

    ApplicationRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<Application> all() {
        return jdbc.sql(SELECT + " ORDER BY a.name, a.id")
                .query(ApplicationRepository::map)
                .list();
    }

    Optional<Application> find(long id) {
        return jdbc.sql(SELECT + " WHERE a.id = :id")
                .param("id", id)
                .query(ApplicationRepository::map)
                .optional();
    }

    Optional<Application> findByClientId(String clientId) {
        return jdbc.sql(SELECT + " WHERE a.client_id = :clientId")
                .param("clientId", clientId)
                .query(ApplicationRepository::map)
                .optional();
    }

    long insert(Application app, Instant now) {
        jdbc.sql("""
                INSERT INTO oidc_application (client_id, name, description, icon_url, home_url, ca_login_required,
                                              regions, roles, enabled, created_at, updated_at)
                VALUES (:clientId, :name, :description, :iconUrl, :homeUrl, :ca, :regions, :roles, :enabled, :now, :now)
                """)
                .param("clientId", app.clientId())
                .params(columns(app, now))
                .update();
        return jdbc.sql("SELECT id FROM oidc_application WHERE client_id = :clientId")
                .param("clientId", app.clientId())
                .query(Long.class)
                .single();
    }

    void update(Application app, Instant now) {
        jdbc.sql("""
                UPDATE oidc_application SET name = :name, description = :description, icon_url = :iconUrl,
                       home_url = :homeUrl, ca_login_required = :ca, regions = :regions, roles = :roles,
                       enabled = :enabled, updated_at = :now
                 WHERE id = :id
                """).param("id", app.id()).params(columns(app, now)).update();
    }

    /** The columns an insert and an update both write, by parameter name. */
    private static Map<String, Object> columns(Application app, Instant now) {
        Map<String, Object> columns = new HashMap<>();
        columns.put("name", app.name());
        columns.put("description", app.description());
        columns.put("iconUrl", app.iconUrl());
        columns.put("homeUrl", app.homeUrl());
        columns.put("ca", app.caLoginRequired());
        columns.put("regions", String.join(" ", app.regions()));
        columns.put("roles", roles(app.roles()));
        columns.put("enabled", app.enabled());
        columns.put("now", Timestamps.utc(now));
        return columns;
    }

    private static String roles(Set<Role> roles) {
        return roles.stream().sorted().map(Role::name).collect(Collectors.joining(" "));
    }

    private static List<String> words(String value) {
        return value == null || value.isBlank()
                ? List.of()
                : Arrays.asList(value.trim().split("[\\s,]+"));
    }

    private static Application map(ResultSet rs, int row) throws SQLException {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        words(rs.getString("roles")).forEach(r -> roles.add(Role.valueOf(r)));
        return new Application(
                rs.getLong("id"),
                rs.getString("client_id"),
                rs.getString("name"),
                rs.getString("description"),
                rs.getString("icon_url"),
                rs.getString("home_url"),
                rs.getBoolean("ca_login_required"),
                List.copyOf(words(rs.getString("regions"))),
                Set.copyOf(roles),
                rs.getBoolean("enabled"),
                List.copyOf(words(rs.getString("redirect_uris"))),
                Timestamps.instant(rs, "created_at"),
                Timestamps.instant(rs, "updated_at"));
    }

    /**
     * Ends every authorization of a client: its unused codes, access tokens (userinfo) and refresh tokens.
     * Rare (an application disabled), so the scan of {@code oauth2_authorization} needs no index.
     */
    int revokeAuthorizations(String registeredClientId) {
        return jdbc.sql("DELETE FROM oauth2_authorization WHERE registered_client_id = :client")
                .param("client", registeredClientId)
                .update();
    }
}
