package org.cagate.server.binding;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.cagate.server.caprovider.CaTestKit;
import org.cagate.server.testing.ApiClient;
import org.cagate.server.testing.CagateServerTest;
import org.cagate.server.testing.Fixtures;
import org.cagate.server.testing.Fixtures.TestAccount;
import org.cagate.server.testing.TestClock;
import org.cagate.testca.Credential;
import org.cagate.testca.TestCa;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** {@code DELETE /api/ca/bindings/{id}} and {@code GET /api/ca/bindings}: history, scope, filters. */
@CagateServerTest
class UnbindAndListTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    TestClock clock;

    @Autowired
    JdbcClient jdbc;

    CaTestKit kit;
    Fixtures.Org org;
    TestCa ca;
    String provider;
    TestAccount admin;
    ApiClient adminClient;

    @BeforeEach
    void world() {
        kit = new CaTestKit(port, clock, fixtures);
        org = fixtures.organization();
        ca = kit.ca();
        provider = kit.provider(ca, org.regionCode());
        admin = fixtures.orgAdmin(org);
        adminClient = login(admin);
    }

    @Test
    void unbindWhenConfirmedThenHistoryKeptAndKeyFreeAtOnce() {
        TestAccount first = fixtures.user(org);
        TestAccount second = fixtures.user(org);
        Credential key = ca.user("西子").issue();
        long id = CaTestKit.bind(adminClient, provider, key, first.id())
                .json()
                .path("id")
                .asLong();

        ApiClient.Response unbound = adminClient.delete("/api/ca/bindings/" + id);
        CaTestKit.bind(adminClient, provider, key, second.id());

        assertThat(unbound.status()).isEqualTo(204);
        var history = jdbc.sql("SELECT active, active_key_id, unbound_by, unbound_at FROM ca_binding WHERE id = :id")
                .param("id", id)
                .query((rs, n) -> List.of(
                        String.valueOf(rs.getBoolean(1)),
                        String.valueOf(rs.getString(2)),
                        String.valueOf(rs.getLong(3)),
                        String.valueOf(rs.getObject(4) != null)))
                .single();
        assertThat(history).containsExactly("false", "null", String.valueOf(admin.id()), "true");
        assertThat(adminClient.delete("/api/ca/bindings/" + id).code()).isEqualTo("NOT_FOUND");
        JsonNode list = adminClient.get("/api/ca/bindings").json();
        assertThat(list.path("total").asLong()).isEqualTo(1);
        assertThat(list.path("items").get(0).path("account").path("id").asLong())
                .isEqualTo(second.id());
        assertThat(jdbc.sql("SELECT outcome || '/' || COALESCE(reason_code, '-') FROM audit_event"
                                + " WHERE action = 'UNBIND' AND provider_code = :p ORDER BY id")
                        .param("p", provider)
                        .query(String.class)
                        .list())
                .containsExactly("SUCCESS/-", "FAILURE/NOT_FOUND");
    }

    @Test
    void unbindWhenOutsideScopeThenNotFound() {
        TestAccount owner = fixtures.user(org);
        TestAccount colleague = fixtures.user(org);
        long id = CaTestKit.bind(login(owner), provider, ca.user("西子").issue(), owner.id())
                .json()
                .path("id")
                .asLong();
        ApiClient otherAdmin = login(fixtures.orgAdmin(fixtures.organization()));

        assertThat(login(colleague).delete("/api/ca/bindings/" + id).code()).isEqualTo("NOT_FOUND");
        assertThat(otherAdmin.delete("/api/ca/bindings/" + id).code()).isEqualTo("NOT_FOUND");
        assertThat(otherAdmin.get("/api/ca/bindings").json().path("total").asLong())
                .isZero();
        assertThat(login(owner).delete("/api/ca/bindings/" + id).status()).isEqualTo(204);
    }

    @Test
    void listWhenFilteredByAccountOrNameThenOnlyMatchesNewestFirstPaged() {
        TestAccount a = fixtures.user(org);
        TestAccount b = fixtures.user(org);
        long first = CaTestKit.bind(adminClient, provider, ca.user("西子").issue(), a.id())
                .json()
                .path("id")
                .asLong();
        long second = CaTestKit.bind(adminClient, provider, ca.user("西子").issue(), a.id())
                .json()
                .path("id")
                .asLong();
        CaTestKit.bind(adminClient, provider, ca.user("西子").issue(), b.id());

        JsonNode byAccount =
                adminClient.get("/api/ca/bindings?account=" + a.loginName()).json();
        JsonNode byName = adminClient
                .get("/api/ca/bindings?name=" + encode(b.displayName().substring(2)))
                .json();
        JsonNode paged = adminClient.get("/api/ca/bindings?page=2&size=2").json();

        assertThat(byAccount.path("total").asLong()).isEqualTo(2);
        assertThat(byAccount
                        .path("items")
                        .valueStream()
                        .map(n -> n.path("id").asLong())
                        .toList())
                .containsExactly(second, first);
        assertThat(byName.path("items")
                        .valueStream()
                        .map(n -> n.path("account").path("id").asLong()))
                .containsOnly(b.id());
        assertThat(paged.path("total").asLong()).isEqualTo(3);
        assertThat(paged.path("page").asInt()).isEqualTo(2);
        assertThat(paged.path("size").asInt()).isEqualTo(2);
        assertThat(paged.path("items")
                        .valueStream()
                        .map(n -> n.path("id").asLong())
                        .toList())
                .containsExactly(first);
        assertThat(adminClient.get("/api/ca/bindings?size=101").code()).isEqualTo("VALIDATION");
    }

    @Test
    void listWhenFilteredAndPagedThenTheOrganisationsMatchesCountedAndPagedWithNames() {
        TestAccount a = fixtures.user(org);
        TestAccount b = fixtures.user(org);
        List<Long> ofA = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ofA.add(CaTestKit.bind(adminClient, provider, ca.user("西子").issue(), a.id())
                    .json()
                    .path("id")
                    .asLong());
        }
        long ofB = CaTestKit.bind(adminClient, provider, ca.user("西子").issue(), b.id())
                .json()
                .path("id")
                .asLong();
        Fixtures.Org other = fixtures.organization();
        TestAccount stranger = fixtures.user(other);
        CaTestKit.bind(
                login(fixtures.orgAdmin(other)),
                kit.provider(ca, other.regionCode()),
                ca.user("西子").issue(),
                stranger.id());

        // Every fixture account's login name starts with PG and its name with 西子, the stranger's too.
        JsonNode everyone =
                adminClient.get("/api/ca/bindings?account=PG&size=3").json();
        JsonNode secondPage = adminClient
                .get("/api/ca/bindings?name=" + encode("西子") + "&page=2&size=3")
                .json();
        JsonNode pastTheEnd = adminClient
                .get("/api/ca/bindings?account=" + a.loginName() + "&page=3&size=2")
                .json();
        JsonNode nobody =
                adminClient.get("/api/ca/bindings?name=" + encode("东子")).json();

        assertThat(everyone.path("total").asLong()).isEqualTo(4);
        assertThat(ids(everyone)).containsExactly(ofB, ofA.get(2), ofA.get(1));
        JsonNode newest = everyone.path("items").get(0);
        assertThat(List.of(
                        newest.path("account").path("loginName").asString(),
                        newest.path("account").path("displayName").asString(),
                        newest.path("boundBy").path("displayName").asString()))
                .containsExactly(b.loginName(), b.displayName(), admin.displayName());
        assertThat(secondPage.path("total").asLong()).isEqualTo(4);
        assertThat(ids(secondPage)).containsExactly(ofA.get(0));
        assertThat(pastTheEnd.path("total").asLong()).isEqualTo(3);
        assertThat(pastTheEnd.path("items").size()).isZero();
        assertThat(nobody.path("total").asLong()).isZero();
        assertThat(nobody.path("items").size()).isZero();
    }

    @Test
    void listWhenUserThenOwnOnlyAndOtherOrganisationForbidden() {
        TestAccount me = fixtures.user(org);
        TestAccount colleague = fixtures.user(org);
        CaTestKit.bind(adminClient, provider, ca.user("西子").issue(), me.id());
        CaTestKit.bind(adminClient, provider, ca.user("西子").issue(), colleague.id());
        Fixtures.Org other = fixtures.organization();
        ApiClient operator = login(fixtures.platformAdmin());

        JsonNode mine = login(me).get("/api/ca/bindings").json();

        assertThat(mine.path("total").asLong()).isEqualTo(1);
        assertThat(mine.path("items").get(0).path("account").path("id").asLong())
                .isEqualTo(me.id());
        assertThat(login(me)
                        .get("/api/ca/bindings?organizationId=" + other.id())
                        .code())
                .isEqualTo("FORBIDDEN");
        assertThat(adminClient
                        .get("/api/ca/bindings?organizationId=" + other.id())
                        .code())
                .isEqualTo("FORBIDDEN");
        assertThat(operator.get("/api/ca/bindings?organizationId=" + org.id())
                        .json()
                        .path("total")
                        .asLong())
                .isEqualTo(2);
        assertThat(ApiClient.on(port).get("/api/ca/bindings").code()).isEqualTo("UNAUTHENTICATED");
    }

    private static List<Long> ids(JsonNode page) {
        return page.path("items").valueStream().map(n -> n.path("id").asLong()).toList();
    }

    private static String encode(String text) {
        return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8);
    }

    private ApiClient login(TestAccount account) {
        return ApiClient.on(port).login(account.loginName(), account.password());
    }
}
