package org.cagate.server.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.cagate.server.caprovider.CaTestKit;
import org.cagate.server.testing.ApiClient;
import org.cagate.server.testing.Fixtures;
import org.cagate.server.testing.Fixtures.TestAccount;
import org.cagate.server.testing.ServerNode;
import org.cagate.server.testing.TestClock;
import org.cagate.server.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import tools.jackson.databind.JsonNode;

/**
 * The OpenID Provider on two nodes of one PostgreSQL schema, as behind a load balancer: one signing key
 * for both (the first node made it, the second found it), a code issued by node A redeemed on node B with
 * B's JWKS and userinfo, and a key rotated on one node signing at once on the other.
 *
 * <p>PostgreSQL only ({@code CAGATE_TEST_PG_URL}, the build's PostgreSQL run); skipped with a message otherwise.
 */
@Tag("db")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OidcTwoNodeTests {

    private String schema;
    private ServerNode a;
    private ServerNode b;
    private Fixtures fixtures;
    private CaTestKit kit;
    private TestClock clock;

    @BeforeAll
    void twoNodesOnOneSchema() {
        boolean postgres = TestDatabase.postgres() && System.getenv(TestDatabase.PG_URL_ENV) != null;
        assumeTrue(postgres, () -> {
            String reason = TestDatabase.postgres()
                    ? "OidcTwoNodeTests SKIPPED: " + TestDatabase.PG_URL_ENV + " is not set"
                    : "OidcTwoNodeTests run in the PostgreSQL run only (" + TestDatabase.PG_URL_ENV + ")";
            System.out.println("[WARNING] " + reason);
            return reason;
        });
        schema = TestDatabase.createSchema();
        a = ServerNode.start("node-a", TestDatabase.url(schema));
        b = ServerNode.start("node-b", TestDatabase.url(schema));
        fixtures = a.fixtures();
        clock = a.bean(TestClock.class);
        kit = new CaTestKit(a.port(), clock, fixtures);
    }

    @AfterAll
    void stopNodes() {
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
        if (schema != null) {
            TestDatabase.dropSchema(schema);
        }
    }

    @Test
    void codeFromNodeARedeemedOnNodeBAndOneKeyForBoth() {
        Fixtures.Org org = fixtures.organization();
        TestAccount user = fixtures.user(org);
        JsonNode app = OidcProviderTests.register(kit.operator(), false, List.of());
        String clientId = app.path("clientId").asString();
        String secret = app.path("clientSecret").asString();
        JsonNode jwksA = ApiClient.on(a.port()).get("/oauth2/jwks").json();
        JsonNode jwksB = ApiClient.on(b.port()).get("/oauth2/jwks").json();
        assertThat(jwksA.path("keys").size()).isEqualTo(1);
        assertThat(jwksB).isEqualTo(jwksA);

        // The browser signs in and is sent to the authorization endpoint on node A ...
        RelyingParty viaA = new RelyingParty(a.port(), OidcProviderTests.ISSUER, clientId, secret, clock);
        ApiClient browser = ApiClient.on(a.port()).login(user.loginName(), user.password());
        OAuth2AuthorizationRequest request = viaA.request(RelyingParty.none());
        String code = RelyingParty.code(RelyingParty.authorize(browser, request), request);
        // ... and the application's back channel reaches node B: token, JWKS and userinfo there.
        RelyingParty viaB = new RelyingParty(b.port(), OidcProviderTests.ISSUER, clientId, secret, clock);
        OidcUser signedIn = viaB.login(request, code);

        assertThat(signedIn.getSubject()).isEqualTo(String.valueOf(user.id()));
        assertThat(signedIn.getPreferredUsername()).isEqualTo(user.loginName());
        assertThat(signedIn.getIdToken().getClaimAsStringList("amr")).containsExactly("pwd");
        assertThat(signedIn.getUserInfo().getClaimAsString("organization")).isEqualTo(org.name());
        System.out.printf("[two nodes] code issued by node A (%d) redeemed on node B (%d)%n", a.port(), b.port());

        // A key rotated on node B signs the next login's tokens on node A; B's JWKS verifies them.
        TestAccount operator = fixtures.platformAdmin();
        JsonNode rotated = ApiClient.on(b.port())
                .login(operator.loginName(), operator.password())
                .post("/api/admin/oidc/keys/rotate", null)
                .json();
        OAuth2AuthorizationRequest next = viaA.request(RelyingParty.none());
        String nextCode = RelyingParty.code(RelyingParty.authorize(browser, next), next);
        OidcUser again = viaB.login(next, nextCode);
        String header = again.getIdToken().getTokenValue().split("\\.")[0];
        assertThat(ApiClient.JSON
                        .readTree(java.util.Base64.getUrlDecoder().decode(header))
                        .path("kid")
                        .asString())
                .isEqualTo(rotated.path("kid").asString());
        assertThat(ApiClient.on(a.port())
                        .get("/oauth2/jwks")
                        .json()
                        .path("keys")
                        .size())
                .isEqualTo(2);
    }
}
