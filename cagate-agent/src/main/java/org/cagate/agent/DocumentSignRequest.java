package org.cagate.agent;

import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * The body of POST /v1/sign-document: a document's name and its digests, the PIN, the provider and
 * optionally the token and certificate. The page sends the document's SHA-256 and SM3 digests (it
 * cannot know the key's type before a PKCS#12 file is opened); the key signs the one its algorithm
 * takes. Read by {@link SigningBody}, as POST /v1/sign: the PIN into a char array, never a String.
 */
final class DocumentSignRequest {
    /** A file name a person gave a document; longer is not a name. */
    static final int MAX_NAME_CHARS = 255;

    static final String SHA_256 = "SHA-256";
    static final String SM3 = "SM3";

    final String provider;
    final String tokenId;
    final String certificateId;
    final String documentName;
    /** "SHA-256" and/or "SM3" to 32 bytes each. */
    final Map<String, byte[]> digests;
    /** The person confirmed the key's last PIN try (the page's 最后一次机会), as in {@link SignRequest}. */
    final boolean finalTryConfirmed;

    private final char[] pin;
    /** The digest the key signed, for the log; set by {@link #signing()}. */
    private volatile String signedDigest;

    private DocumentSignRequest(SigningBody body, String documentName, Map<String, byte[]> digests) {
        this.provider = body.provider;
        this.tokenId = body.tokenId;
        this.certificateId = body.certificateId;
        this.documentName = documentName;
        this.digests = digests;
        this.pin = body.pin;
        this.finalTryConfirmed = body.finalTryConfirmed;
    }

    char[] pin() {
        return pin;
    }

    void clearPin() {
        Arrays.fill(pin, '\0');
    }

    /** "SHA-256=<hex>" of the digest the key signed, else every digest sent. */
    String digestForLog() {
        if (signedDigest != null) {
            return signedDigest;
        }
        StringBuilder all = new StringBuilder();
        digests.forEach((name, value) -> all.append(all.isEmpty() ? "" : " ")
                .append(name)
                .append('=')
                .append(HexFormat.of().formatHex(value)));
        return all.toString();
    }

    /** Signs the digest the key's algorithm takes; refused when the page did not send that one. */
    Signing signing() {
        return signer -> {
            String name = signer.algorithm().digest();
            byte[] digest = digests.get(name);
            if (digest == null) {
                throw AgentException.withMessage(
                        ErrorCode.BAD_REQUEST,
                        "该密钥需要文档的 " + name + " 摘要，请刷新签章页面后重试",
                        "the key signs " + signer.algorithm().wireName() + ", no " + name + " digest sent");
            }
            signedDigest = name + "=" + HexFormat.of().formatHex(digest);
            return signer.signDigest(digest);
        };
    }

    static DocumentSignRequest parse(byte[] bytes) throws AgentException {
        var own = new Object() {
            String documentName;
            Map<String, byte[]> digests;
        };
        SigningBody body = SigningBody.read(bytes, (name, value, parser) -> {
            switch (name) {
                case "documentName" -> own.documentName = SigningBody.text(parser, value, name);
                case "digests" -> own.digests = digests(parser, value);
                default -> {
                    return false;
                }
            }
            return true;
        });
        if (own.documentName == null || own.documentName.isBlank() || own.documentName.length() > MAX_NAME_CHARS) {
            body.clearPin();
            throw SigningBody.bad("documentName is required, 1-" + MAX_NAME_CHARS + " characters");
        }
        if (own.digests == null || own.digests.isEmpty()) {
            body.clearPin();
            throw SigningBody.bad("digests is required: {\"SHA-256\": base64, \"SM3\": base64}");
        }
        return new DocumentSignRequest(body, own.documentName, own.digests);
    }

    private static Map<String, byte[]> digests(JsonParser parser, JsonToken value) throws AgentException {
        if (value != JsonToken.START_OBJECT) {
            throw SigningBody.bad("digests must be an object");
        }
        Map<String, byte[]> digests = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = parser.currentName();
            JsonToken digest = parser.nextToken();
            if (!name.equals(SHA_256) && !name.equals(SM3)) {
                throw SigningBody.bad("digests has SHA-256 and SM3 only, not " + RequestLog.abbreviate(name));
            }
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(SigningBody.text(parser, digest, "digests." + name));
            } catch (IllegalArgumentException e) {
                throw SigningBody.bad("digests." + name + " is not base64");
            }
            if (bytes.length != 32) {
                throw SigningBody.bad("digests." + name + " has " + bytes.length + " bytes, not 32");
            }
            digests.put(name, bytes);
        }
        return digests;
    }
}
