package org.cagate.testca.cli;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.cagate.testca.KeyAlgorithm;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Converters for the values the commands take. */
final class Options {
    private Options() {}

    /** RSA, EC (P-256), EC384 or SM2, in any case; the enum names work too. */
    static final class Algorithm implements ITypeConverter<KeyAlgorithm> {
        @Override
        public KeyAlgorithm convert(String value) {
            return switch (value.toUpperCase(Locale.ROOT).replace('-', '_')) {
                case "RSA", "RSA_2048" -> KeyAlgorithm.RSA_2048;
                case "EC", "EC_P256", "P256", "P_256" -> KeyAlgorithm.EC_P256;
                case "EC384", "EC_P384", "P384", "P_384" -> KeyAlgorithm.EC_P384;
                case "SM2" -> KeyAlgorithm.SM2;
                default -> throw new TypeConversionException("expected RSA, EC, EC384 or SM2, not " + value);
            };
        }
    }

    /** An ISO-8601 instant (2027-01-01T00:00:00Z) or a date (2027-01-01, midnight UTC). */
    static final class Time implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            try {
                return value.length() == 10
                        ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant()
                        : Instant.parse(value);
            } catch (DateTimeParseException e) {
                throw new TypeConversionException("expected 2027-01-01 or 2027-01-01T00:00:00Z, not " + value);
            }
        }
    }

    /** An RFC 5280 reason by name (keyCompromise, superseded, ...) or code. */
    static final class Reason implements ITypeConverter<Integer> {
        private static final String[] NAMES = {
            "unspecified",
            "keyCompromise",
            "cACompromise",
            "affiliationChanged",
            "superseded",
            "cessationOfOperation",
            "certificateHold",
            "",
            "removeFromCRL",
            "privilegeWithdrawn",
            "aACompromise"
        };

        @Override
        public Integer convert(String value) {
            for (int i = 0; i < NAMES.length; i++) {
                if (!NAMES[i].isEmpty() && NAMES[i].equalsIgnoreCase(value)) {
                    return i;
                }
            }
            try {
                int code = Integer.parseInt(value);
                if (code >= 0 && code < NAMES.length && !NAMES[code].isEmpty()) {
                    return code;
                }
            } catch (NumberFormatException ignored) {
                // falls through to the message below
            }
            throw new TypeConversionException("expected a CRL reason such as keyCompromise or 1, not " + value);
        }
    }

    /** Key usage names as in RFC 5280: digitalSignature, nonRepudiation, keyEncipherment, ... */
    static final class Usage implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return switch (value) {
                case "digitalSignature" -> KeyUsage.digitalSignature;
                case "nonRepudiation", "contentCommitment" -> KeyUsage.nonRepudiation;
                case "keyEncipherment" -> KeyUsage.keyEncipherment;
                case "dataEncipherment" -> KeyUsage.dataEncipherment;
                case "keyAgreement" -> KeyUsage.keyAgreement;
                case "keyCertSign" -> KeyUsage.keyCertSign;
                case "cRLSign" -> KeyUsage.cRLSign;
                default -> throw new TypeConversionException("unknown key usage " + value);
            };
        }
    }
}
