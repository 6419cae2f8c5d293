package org.cagate.agent;

import java.util.List;
import org.cagate.pki.sign.DetachedSignature;

/** Where one provider's keys live: a PKCS#11 module or a folder of PKCS#12 files. */
interface Backend extends AutoCloseable {

    ProviderConfig config();

    /** Looks again, every call: a key may have been pulled out or put back since the last one. */
    default boolean tokenPresent() {
        try {
            token(null);
            return true;
        } catch (AgentException e) {
            return false;
        }
    }

    /** Every token present now, with the certificates it shows. */
    List<Token> tokens() throws AgentException;

    /**
     * The token to sign with: the one whose id is given, or the first present.
     *
     * @throws AgentException TOKEN_NOT_FOUND when there is none
     */
    Token token(String tokenId) throws AgentException;

    /**
     * Unlocks the token with the PIN, signs, and locks it again before returning, whatever happens.
     * The caller clears the PIN afterwards.
     *
     * @param certificateId the certificate to sign with (its {@link Certificates#id}); null for the
     *     best signing certificate on the token
     * @param signing what the key signs: a challenge or a document's digest
     * @param finalTryConfirmed whether the person confirmed that this PIN may be the key's last try; when
     *     not, a key that says the next wrong PIN locks it (PKCS#11 CKF_USER_PIN_FINAL_TRY, an SKF
     *     application with one retry left) gets no PIN and the call fails with PIN_FINAL_TRY. The
     *     counter is read in the same look at the key as the PIN is sent, so no other request tries in
     *     between. A backend that cannot tell sends the PIN.
     */
    DetachedSignature sign(Token token, String certificateId, char[] pin, Signing signing, boolean finalTryConfirmed)
            throws AgentException;

    @Override
    void close();
}
