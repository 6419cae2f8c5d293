package org.cagate.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.cagate.server.testing.ApiClient;
import org.cagate.server.testing.CagateServerTest;
import org.cagate.server.testing.Fixtures;
import org.cagate.server.testing.Fixtures.TestAccount;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Every admin endpoint, called by every role: anonymous callers get 401 UNAUTHENTICATED, roles
 * without the right 403 FORBIDDEN, and the roles with it a success. The ORG_ADMIN calls concern an
 * account of their own organisation (their confinement is OrgAdminScopeTests).
 */
@CagateServerTest
class AdminEndpointRoleTests {

    enum Caller {
        ANONYMOUS,
        USER,
        ORG_ADMIN,
        PLATFORM_ADMIN
    }

    /** What one call needs: an organisation, a user account in it, a department of it. */
    record Target(Fixtures.Org org, TestAccount account, long department, String region) {}

    record Endpoint(String method, String path, Function<Target, Object> body, Set<Caller> allowed, int success) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private static final Set<Caller> PLATFORM = EnumSet.of(Caller.PLATFORM_ADMIN);
    private static final Set<Caller> ADMINS = EnumSet.of(Caller.PLATFORM_ADMIN, Caller.ORG_ADMIN);

    static List<Endpoint> endpoints() {
        return List.of(
                new Endpoint("GET", "/api/admin/regions", t -> null, PLATFORM, 200),
                new Endpoint("GET", "/api/admin/regions/{region}", t -> null, PLATFORM, 200),
                new Endpoint(
                        "PUT",
                        "/api/admin/regions/{region}",
                        t -> Map.of("name", "培训省本级", "caEnabled", true),
                        PLATFORM,
                        200),
                new Endpoint("GET", "/api/admin/organizations", t -> null, PLATFORM, 200),
                new Endpoint("GET", "/api/admin/organizations/{org}", t -> null, PLATFORM, 200),
                new Endpoint(
                        "POST",
                        "/api/admin/organizations",
                        t -> Map.of("name", "新单位" + Fixtures.unique(), "regionCode", t.region()),
                        PLATFORM,
                        201),
                new Endpoint(
                        "PUT",
                        "/api/admin/organizations/{org}",
                        t -> Map.of("name", t.org().name(), "regionCode", t.region()),
                        PLATFORM,
                        200),
                new Endpoint("GET", "/api/admin/accounts", t -> null, ADMINS, 200),
                new Endpoint("GET", "/api/admin/accounts/{account}", t -> null, ADMINS, 200),
                new Endpoint(
                        "POST",
                        "/api/admin/accounts",
                        t -> Map.of(
                                "loginName",
                                "NEW" + Fixtures.unique(),
                                "displayName",
                                "新员工",
                                "password",
                                "New-Staff-2026!",
                                "organizationId",
                                t.org().id(),
                                "roles",
                                List.of("USER")),
                        ADMINS,
                        201),
                new Endpoint(
                        "PUT",
                        "/api/admin/accounts/{account}",
                        t -> Map.of("displayName", "西子", "roles", List.of("USER")),
                        ADMINS,
                        200),
                new Endpoint("POST", "/api/admin/accounts/{account}/disable", t -> null, ADMINS, 200),
                new Endpoint("POST", "/api/admin/accounts/{account}/enable", t -> null, ADMINS, 200),
                new Endpoint("POST", "/api/admin/accounts/{account}/unlock", t -> null, ADMINS, 200),
                new Endpoint("GET", "/api/admin/accounts/{account}/login-throttle", t -> null, ADMINS, 200),
                new Endpoint(
                        "PUT",
                        "/api/admin/accounts/{account}/password",
                        t -> Map.of("password", "Reset-Pass-2026!"),
                        ADMINS,
                        200),
                new Endpoint(
                        "POST",
                        "/api/departments",
                        t -> Map.of("organizationId", t.org().id(), "name", "部门" + Fixtures.unique()),
                        ADMINS,
                        201),
                new Endpoint(
                        "PUT",
                        "/api/departments/{department}",
                        t -> Map.of("name", "部门" + Fixtures.unique()),
                        ADMINS,
                        200),
                new Endpoint("DELETE", "/api/departments/{department}", t -> null, ADMINS, 204),
                new Endpoint("GET", "/actuator/metrics", t -> null, PLATFORM, 200),
                new Endpoint("GET", "/actuator/prometheus", t -> null, PLATFORM, 200));
    }

    static Stream<Arguments> calls() {
        List<Arguments> calls = new ArrayList<>();
        for (Endpoint endpoint : endpoints()) {
            for (Caller caller : Caller.values()) {
                calls.add(Arguments.of(endpoint, caller));
            }
        }
        return calls.stream();
    }

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("calls")
    void adminEndpointWhenCalledByRoleThenAllowedOnlyForItsRoles(Endpoint endpoint, Caller caller) {
        Fixtures.Org org = fixtures.organization();
        Target target = new Target(org, fixtures.user(org), fixtures.department(org.id(), "采购部"), org.regionCode());
        ApiClient client = client(caller, org);
        String path = endpoint.path()
                .replace("{region}", target.region())
                .replace("{org}", Long.toString(org.id()))
                .replace("{account}", Long.toString(target.account().id()))
                .replace("{department}", Long.toString(target.department()));
        Object body = endpoint.body().apply(target);

        ApiClient.Response response = switch (endpoint.method()) {
            case "GET" -> client.get(path);
            case "POST" -> client.post(path, body);
            case "PUT" -> client.put(path, body);
            case "DELETE" -> client.delete(path);
            default -> throw new IllegalArgumentException(endpoint.method());
        };

        if (caller == Caller.ANONYMOUS) {
            assertThat(response.status()).as(response.toString()).isEqualTo(401);
            assertThat(response.code()).isEqualTo("UNAUTHENTICATED");
        } else if (!endpoint.allowed().contains(caller)) {
            assertThat(response.status()).as(response.toString()).isEqualTo(403);
            assertThat(response.code()).isEqualTo("FORBIDDEN");
        } else {
            assertThat(response.status()).as(response.toString()).isEqualTo(endpoint.success());
        }
    }

    private ApiClient client(Caller caller, Fixtures.Org org) {
        ApiClient client = ApiClient.on(port);
        TestAccount account = switch (caller) {
            case ANONYMOUS -> null;
            case USER -> fixtures.user(org);
            case ORG_ADMIN -> fixtures.orgAdmin(org);
            case PLATFORM_ADMIN -> fixtures.platformAdmin();
        };
        return account == null ? client : client.login(account.loginName(), account.password());
    }
}
