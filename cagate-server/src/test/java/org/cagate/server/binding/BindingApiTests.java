package org.cagate.server.binding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cagate.server.caprovider.CaTestKit.assertion;
import static org.cagate.server.caprovider.CaTestKit.forAccount;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.cagate.pki.sign.SignatureFormat;
import org.cagate.server.caprovider.CaTestKit;
import org.cagate.server.testing.ApiClient;
import org.cagate.server.testing.CagateServerTest;
import org.cagate.server.testing.Fixtures;
import org.cagate.server.testing.Fixtures.TestAccount;
import org.cagate.server.testing.TestClock;
import org.cagate.testca.Credential;
import org.cagate.testca.CrlServer;
import org.cagate.testca.TestCa;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** {@code POST /api/ca/bindings}: every rule of DESIGN "Rules" and every refusal code. */
@CagateServerTest
class BindingApiTests {

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
    TestAccount user;
    ApiClient client;

    @BeforeEach
    void world() {
        kit = new CaTestKit(port, clock, fixtures);
        org = fixtures.organization();
        ca = kit.ca();
        provider = kit.provider(ca, org.regionCode());
        user = fixtures.user(org);
        client = login(user);
    }

    @Test
    void bindWhenOwnKeyThenCreatedListedAndAudited() {
        Credential key = ca.user("西子").issue();

        ApiClient.Response response = client.post(
                "/api/ca/bindings",
                forAccount(assertion(client, "BIND", provider, key, SignatureFormat.RAW), user.id()));

        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        JsonNode binding = response.json();
        assertThat(binding.path("account").path("id").asLong()).isEqualTo(user.id());
        assertThat(binding.path("account").path("loginName").asString()).isEqualTo(user.loginName());
        assertThat(binding.path("provider").path("code").asString()).isEqualTo(provider);
        assertThat(binding.path("provider").path("name").asString()).startsWith("浙江汇信CA");
        assertThat(binding.path("keyId").asString()).hasSize(64);
        assertThat(binding.path("tokenSerial").asString()).isEqualTo(CaTestKit.TOKEN_SERIAL);
        assertThat(binding.path("certificate").path("serialNumber").asString())
                .isEqualTo(key.certificate().getSerialNumber().toString(16).toUpperCase());
        assertThat(Instant.parse(binding.path("certificate").path("notAfter").asString()))
                .isEqualTo(key.certificate().getNotAfter().toInstant());
        assertThat(binding.path("boundBy").path("id").asLong()).isEqualTo(user.id());
        assertThat(binding.path("boundAt").asString()).isNotBlank();
        JsonNode list = client.get("/api/ca/bindings").json();
        assertThat(list.path("total").asLong()).isEqualTo(1);
        assertThat(list.path("items").get(0).path("id").asLong())
                .isEqualTo(binding.path("id").asLong());
        assertThat(audit("BIND", user.id())).containsExactly("SUCCESS/null/" + provider + "/" + client.ip());
    }

    @Test
    void bindWhenCmsAndManyKeysThenOneAccountHoldsThemAll() {
        client.post(
                "/api/ca/bindings",
                forAccount(assertion(client, "BIND", provider, ca.user("西子").issue(), SignatureFormat.CMS), user.id()));
        CaTestKit.bind(client, provider, ca.user("西子").issue(), user.id());

        assertThat(client.get("/api/ca/bindings").json().path("total").asLong()).isEqualTo(2);
    }

