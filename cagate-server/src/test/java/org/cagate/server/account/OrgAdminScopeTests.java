package org.cagate.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.cagate.server.testing.ApiClient;
import org.cagate.server.testing.CagateServerTest;
import org.cagate.server.testing.Fixtures;
import org.cagate.server.testing.Fixtures.TestAccount;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** An ORG_ADMIN is confined to their organisation everywhere; only PLATFORM_ADMIN grants PLATFORM_ADMIN. */
@CagateServerTest
class OrgAdminScopeTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Test
    void listWhenOrgAdminThenOnlyOwnOrganisation() {
        Fixtures.Org own = fixtures.organization();
        Fixtures.Org other = fixtures.organization();
        TestAccount admin = fixtures.orgAdmin(own);
        TestAccount colleague = fixtures.user(own);
        fixtures.user(other);
        ApiClient client = ApiClient.on(port).login(admin.loginName(), admin.password());

        ApiClient.Response list = client.get("/api/admin/accounts?size=50");

        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().path("total").asLong()).isEqualTo(2);
        List<Long> ids = list.json()
                .path("items")
                .valueStream()
                .map(n -> n.path("id").asLong())
                .toList();
        assertThat(ids).containsExactlyInAnyOrder(admin.id(), colleague.id());
        assertThat(client.get("/api/admin/accounts?organizationId=" + other.id())
                        .code())
                .isEqualTo("FORBIDDEN");
    }

    @Test
    void accountOfOtherOrganisationWhenOrgAdminThenNotFoundForEveryAction() {
        Fixtures.Org own = fixtures.organization();
        TestAccount admin = fixtures.orgAdmin(own);
        TestAccount stranger = fixtures.user(fixtures.organization());
        ApiClient client = ApiClient.on(port).login(admin.loginName(), admin.password());
        String path = "/api/admin/accounts/" + stranger.id();

        assertThat(client.get(path).code()).isEqualTo("NOT_FOUND");
        assertThat(client.put(path, Map.of("displayName", "改名")).code()).isEqualTo("NOT_FOUND");
        assertThat(client.post(path + "/disable", null).code()).isEqualTo("NOT_FOUND");
        assertThat(client.post(path + "/enable", null).code()).isEqualTo("NOT_FOUND");
        assertThat(client.post(path + "/unlock", null).code()).isEqualTo("NOT_FOUND");
        assertThat(client.get(path + "/login-throttle").code()).isEqualTo("NOT_FOUND");
        assertThat(client.put(path + "/password", Map.of("password", "Reset-Pass-2026!"))
                        .code())
                .isEqualTo("NOT_FOUND");
        ApiClient.on(port).login(stranger.loginName(), stranger.password());
    }

    @Test
    void createWhenOrgAdminNamesOtherOrganisationThenForbidden() {
        TestAccount admin = fixtures.orgAdmin(fixtures.organization());
        Fixtures.Org other = fixtures.organization();
        ApiClient client = ApiClient.on(port).login(admin.loginName(), admin.password());

        ApiClient.Response response = client.post(
                "/api/admin/accounts",
                Map.of(
                        "loginName",
                        "NEW" + Fixtures.unique(),
                        "displayName",
                        "新员工",
                        "password",
                        "New-Staff-2026!",
                        "organizationId",
                        other.id()));

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.code()).isEqualTo("FORBIDDEN");
    }

    @Test
    void createWhenOrgAdminOmitsOrganisationThenOwnOrganisationAndUserRole() {
        Fixtures.Org own = fixtures.organization();
        TestAccount admin = fixtures.orgAdmin(own);
        ApiClient client = ApiClient.on(port).login(admin.loginName(), admin.password());

        ApiClient.Response response = client.post(
                "/api/admin/accounts",
                Map.of(
                        "loginName",
                        "NEW" + Fixtures.unique(),
                        "displayName",
                        "新员工",
                        "password",
                        "New-Staff-2026!",
                        "roles",
                        List.of("ORG_ADMIN")));

        assertThat(response.status()).isEqualTo(201);
        assertThat(response.json().path("organization").path("id").asLong()).isEqualTo(own.id());
        assertThat(response.json().path("roles").toString()).contains("ORG_ADMIN", "USER");
    }

    @Test
    void grantPlatformAdminWhenOrgAdminThenForbiddenButPlatformAdminMay() {
        Fixtures.Org own = fixtures.organization();
        TestAccount admin = fixtures.orgAdmin(own);
        TestAccount colleague = fixtures.user(own);
        ApiClient client = ApiClient.on(port).login(admin.loginName(), admin.password());
        Map<String, Object> body = Map.of("displayName", "西子", "roles", List.of("USER", "PLATFORM_ADMIN"));

        ApiClient.Response byOrgAdmin = client.put("/api/admin/accounts/" + colleague.id(), body);
        ApiClient.Response create = client.post(
                "/api/admin/accounts",
                Map.of(
                        "loginName",
                        "NEW" + Fixtures.unique(),
                        "displayName",
                        "新员工",
                        "password",
                        "New-Staff-2026!",
                        "roles",
                        List.of("PLATFORM_ADMIN")));

        assertThat(byOrgAdmin.code()).isEqualTo("FORBIDDEN");
        assertThat(create.code()).isEqualTo("FORBIDDEN");
        TestAccount operator = fixtures.platformAdmin();
        ApiClient.Response byOperator = ApiClient.on(port)
                .login(operator.loginName(), operator.password())
                .put("/api/admin/accounts/" + colleague.id(), body);
        assertThat(byOperator.status()).isEqualTo(200);
        assertThat(byOperator.json().path("roles").toString()).contains("PLATFORM_ADMIN");
    }

    @Test
    void platformAdminAccountWhenOrgAdminOfSameOrganisationThenNotFound() {
        Fixtures.Org own = fixtures.organization();
        TestAccount admin = fixtures.orgAdmin(own);
        TestAccount operator = fixtures.account(own.id(), "PLATFORM_ADMIN", "USER");
        ApiClient client = ApiClient.on(port).login(admin.loginName(), admin.password());

        assertThat(client.post("/api/admin/accounts/" + operator.id() + "/disable", null)
                        .code())
                .isEqualTo("NOT_FOUND");
    }

    @Test
    void departmentsWhenOtherOrganisationThenForbiddenOrNotFound() {
        Fixtures.Org own = fixtures.organization();
        Fixtures.Org other = fixtures.organization();
        long otherDepartment = fixtures.department(other.id(), "财务部");
        TestAccount admin = fixtures.orgAdmin(own);
        TestAccount user = fixtures.user(own);
        ApiClient client = ApiClient.on(port).login(admin.loginName(), admin.password());

        assertThat(client.get("/api/departments?organizationId=" + other.id()).code())
                .isEqualTo("FORBIDDEN");
        assertThat(client.post("/api/departments", Map.of("organizationId", other.id(), "name", "采购部"))
                        .code())
                .isEqualTo("FORBIDDEN");
        assertThat(client.put("/api/departments/" + otherDepartment, Map.of("name", "改名"))
                        .code())
                .isEqualTo("NOT_FOUND");
        assertThat(client.delete("/api/departments/" + otherDepartment).code()).isEqualTo("NOT_FOUND");
        ApiClient member = ApiClient.on(port).login(user.loginName(), user.password());
        assertThat(member.get("/api/departments").status()).isEqualTo(200);
        assertThat(member.get("/api/departments?organizationId=" + other.id()).code())
                .isEqualTo("FORBIDDEN");
    }

    @Test
    void disableWhenOrgAdminDisablesColleagueThenColleagueSessionEndsAtOnce() {
        Fixtures.Org own = fixtures.organization();
        TestAccount admin = fixtures.orgAdmin(own);
        TestAccount colleague = fixtures.user(own);
        ApiClient colleagueClient = ApiClient.on(port).login(colleague.loginName(), colleague.password());
        assertThat(colleagueClient.get("/api/me").status()).isEqualTo(200);

        ApiClient.Response disable = ApiClient.on(port)
                .login(admin.loginName(), admin.password())
                .post("/api/admin/accounts/" + colleague.id() + "/disable", null);

        assertThat(disable.status()).isEqualTo(200);
        assertThat(disable.json().path("status").asString()).isEqualTo("DISABLED");
        assertThat(colleagueClient.get("/api/me").code()).isEqualTo("UNAUTHENTICATED");
    }

    @Test
    void disableWhenOwnAccountThenForbidden() {
        TestAccount admin = fixtures.orgAdmin(fixtures.organization());
        ApiClient client = ApiClient.on(port).login(admin.loginName(), admin.password());

        assertThat(client.post("/api/admin/accounts/" + admin.id() + "/disable", null)
                        .code())
                .isEqualTo("FORBIDDEN");
    }
}
