package org.cagate.agent;

import org.cagate.pki.sign.DetachedSignature;
import org.cagate.pki.sign.SignatureFormat;
import org.cagate.pki.sign.Signer;
import org.cagate.pki.sign.SigningException;

/**
 * What a backend's key is asked to sign, once the backend has unlocked it and found the certificate:
 * a platform challenge (RAW or CMS, POST /v1/sign) or a document's digest (POST /v1/sign-document).
 */
interface Signing {

    DetachedSignature with(Signer signer) throws AgentException, SigningException;

    static Signing challenge(byte[] content, SignatureFormat format) {
        return signer -> signer.sign(content, format);
    }
}
