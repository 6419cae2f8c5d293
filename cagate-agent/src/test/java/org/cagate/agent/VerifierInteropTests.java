package org.cagate.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.cagate.pki.Assertion;
import org.cagate.pki.AssertionVerifier;
import org.cagate.pki.IdentityRule;
import org.cagate.pki.PkiException;
import org.cagate.pki.ProviderPolicy;
import org.cagate.pki.Reason;
import org.cagate.pki.RevocationPolicy;
import org.cagate.pki.TrustAnchors;
import org.cagate.pki.VerifiedAssertion;
import org.cagate.pki.revocation.RevocationChecker;
import org.cagate.testca.Credential;
import org.cagate.testca.KeyAlgorithm;
import org.cagate.testca.TestCa;
import org.cagate.testca.TestPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * What the agent returns is what the server accepts: the agent's answer, passed field by field into
 * cagate-pki's {@link AssertionVerifier} as the server will, verifies for every key type and format.
 */
class VerifierInteropTests {
    static final String ORIGIN = "https://zcy.example.gov.cn";
    static final String PIN = "735194";

    @TempDir
    static Path dir;

    static final java.util.Map<String, TestCa> CAS = new java.util.HashMap<>();
    static final java.util.Map<String, Credential> USERS = new java.util.HashMap<>();
    static Agent agent;
    static AgentClient page;
    static AssertionVerifier verifier;

    @BeforeAll
    static void start() throws Exception {
        List<ProviderConfig> providers = new ArrayList<>();
        providers.add(soft("ZJHX", KeyAlgorithm.EC_P256));
        providers.add(soft("SCCA", KeyAlgorithm.RSA_2048));
        providers.add(soft("CFCA", KeyAlgorithm.SM2));
        agent = Agent.start(AgentConfig.of(List.of(ORIGIN), providers).withPort(0));
        page = new AgentClient(agent.port(), ORIGIN);
        Clock clock = Clock.systemUTC();
        verifier = new AssertionVerifier(clock, RevocationChecker.create(clock, new SecureRandom()));
    }

    private static ProviderConfig soft(String code, KeyAlgorithm algorithm) throws Exception {
        TestCa ca =
                TestPki.provider(code).algorithm(algorithm).withIntermediate().build();
        Credential user = ca.user("西子").issue();
        user.writePkcs12(dir.resolve(code + "/xizi.p12"), "xizi", PIN.toCharArray());
        CAS.put(code, ca);
        USERS.put(code, user);
        return ProviderConfig.pkcs12(code, code, dir.resolve(code));
    }

    @AfterAll
    static void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    @ParameterizedTest
    @CsvSource({"ZJHX, RAW", "ZJHX, CMS", "SCCA, RAW", "SCCA, CMS", "CFCA, RAW", "CFCA, CMS"})
    void verifyWhenAgentSignedTheChallengeThenTheServersVerifierAcceptsIt(String provider, String format)
            throws Exception {
        byte[] challenge = AgentClient.challenge(ORIGIN, provider);
        JsonNode answer = page.sign(provider, PIN, challenge, format).json();

        VerifiedAssertion verified = verifier.verify(assertion(answer), challenge, policy(provider));

        assertThat(verified.details().toString()).contains("西子");
        byte[] other = AgentClient.challenge(ORIGIN, provider);
        assertThatThrownBy(() -> verifier.verify(assertion(answer), other, policy(provider)))
                .isInstanceOfSatisfying(
                        PkiException.class, e -> assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_INVALID));
    }

    static Assertion assertion(JsonNode answer) throws PkiException {
        List<String> chain = new ArrayList<>();
        answer.get("chain").forEach(c -> chain.add(c.asString()));
        return Assertion.fromWire(
                answer.get("format").asString(),
                answer.get("algorithm").asString(),
                answer.get("certificate").asString(),
                chain,
                answer.get("signature").asString(),
                answer.has("tokenSerial") ? answer.get("tokenSerial").asString() : null);
    }

    private static ProviderPolicy policy(String provider) throws PkiException {
        return new ProviderPolicy(
                provider,
                TrustAnchors.of(List.of(CAS.get(provider).root())),
                IdentityRule.SPKI_SHA256,
                RevocationPolicy.NONE);
    }
}