    @Test
    void bindWhenKeyBoundToAnotherAccountThenAlreadyBound() {
        Credential key = ca.user("西子").issue();
        TestAccount other = fixtures.user(org);
        CaTestKit.bind(login(other), provider, key, other.id());

        ApiClient.Response again = client.post(
                "/api/ca/bindings",
                forAccount(assertion(client, "BIND", provider, key, SignatureFormat.RAW), user.id()));

        assertThat(again.status()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("CA_ALREADY_BOUND");
        assertThat(again.detail()).isEqualTo("一把 CA 锁只能绑定一个账号。");
        assertThat(audit("BIND", user.id()))
                .containsExactly("FAILURE/CA_ALREADY_BOUND/" + provider + "/" + client.ip());
    }

    @Test
    void bindWhenKeyBoundToSameAccountThenAlreadyBoundSaysSo() {
        Credential key = ca.user("西子").issue();
        CaTestKit.bind(client, provider, key, user.id());

        ApiClient.Response again = client.post(
                "/api/ca/bindings",
                forAccount(assertion(client, "BIND", provider, key, SignatureFormat.RAW), user.id()));

        assertThat(again.code()).isEqualTo("CA_ALREADY_BOUND");
        assertThat(again.detail()).contains("已绑定到此账号");
    }

    @Test
    void bindWhenOrgAdminBindsStaffThenBoundByAdmin() {
        TestAccount admin = fixtures.orgAdmin(org);
        ApiClient adminClient = login(admin);

        ApiClient.Response response =
                CaTestKit.bind(adminClient, provider, ca.user("西子").issue(), user.id());

        assertThat(response.json().path("account").path("id").asLong()).isEqualTo(user.id());
        assertThat(response.json().path("boundBy").path("id").asLong()).isEqualTo(admin.id());
        assertThat(client.get("/api/ca/bindings").json().path("total").asLong()).isEqualTo(1);
    }

    @Test
    void bindWhenUserNamesColleagueThenForbiddenAndOtherOrganisationNotFound() {
        TestAccount colleague = fixtures.user(org);
        TestAccount stranger = fixtures.user(fixtures.organization());

        ApiClient.Response forColleague = client.post(
                "/api/ca/bindings",
                forAccount(
                        assertion(client, "BIND", provider, ca.user("西子").issue(), SignatureFormat.RAW),
                        colleague.id()));
        ApiClient.Response forStranger = client.post(
                "/api/ca/bindings",
                forAccount(
                        assertion(client, "BIND", provider, ca.user("西子").issue(), SignatureFormat.RAW),
                        stranger.id()));
        ApiClient admin = login(fixtures.orgAdmin(org));
        ApiClient.Response adminForStranger = admin.post(
                "/api/ca/bindings",
                forAccount(
                        assertion(admin, "BIND", provider, ca.user("西子").issue(), SignatureFormat.RAW), stranger.id()));

        assertThat(forColleague.code()).isEqualTo("FORBIDDEN");
        assertThat(forStranger.code()).isEqualTo("NOT_FOUND");
        assertThat(adminForStranger.code()).isEqualTo("NOT_FOUND");
        assertThat(audit("BIND", colleague.id())).containsExactly("FAILURE/FORBIDDEN/" + provider + "/" + client.ip());
    }

    @Test
    void bindWhenRegionCaClosedThenRegionCaDisabled() {
        Fixtures.Org closed = fixtures.organization();
        String offered = kit.provider(ca, closed.regionCode());
        jdbc.sql("UPDATE region SET ca_enabled = FALSE WHERE code = :code")
                .param("code", closed.regionCode())
                .update();
        TestAccount member = fixtures.user(closed);
        ApiClient memberClient = login(member);

        ApiClient.Response response = memberClient.post(
                "/api/ca/bindings",
                forAccount(
                        assertion(memberClient, "BIND", offered, ca.user("西子").issue(), SignatureFormat.RAW),
                        member.id()));

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.code()).isEqualTo("REGION_CA_DISABLED");
    }

    @Test
    void bindWhenProviderNotOfferedInRegionOrDisabledThenProviderDisabled() {
        String elsewhere = kit.provider(ca, fixtures.region(true));
        Map<String, Object> notOffered =
                assertion(client, "BIND", elsewhere, ca.user("西子").issue(), SignatureFormat.RAW);
        Map<String, Object> beforeDisabling =
                assertion(client, "BIND", provider, ca.user("西子").issue(), SignatureFormat.RAW);
        Map<String, Object> disabled = CaTestKit.providerBody(ca, org.regionCode());
        disabled.put("enabled", false);
        kit.putProvider(provider, disabled);

        assertThat(client.post("/api/ca/bindings", forAccount(notOffered, user.id()))
                        .code())
                .isEqualTo("PROVIDER_DISABLED");
        assertThat(client.post("/api/ca/bindings", forAccount(beforeDisabling, user.id()))
                        .code())
                .isEqualTo("PROVIDER_DISABLED");
        assertThat(CaTestKit.challenge(client, "BIND", provider).code()).isEqualTo("PROVIDER_DISABLED");
        assertThat(CaTestKit.challenge(client, "BIND", "NOSUCHPROVIDER").code()).isEqualTo("PROVIDER_UNKNOWN");
    }

