package org.cagate.agent;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/** Certificate ids and the choice of which certificate on a key signs. */
final class Certificates {
    private Certificates() {}

    /** The lower-case hex SHA-256 of the DER: the same id for the same certificate on any backend. */
    static String id(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash a certificate", e);
        }
    }

    static boolean isCa(X509Certificate certificate) {
        return certificate.getBasicConstraints() >= 0;
    }

    /** No key usage, or digitalSignature / nonRepudiation: what the server's binding rules accept. */
    static boolean canSign(X509Certificate certificate) {
        boolean[] usage = certificate.getKeyUsage();
        return usage == null || usage[0] || (usage.length > 1 && usage[1]);
    }

    static boolean validAt(X509Certificate certificate, Instant at) {
        return !at.isBefore(certificate.getNotBefore().toInstant())
                && !at.isAfter(certificate.getNotAfter().toInstant());
    }

    /**
     * The certificate to sign with among those that have a key: the one asked for, else a signing
     * certificate (Chinese UKeys often hold a second one for encryption), preferring one valid now and
     * then the one that expires last.
     */
    static Optional<X509Certificate> choose(List<X509Certificate> withKey, String certificateId, Instant now) {
        if (certificateId != null) {
            return withKey.stream().filter(c -> id(c).equals(certificateId)).findFirst();
        }
        List<X509Certificate> signing = new ArrayList<>(
                withKey.stream().filter(c -> !isCa(c) && canSign(c)).toList());
        signing.sort(Comparator.comparing((X509Certificate c) -> !validAt(c, now))
                .thenComparing(c -> c.getNotAfter(), Comparator.reverseOrder()));
        return signing.stream().findFirst();
    }

    /** The CA certificates above {@code leaf} among {@code pool}, issuer first, by subject and issuer names. */
    static List<X509Certificate> chainAbove(X509Certificate leaf, List<X509Certificate> pool) {
        List<X509Certificate> chain = new ArrayList<>();
        X509Certificate current = leaf;
        while (chain.size() < 8 && !current.getIssuerX500Principal().equals(current.getSubjectX500Principal())) {
            X509Certificate child = current;
            Optional<X509Certificate> issuer = pool.stream()
                    .filter(c -> isCa(c) && c.getSubjectX500Principal().equals(child.getIssuerX500Principal()))
                    .findFirst();
            if (issuer.isEmpty() || chain.contains(issuer.get())) {
                break;
            }
            chain.add(issuer.get());
            current = issuer.get();
        }
        return chain;
    }
}
