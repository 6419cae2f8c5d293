package org.cagate.server.caprovider;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cagate.pki.Certificates;
import org.cagate.pki.sign.DetachedSignature;
import org.cagate.pki.sign.SignatureFormat;
import org.cagate.pki.sign.Signer;
import org.cagate.pki.sign.SigningException;
import org.cagate.server.testing.ApiClient;
import org.cagate.server.testing.Fixtures;
import org.cagate.server.testing.TestClock;
import org.cagate.testca.CaBuilder;
import org.cagate.testca.Credential;
import org.cagate.testca.TestCa;
import org.cagate.testca.TestPki;

/**
 * What the CA tests share: test CAs on the server's clock, providers created through the operator
 * API, and the agent's part (sign a challenge with a credential, as {@code POST /v1/sign} would).
 *
 * <pre>{@code CaTestKit kit = new CaTestKit(port, clock);
 * TestCa ca = kit.ca(TestPki.provider("ZJHX").ec().withIntermediate());
 * String provider = kit.provider(ca, org.regionCode());
 * Credential xizi = ca.user("西子").issue();
 * Map<String, Object> assertion = kit.assertion(client, "BIND", provider, xizi, SignatureFormat.RAW);}</pre>
 */
public final class CaTestKit {

    public static final String TOKEN_SERIAL = "330400007180230SE";

    private final int port;
    private final TestClock clock;
    private final Fixtures fixtures;
    private ApiClient operator;

    public CaTestKit(int port, TestClock clock, Fixtures fixtures) {
        this.port = port;
        this.clock = clock;
        this.fixtures = fixtures;
    }

    /** A client signed in as a platform operator of its own (password limits are per login name). */
    public ApiClient operator() {
        if (operator == null) {
            Fixtures.TestAccount account = fixtures.platformAdmin();
            operator = ApiClient.on(port).login(account.loginName(), account.password());
        }
        return operator;
    }

    /** A test CA whose certificates, CRLs and OCSP answers are dated by the server's clock. */
    public TestCa ca(CaBuilder builder) {
        return builder.clock(clock).build();
    }

    /** An EC P-256 CA with an intermediate, as most CA companies issue. */
    public TestCa ca() {
        return ca(TestPki.provider("ZJHX").ec().withIntermediate());
    }

    /** A new provider code (the operator API's syntax). */
    public static String newCode() {
        return "P" + Fixtures.unique();
    }

    /** The PUT body of an enabled provider trusting the CA's root and intermediate, offered in the regions. */
    public static Map<String, Object> providerBody(TestCa ca, String... regions) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "浙江汇信CA" + Fixtures.unique().substring(0, 3));
        body.put("enabled", true);
        List<String> pems = new ArrayList<>();
        for (X509Certificate certificate : ca.caCertificates()) {
            pems.add(Certificates.toPem(certificate));
        }
        body.put("trustAnchors", pems);
        body.put("identity", Map.of("source", "SPKI_SHA256"));
        body.put("revocation", Map.of("mode", "NONE", "failOpen", false));
        body.put("regions", List.of(regions));
        return body;
    }

    /** Creates an enabled provider for the CA, offered in the regions; returns its code. */
    public String provider(TestCa ca, String... regions) {
        String code = newCode();
        ApiClient.Response response = operator().put("/api/admin/ca-providers/" + code, providerBody(ca, regions));
        if (response.status() != 201) {
            throw new AssertionError("provider not created: " + response);
        }
        return code;
    }

    /** Changes a provider with the body given. */
    public ApiClient.Response putProvider(String code, Map<String, Object> body) {
        return operator().put("/api/admin/ca-providers/" + code, body);
    }

    /** Asks the server for a challenge as the client, answering the issued challenge's JSON. */
    public static ApiClient.Response challenge(ApiClient client, String purpose, String provider) {
        return client.post("/api/ca/challenges", Map.of("purpose", purpose, "provider", provider));
    }

    /** A challenge and the credential's signature over it: the body of a bind (without accountId) or login. */
    public static Map<String, Object> assertion(
            ApiClient client, String purpose, String provider, Credential credential, SignatureFormat format) {
        ApiClient.Response issued = challenge(client, purpose, provider);
        if (issued.status() != 201) {
            throw new AssertionError("no challenge: " + issued);
        }
        byte[] bytes =
                Base64.getDecoder().decode(issued.json().path("toBeSigned").asString());
        return sign(issued.json().path("id").asString(), bytes, credential, format);
    }

    /** What the agent answers for the bytes, as the page posts it. */
    public static Map<String, Object> sign(
            String challengeId, byte[] bytes, Credential credential, SignatureFormat format) {
        DetachedSignature signature;
        try {
            // CMS signing time: within the certificate's validity (the signer checks its own signature with
            // it), whatever the shared test clock has been advanced to.
            Instant signingTime =
                    credential.certificate().getNotBefore().toInstant().plus(Duration.ofMinutes(1));
            signature = Signer.of(credential.keyPair().getPrivate(), credential.certificate())
                    .chain(credential
                            .caCertificates()
                            .subList(0, credential.caCertificates().size() - 1))
                    .clock(Clock.fixed(signingTime, ZoneOffset.UTC))
                    .sign(bytes, format);
        } catch (SigningException e) {
            throw new IllegalStateException(e);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("challengeId", challengeId);
        body.put("format", signature.format().name());
        body.put("algorithm", signature.algorithm().wireName());
        body.put("certificate", base64(signature.certificate()));
        body.put("chain", signature.chain().stream().map(CaTestKit::base64).toList());
        body.put("signature", Base64.getEncoder().encodeToString(signature.signature()));
        body.put("tokenSerial", TOKEN_SERIAL);
        return body;
    }

    /** The assertion with {@code accountId} added: the body of {@code POST /api/ca/bindings}. */
    public static Map<String, Object> forAccount(Map<String, Object> assertion, long accountId) {
        Map<String, Object> body = new LinkedHashMap<>(assertion);
        body.put("accountId", accountId);
        return body;
    }

    /** Binds the credential's key to the account as the client; fails unless it answers 201. */
    public static ApiClient.Response bind(ApiClient client, String provider, Credential credential, long accountId) {
        ApiClient.Response response = client.post(
                "/api/ca/bindings",
                forAccount(assertion(client, "BIND", provider, credential, SignatureFormat.RAW), accountId));
        if (response.status() != 201) {
            throw new AssertionError("bind failed: " + response);
        }
        return response;
    }

    public static String base64(X509Certificate certificate) {
        return Base64.getEncoder().encodeToString(Certificates.der(certificate));
    }
}
