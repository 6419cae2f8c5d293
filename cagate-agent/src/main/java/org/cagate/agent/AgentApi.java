package org.cagate.agent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.cagate.pki.Challenge;
import org.cagate.pki.PkiException;
import org.cagate.pki.sign.DetachedSignature;

/**
 * The three operations of the agent API, after {@link AgentHandler} has checked Host and Origin. Fills
 * {@link RequestLog} as it goes, so the help-desk log says what was asked and what came of it.
 */
final class AgentApi {
    static final String PRODUCT = "cagate-agent";

    private final Map<String, Backend> backends;
    private final PinThrottle throttle;
    private final String version;

    AgentApi(List<Backend> backends, PinThrottle throttle, String version) {
        this.backends = new LinkedHashMap<>();
        for (Backend backend : backends) {
            this.backends.put(backend.config().code(), backend);
        }
        this.throttle = Objects.requireNonNull(throttle, "throttle");
        this.version = Objects.requireNonNull(version, "version");
    }

    Map<String, Object> status() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("product", PRODUCT);
        view.put("version", version);
        List<Object> providers = new ArrayList<>();
        for (Backend backend : backends.values()) {
            providers.add(Views.provider(backend));
        }
        view.put("providers", providers);
        return view;
    }

    /** Every provider's tokens, or one provider's when {@code provider} is given. */
    List<Object> tokens(String provider, RequestLog log) throws AgentException {
        log.provider = provider;
        List<Backend> asked = provider == null ? List.copyOf(backends.values()) : List.of(backend(provider));
        List<Object> tokens = new ArrayList<>();
        for (Backend backend : asked) {
            List<Token> present;
            try {
                present = backend.tokens();
            } catch (AgentException e) {
                if (e.code() != ErrorCode.TOKEN_NOT_FOUND) {
                    throw e;
                }
                present = List.of(); // an absent key is an empty list here, not an error
            }
            for (Token token : present) {
                tokens.add(Views.token(backend.config().code(), token));
            }
        }
        log.detail = tokens.size() + " token(s)";
        return tokens;
    }

    /**
     * Signs a challenge for the page at {@code origin}. The checks run before the key is touched:
     * a known provider, CAGATE-CHALLENGE-V1 bytes (strict parse), the challenge's origin equal to the
     * request's Origin, the challenge's provider equal to the one asked for.
     */
    Map<String, Object> sign(SignRequest request, String origin, RequestLog log) throws AgentException {
        log.provider = request.provider;
        log.detail = request.format.name();
        Backend backend = backend(request.provider);
        Challenge challenge;
        try {
            challenge = Challenge.parse(request.toBeSigned);
        } catch (PkiException e) {
            throw new AgentException(
                    ErrorCode.NOT_A_CHALLENGE,
                    (Challenge.looksLikeChallenge(request.toBeSigned) ? "malformed challenge: " : "not a challenge: ")
                            + e.getMessage());
        }
        log.detail = request.format + " " + challenge.purpose();
        if (!challenge.origin().equals(origin)) {
            throw new AgentException(
                    ErrorCode.ORIGIN_MISMATCH, "challenge for " + challenge.origin() + " sent by " + origin);
        }
        if (!challenge.provider().equals(request.provider)) {
            throw AgentException.withMessage(
                    ErrorCode.NOT_A_CHALLENGE,
                    "该挑战属于其他 CA 服务商，已拒绝签名",
                    "challenge for provider " + challenge.provider() + ", asked to sign with " + request.provider);
        }
        Token token = backend.token(request.tokenId);
        log.token = token.serial() != null ? token.serial() : token.id();
        DetachedSignature signature = throttle.attempt(backend.config().code() + "/" + token.id(), () -> {
            // The key's last try is the person's: the backend reads the counter as it sends the PIN.
            return backend.sign(
                    token,
                    request.certificateId,
                    request.pin(),
                    Signing.challenge(request.toBeSigned, request.format),
                    request.finalTryConfirmed);
        });
        log.detail = request.format + " " + challenge.purpose() + " "
                + signature.algorithm().wireName();
        return Views.signature(signature, token.serial());
    }

    /**
     * Signs a document's digest for the page at {@code origin} (签章): a CMS SignedData whose signed
     * attributes the key's signer builds. There is no challenge to bind it to the platform; the allowed
     * Origin and the PIN typed for this document are the gate. The log names the document and the
     * digest signed, so the user's help desk can tell which document a signature was for.
     */
    Map<String, Object> signDocument(DocumentSignRequest request, String origin, RequestLog log) throws AgentException {
        log.provider = request.provider;
        log.detail = "DOCUMENT name=" + RequestLog.abbreviate(request.documentName) + " " + request.digestForLog();
        Backend backend = backend(request.provider);
        Token token = backend.token(request.tokenId);
        log.token = token.serial() != null ? token.serial() : token.id();
        DetachedSignature signature = throttle.attempt(backend.config().code() + "/" + token.id(), () -> {
            return backend.sign(
                    token, request.certificateId, request.pin(), request.signing(), request.finalTryConfirmed);
        });
        log.detail = "DOCUMENT name=" + RequestLog.abbreviate(request.documentName) + " " + request.digestForLog() + " "
                + signature.algorithm().wireName();
        Map<String, Object> view = Views.signature(signature, token.serial());
        view.put("digestAlgorithm", signature.algorithm().digest());
        return view;
    }

    private Backend backend(String code) throws AgentException {
        Backend backend = backends.get(code);
        if (backend == null) {
            throw new AgentException(ErrorCode.PROVIDER_UNKNOWN, "provider " + RequestLog.abbreviate(code));
        }
        return backend;
    }

    List<Backend> backends() {
        return List.copyOf(backends.values());
    }
}
