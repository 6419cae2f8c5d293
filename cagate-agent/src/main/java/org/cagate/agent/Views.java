package org.cagate.agent;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.security.auth.x500.X500Principal;
import org.cagate.pki.sign.DetachedSignature;

/** The JSON shapes of the agent API (DESIGN.md, "Agent"), field names exactly as the contract has them. */
final class Views {
    private Views() {}

    static Map<String, Object> provider(Backend backend) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("code", backend.config().code());
        view.put("name", backend.config().name());
        view.put("backend", backend.config().backend().name());
        view.put("tokenPresent", backend.tokenPresent());
        return view;
    }

    static Map<String, Object> token(String provider, Token token) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", token.id());
        view.put("provider", provider);
        view.put("label", token.label());
        view.put("serial", token.serial());
        List<Object> certificates = new ArrayList<>();
        for (X509Certificate c : token.certificates()) {
            certificates.add(certificate(c));
        }
        view.put("certificates", certificates);
        view.put("certificatesNeedPin", token.certificatesNeedPin());
        return view;
    }

    static Map<String, Object> certificate(X509Certificate c) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", Certificates.id(c));
        view.put("subject", c.getSubjectX500Principal().getName(X500Principal.RFC2253));
        view.put("issuer", c.getIssuerX500Principal().getName(X500Principal.RFC2253));
        view.put("serialNumber", c.getSerialNumber().toString(16).toUpperCase(java.util.Locale.ROOT));
        view.put("notBefore", c.getNotBefore().toInstant().toString());
        view.put("notAfter", c.getNotAfter().toInstant().toString());
        view.put("der", der(c));
        return view;
    }

    static Map<String, Object> signature(DetachedSignature signature, String tokenSerial) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("format", signature.format().name());
        view.put("algorithm", signature.algorithm().wireName());
        view.put("certificate", der(signature.certificate()));
        view.put("chain", signature.chain().stream().map(Views::der).toList());
        view.put("signature", Base64.getEncoder().encodeToString(signature.signature()));
        view.put("tokenSerial", tokenSerial);
        return view;
    }

    static Map<String, Object> error(AgentException e) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("code", e.code().name());
        view.put("message", e.clientMessage());
        view.put("retriesLeft", e.retriesLeft());
        return view;
    }

    private static String der(X509Certificate c) {
        try {
            return Base64.getEncoder().encodeToString(c.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode a certificate", e);
        }
    }
}
