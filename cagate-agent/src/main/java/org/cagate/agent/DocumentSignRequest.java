package org.cagate.agent;

import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * The body of POST /v1/sign-document: a document's name and its digests, the PIN, the provider and
 * optionally the token and certificate. The page sends the document's SHA-256 and SM3 digests (it
 * cannot know the key's type before a PKCS#12 file is opened); the key signs the one its algorithm
 * takes. The PIN is read as in {@link SignRequest}: into a char array, never a String.
 */
final class DocumentSignRequest {
    private static final JsonFactory JSON = new JsonFactory();
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

    private DocumentSignRequest(
            String provider,
            String tokenId,
            String certificateId,
            String documentName,
            Map<String, byte[]> digests,
            char[] pin,
            boolean finalTryConfirmed) {
        this.provider = provider;
        this.tokenId = tokenId;
        this.certificateId = certificateId;
        this.documentName = documentName;
        this.digests = digests;
        this.pin = pin;
        this.finalTryConfirmed = finalTryConfirmed;
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

    static DocumentSignRequest parse(byte[] body) throws AgentException {
        String provider = null;
        String tokenId = null;
        String certificateId = null;
        String documentName = null;
        Map<String, byte[]> digests = null;
        char[] pin = null;
        boolean finalTryConfirmed = false;
        try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw bad("body is not a JSON object");
            }
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value == JsonToken.VALUE_NULL) {
                    continue;
                }
                switch (name) {
                    case "provider" -> provider = text(parser, value, name);
                    case "tokenId" -> tokenId = text(parser, value, name);
                    case "certificateId" -> certificateId = text(parser, value, name);
                    case "documentName" -> documentName = text(parser, value, name);
                    case "digests" -> digests = digests(parser, value);
                    case "finalTryConfirmed" -> {
                        if (value != JsonToken.VALUE_TRUE && value != JsonToken.VALUE_FALSE) {
                            throw bad("finalTryConfirmed must be true or false");
                        }
                        finalTryConfirmed = value == JsonToken.VALUE_TRUE;
                    }
                    case "pin" -> {
                        if (value != JsonToken.VALUE_STRING) {
                            throw bad("pin must be a string");
                        }
                        clear(pin);
                        pin = Arrays.copyOfRange(
                                parser.getStringCharacters(),
                                parser.getStringOffset(),
                                parser.getStringOffset()
                                        + Math.min(parser.getStringLength(), SignRequest.MAX_PIN_CHARS + 1));
                    }
                    default -> parser.skipChildren();
                }
            }
            if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
                throw bad("trailing content after the JSON object");
            }
            if (provider == null || provider.isBlank()) {
                throw bad("provider is required");
            }
            if (pin == null || pin.length == 0 || pin.length > SignRequest.MAX_PIN_CHARS) {
                throw bad("pin is required, 1-" + SignRequest.MAX_PIN_CHARS + " characters");
            }
            if (documentName == null || documentName.isBlank() || documentName.length() > MAX_NAME_CHARS) {
                throw bad("documentName is required, 1-" + MAX_NAME_CHARS + " characters");
            }
            if (digests == null || digests.isEmpty()) {
                throw bad("digests is required: {\"SHA-256\": base64, \"SM3\": base64}");
            }
            return new DocumentSignRequest(
                    provider, tokenId, certificateId, documentName, digests, pin, finalTryConfirmed);
        } catch (JacksonException e) {
            clear(pin);
            throw bad("not JSON: " + e.getOriginalMessage());
        } catch (AgentException e) {
            clear(pin);
            throw e;
        }
    }

    private static Map<String, byte[]> digests(JsonParser parser, JsonToken value) throws AgentException {
        if (value != JsonToken.START_OBJECT) {
            throw bad("digests must be an object");
        }
        Map<String, byte[]> digests = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = parser.currentName();
            JsonToken digest = parser.nextToken();
            if (!name.equals(SHA_256) && !name.equals(SM3)) {
                throw bad("digests has SHA-256 and SM3 only, not " + RequestLog.abbreviate(name));
            }
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(text(parser, digest, "digests." + name));
            } catch (IllegalArgumentException e) {
                throw bad("digests." + name + " is not base64");
            }
            if (bytes.length != 32) {
                throw bad("digests." + name + " has " + bytes.length + " bytes, not 32");
            }
            digests.put(name, bytes);
        }
        return digests;
    }

    private static String text(JsonParser parser, JsonToken value, String name) throws AgentException {
        if (value != JsonToken.VALUE_STRING) {
            throw bad(name + " must be a string");
        }
        return parser.getString();
    }

    private static void clear(char[] pin) {
        if (pin != null) {
            Arrays.fill(pin, '\0');
        }
    }

    private static AgentException bad(String detail) {
        return new AgentException(ErrorCode.BAD_REQUEST, detail);
    }
}