    @Test
    void bindWhenTargetDisabledThenAccountDisabled() {
        TestAccount admin = fixtures.orgAdmin(org);
        jdbc.sql("UPDATE account SET status = 'DISABLED' WHERE id = :id")
                .param("id", user.id())
                .update();
        ApiClient adminClient = login(admin);

        ApiClient.Response response = adminClient.post(
                "/api/ca/bindings",
                forAccount(
                        assertion(adminClient, "BIND", provider, ca.user("西子").issue(), SignatureFormat.RAW),
                        user.id()));

        assertThat(response.code()).isEqualTo("ACCOUNT_DISABLED");
    }

    @Test
    void bindWhenChallengeUnknownUsedExpiredOrForSomethingElseThenChallengeCodes() {
        Credential key = ca.user("西子").issue();
        Map<String, Object> unknown = assertion(client, "BIND", provider, key, SignatureFormat.RAW);
        unknown.put("challengeId", "AAAAAAAAAAAAAAAAAAAAAA");
        Map<String, Object> used = assertion(client, "BIND", provider, key, SignatureFormat.RAW);
        used.put("signature", "AAAA");
        client.post("/api/ca/bindings", forAccount(used, user.id()));
        Map<String, Object> forLogin = assertion(client, "LOGIN", provider, key, SignatureFormat.RAW);
        TestAccount colleague = fixtures.user(org);
        Map<String, Object> colleagues = assertion(login(colleague), "BIND", provider, key, SignatureFormat.RAW);

        assertThat(client.post("/api/ca/bindings", forAccount(unknown, user.id()))
                        .code())
                .isEqualTo("CHALLENGE_UNKNOWN");
        ApiClient.Response replay = client.post("/api/ca/bindings", forAccount(used, user.id()));
        assertThat(replay.code()).isEqualTo("CHALLENGE_USED");
        assertThat(client.post("/api/ca/bindings", forAccount(forLogin, user.id()))
                        .code())
                .isEqualTo("CHALLENGE_UNKNOWN");
        ApiClient.Response notMine = client.post("/api/ca/bindings", forAccount(colleagues, user.id()));
        assertThat(notMine.code()).isEqualTo("CHALLENGE_UNKNOWN");
        assertThat(notMine.detail()).contains("不是为此操作签发的");
        Map<String, Object> late = assertion(client, "BIND", provider, key, SignatureFormat.RAW);
        clock.advance(Duration.ofSeconds(121));
        assertThat(client.post("/api/ca/bindings", forAccount(late, user.id())).code())
                .isEqualTo("CHALLENGE_EXPIRED");
        assertThat(client.get("/api/ca/bindings").json().path("total").asLong()).isZero();
    }

    @Test
    void bindWhenPostedFromAnotherOriginThenOriginMismatch() {
        Map<String, Object> body =
                forAccount(assertion(client, "BIND", provider, ca.user("西子").issue(), SignatureFormat.RAW), user.id());

        ApiClient.Response response =
                client.header("Origin", "https://evil.example.com").post("/api/ca/bindings", body);

        assertThat(response.code()).isEqualTo("ORIGIN_MISMATCH");
    }

    @Test
    void bindWhenCertificateOrSignatureBadThenPkiCodes() {
        TestCa stranger = kit.ca();
        Instant now = clock.instant();
        Map<String, Credential> cases = Map.of(
                "CERT_UNTRUSTED", stranger.user("西子").issue(),
                "CERT_EXPIRED",
                        ca.user("西子")
                                .notBefore(now.minus(Duration.ofDays(30)))
                                .notAfter(now.minus(Duration.ofDays(1)))
                                .issue(),
                "CERT_NOT_YET_VALID",
                        ca.user("西子")
                                .notBefore(now.plus(Duration.ofDays(1)))
                                .notAfter(now.plus(Duration.ofDays(30)))
                                .issue(),
                "CERT_USAGE", ca.user("西子").keyUsage(KeyUsage.keyEncipherment).issue());

        cases.forEach((code, key) -> {
            ApiClient.Response response = client.post(
                    "/api/ca/bindings",
                    forAccount(assertion(client, "BIND", provider, key, SignatureFormat.RAW), user.id()));
            assertThat(response.code()).as(code + ": " + response).isEqualTo(code);
            assertThat(response.status()).isEqualTo(422);
        });
        Credential key = ca.user("西子").issue();
        Map<String, Object> otherBytes = CaTestKit.sign(
                (String) assertion(client, "BIND", provider, key, SignatureFormat.RAW)
                        .get("challengeId"),
                "CAGATE-CHALLENGE-V1 but not these bytes".getBytes(),
                key,
                SignatureFormat.RAW);
        Map<String, Object> garbage = assertion(client, "BIND", provider, key, SignatureFormat.RAW);
        garbage.put("certificate", "AAAA");
        assertThat(client.post("/api/ca/bindings", forAccount(otherBytes, user.id()))
                        .code())
                .isEqualTo("SIGNATURE_INVALID");
        assertThat(client.post("/api/ca/bindings", forAccount(garbage, user.id()))
                        .code())
                .isEqualTo("CERT_MALFORMED");
        assertThat(audit("BIND", user.id())).hasSize(6).allMatch(line -> line.startsWith("FAILURE/"));
    }

