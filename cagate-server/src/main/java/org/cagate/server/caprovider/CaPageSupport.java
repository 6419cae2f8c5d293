package org.cagate.server.caprovider;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/** What the CA pages show in Chinese: {@code th:text="${@ca.algorithms(p.algorithms)}"}. */
@Component("ca")
public class CaPageSupport {

    /** A certificate that expires within this time is marked on the binding list. */
    static final Duration EXPIRY_WARNING = Duration.ofDays(30);

    private final Clock clock;

    CaPageSupport(Clock clock) {
        this.clock = clock;
    }

    /** e.g. "国密 SM2、ECDSA", from the wire names. */
    public String algorithms(List<String> wireNames) {
        if (wireNames == null || wireNames.isEmpty()) {
            return "-";
        }
        return wireNames.stream().map(CaPageSupport::algorithm).collect(Collectors.joining("、"));
    }

    static String algorithm(String wireName) {
        return switch (wireName) {
            case "SM3withSM2" -> "国密 SM2";
            case "SHA256withECDSA" -> "ECDSA";
            case "SHA256withRSA" -> "RSA";
            default -> "其他";
        };
    }

    /** "expired", "expiring" (within 30 days) or "" for a certificate's end of validity. */
    public String expiry(Instant notAfter) {
        Instant now = clock.instant();
        if (notAfter == null) {
            return "";
        }
        if (!notAfter.isAfter(now)) {
            return "expired";
        }
        return notAfter.isBefore(now.plus(EXPIRY_WARNING)) ? "expiring" : "";
    }

    /** The words that go with {@link #expiry}. */
    public String expiryNote(Instant notAfter) {
        return switch (expiry(notAfter)) {
            case "expired" -> "已过期";
            case "expiring" -> "即将到期";
            default -> "";
        };
    }

    /** A key id as people read it: short hexadecimal ids in upper case, long ones cut with "…". */
    public String keyId(String keyId) {
        if (keyId == null) {
            return "-";
        }
        String shown = keyId.matches("[0-9a-f]+") ? keyId.toUpperCase(Locale.ROOT) : keyId;
        return shown.length() <= 24 ? shown : shown.substring(0, 16) + "…";
    }

    /** The whole key id, hexadecimal ones in upper case: what 查看完整 shows, to read or copy. */
    public String keyIdFull(String keyId) {
        if (keyId == null) {
            return "-";
        }
        return keyId.matches("[0-9a-f]+") ? keyId.toUpperCase(Locale.ROOT) : keyId;
    }

    public String identity(String source) {
        return switch (source) {
            case "SPKI_SHA256" -> "公钥指纹（换发证书不变）";
            case "ISSUER_SERIAL" -> "签发者与证书序列号";
            case "SUBJECT_ATTRIBUTE" -> "证书主题属性";
            case "EXTENSION" -> "证书扩展项";
            default -> source;
        };
    }

    public String revocation(String mode) {
        return switch (mode) {
            case "NONE" -> "不检查";
            case "CRL" -> "证书吊销列表";
            case "OCSP" -> "在线证书状态";
            case "OCSP_THEN_CRL" -> "先在线状态，再吊销列表";
            default -> mode;
        };
    }
}
