package org.cagate.pki.sign;

/** How a signature is delivered (DESIGN.md, "Signed assertion"). */
public enum SignatureFormat {
    /** The bare signature over the content: RSA PKCS#1 v1.5, or ECDSA / SM2 as DER SEQUENCE{r,s}. */
    RAW,
    /** A DER ContentInfo holding detached SignedData over the content, with the signer's certificates. */
    CMS
}
