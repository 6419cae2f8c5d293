package org.cagate.pki.revocation;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.cagate.pki.BouncyCastle;

/**
 * Who may sign an OCSP answer about a certificate (RFC 6960 4.2.2.2): the certificate's issuer, or a
 * responder certificate that the issuer signed and marked id-kp-OCSPSigning, valid now.
 */
final class OcspResponderCheck {
    private OcspResponderCheck() {}

    static void verifySigner(
            BasicOCSPResp basic,
            X509CertificateHolder issuerHolder,
            X509Certificate issuer,
            DigestCalculatorProvider digests,
            Instant now)
            throws OcspClient.Unusable {
        RespID responder = basic.getResponderId();
        X509CertificateHolder signer = null;
        if (names(responder, issuerHolder, digests)) {
            signer = issuerHolder;
        } else {
            for (X509CertificateHolder candidate : basic.getCerts()) {
                if (names(responder, candidate, digests)) {
                    checkDelegated(candidate, issuerHolder, issuer, now);
                    signer = candidate;
                    break;
                }
            }
        }
        if (signer == null) {
            throw new OcspClient.Unusable("signed by " + responder.toASN1Primitive()
                    + ", neither the issuer nor a responder certificate in the answer");
        }
        try {
            ContentVerifierProvider verifier = new JcaContentVerifierProviderBuilder()
                    .setProvider(BouncyCastle.provider())
                    .build(signer);
            if (!basic.isSignatureValid(verifier)) {
                throw new OcspClient.Unusable("answer signature invalid");
            }
        } catch (OcspClient.Unusable e) {
            throw e;
        } catch (Exception e) {
            throw new OcspClient.Unusable("answer signature not verifiable: " + e.getMessage());
        }
    }

    private static void checkDelegated(
            X509CertificateHolder responder, X509CertificateHolder issuerHolder, X509Certificate issuer, Instant now)
            throws OcspClient.Unusable {
        if (!responder.getIssuer().equals(issuerHolder.getSubject())) {
            throw new OcspClient.Unusable("responder certificate not issued by the certificate's issuer");
        }
        try {
            X509Certificate certificate = new JcaX509CertificateConverter()
                    .setProvider(BouncyCastle.provider())
                    .getCertificate(responder);
            certificate.verify(issuer.getPublicKey(), BouncyCastle.provider());
            certificate.checkValidity(Date.from(now));
            List<String> purposes = certificate.getExtendedKeyUsage();
            if (purposes == null || !purposes.contains(KeyPurposeId.id_kp_OCSPSigning.getId())) {
                throw new OcspClient.Unusable("responder certificate lacks id-kp-OCSPSigning");
            }
        } catch (OcspClient.Unusable e) {
            throw e;
        } catch (Exception e) {
            throw new OcspClient.Unusable("responder certificate refused: " + e.getMessage());
        }
    }

    private static boolean names(
            RespID responder, X509CertificateHolder certificate, DigestCalculatorProvider digests) {
        try {
            return responder.equals(new RespID(certificate.getSubject()))
                    || responder.equals(
                            new RespID(certificate.getSubjectPublicKeyInfo(), digests.get(RespID.HASH_SHA1)));
        } catch (Exception e) {
            return false;
        }
    }
}