    @Test
    void bindWhenRevokedByCrlThenCertRevoked() {
        try (CrlServer crl = CrlServer.start(ca)) {
            ca.defaultCrlUrl(crl.url());
            Map<String, Object> body = CaTestKit.providerBody(ca, org.regionCode());
            body.put(
                    "revocation",
                    Map.of(
                            "mode",
                            "CRL",
                            "failOpen",
                            false,
                            "fetchHosts",
                            List.of("127.0.0.1"),
                            "fetchPrivateAddresses",
                            true));
            kit.putProvider(provider, body);
            Credential revoked = ca.user("西子").issue();
            ca.revoke(revoked.certificate(), CRLReason.keyCompromise);

            ApiClient.Response response = client.post(
                    "/api/ca/bindings",
                    forAccount(assertion(client, "BIND", provider, revoked, SignatureFormat.RAW), user.id()));

            assertThat(response.code()).isEqualTo("CERT_REVOKED");
            CaTestKit.bind(client, provider, ca.user("西子").issue(), user.id());
        }
    }

    @Test
    void bindWhenRevocationCannotBeCheckedThenUnavailable() {
        Map<String, Object> body = CaTestKit.providerBody(ca, org.regionCode());
        body.put("revocation", Map.of("mode", "OCSP", "failOpen", false, "ocspUrl", "http://127.0.0.1:1/ocsp"));
        kit.putProvider(provider, body);

        ApiClient.Response response = client.post(
                "/api/ca/bindings",
                forAccount(assertion(client, "BIND", provider, ca.user("西子").issue(), SignatureFormat.RAW), user.id()));

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.code()).isEqualTo("REVOCATION_UNAVAILABLE");
    }

    @Test
    void bindWhenBodyIncompleteOrAnonymousThenValidationOrUnauthenticated() {
        Map<String, Object> noAccount =
                assertion(client, "BIND", provider, ca.user("西子").issue(), SignatureFormat.RAW);

        assertThat(client.post("/api/ca/bindings", noAccount).code()).isEqualTo("VALIDATION");
        assertThat(client.send("POST", "/api/ca/bindings", "{", "application/json")
                        .code())
                .isEqualTo("VALIDATION");
        assertThat(ApiClient.on(port)
                        .post("/api/ca/bindings", forAccount(noAccount, user.id()))
                        .code())
                .isEqualTo("UNAUTHENTICATED");
        assertThat(CaTestKit.challenge(ApiClient.on(port), "BIND", provider).code())
                .isEqualTo("UNAUTHENTICATED");
        assertThat(CaTestKit.challenge(client, "SIGN", provider).code()).isEqualTo("VALIDATION");
    }

    private ApiClient login(TestAccount account) {
        return ApiClient.on(port).login(account.loginName(), account.password());
    }

    /** outcome/reason/provider/ip of each audit record of the action about the account, oldest first. */
    private List<String> audit(String action, long subject) {
        return jdbc.sql("SELECT outcome, reason_code, provider_code, client_ip FROM audit_event"
                        + " WHERE action = :action AND subject_account_id = :subject ORDER BY id")
                .param("action", action)
                .param("subject", subject)
                .query((rs, n) ->
                        rs.getString(1) + "/" + rs.getString(2) + "/" + rs.getString(3) + "/" + rs.getString(4))
                .list();
    }
}
