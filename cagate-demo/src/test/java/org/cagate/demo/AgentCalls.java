package org.cagate.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cagate.pki.Certificates;
import org.cagate.pki.sign.DetachedSignature;
import org.cagate.pki.sign.SignatureFormat;
import org.cagate.pki.sign.Signer;
import org.cagate.testca.Credential;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the page's agent-client.js does, from a test: the demo's agent over HTTP (with the page's Origin),
 * a challenge from the server, and the assertion the page posts. Also signs with a credential directly,
 * for certificates that are in no key folder.
 */
final class AgentCalls {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private AgentCalls() {}

    record Answer(int status, JsonNode body) {}

    static Answer agent(Demo demo, String method, String path, String origin, Object body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + demo.agentPort() + path))
                .timeout(Duration.ofSeconds(30));
        if (origin != null) {
            request.header("Origin", origin);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(
                method,
                body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        HttpResponse<String> response =
                HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), JSON.readTree(response.body()));
    }

    /** A challenge for the purpose and provider, signed by the demo's agent with the PIN: the assertion. */
    static Map<String, Object> signedByAgent(Demo demo, PlatformClient client, String purpose, String provider)
            throws IOException, InterruptedException {
        JsonNode challenge = client.post("/api/ca/challenges", Map.of("purpose", purpose, "provider", provider));
        Map<String, Object> sign = new LinkedHashMap<>();
        sign.put("provider", provider);
        sign.put("pin", DemoData.PIN);
        sign.put("toBeSigned", challenge.path("toBeSigned").asString());
        sign.put("format", "RAW");
        Answer signed = agent(demo, "POST", "/v1/sign", demo.url(), sign);
        if (signed.status() != 200) {
            throw new AssertionError("the agent did not sign: " + signed);
        }
        Map<String, Object> assertion = new LinkedHashMap<>();
        assertion.put("challengeId", challenge.path("id").asString());
        for (String field : List.of("format", "algorithm", "certificate", "signature", "tokenSerial")) {
            JsonNode value = signed.body().path(field);
            assertion.put(field, value.isNull() || value.isMissingNode() ? null : value.asString());
        }
        List<String> chain = new ArrayList<>();
        signed.body().path("chain").forEach(c -> chain.add(c.asString()));
        assertion.put("chain", chain);
        return assertion;
    }

    /** A challenge signed with the credential itself, as an agent holding that key would sign it. */
    static Map<String, Object> signedWith(PlatformClient client, String purpose, String provider, Credential credential)
            throws Exception {
        JsonNode challenge = client.post("/api/ca/challenges", Map.of("purpose", purpose, "provider", provider));
        byte[] bytes = Base64.getDecoder().decode(challenge.path("toBeSigned").asString());
        DetachedSignature signature = Signer.of(credential.keyPair().getPrivate(), credential.certificate())
                .chain(credential
                        .chainWithoutRoot()
                        .subList(1, credential.chainWithoutRoot().size()))
                .sign(bytes, SignatureFormat.RAW);
        Map<String, Object> assertion = new LinkedHashMap<>();
        assertion.put("challengeId", challenge.path("id").asString());
        assertion.put("format", signature.format().name());
        assertion.put("algorithm", signature.algorithm().wireName());
        assertion.put("certificate", base64(signature.certificate()));
        assertion.put(
                "chain", signature.chain().stream().map(AgentCalls::base64).toList());
        assertion.put("signature", Base64.getEncoder().encodeToString(signature.signature()));
        return assertion;
    }

    /** The problem code with which the server refuses a CA login with the credential's key. */
    static String caLoginRefusal(PlatformClient client, String provider, Credential credential) throws Exception {
        Map<String, Object> assertion = signedWith(client, "LOGIN", provider, credential);
        try {
            client.post("/api/ca/login", assertion);
        } catch (PlatformClient.ApiFailure failure) {
            return failure.code();
        }
        throw new AssertionError("CA login with " + credential.certificate().getSubjectX500Principal() + " succeeded");
    }

    private static String base64(X509Certificate certificate) {
        return Base64.getEncoder().encodeToString(Certificates.der(certificate));
    }
}
