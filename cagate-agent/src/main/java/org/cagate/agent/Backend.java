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
     */
    DetachedSignature sign(Token token, String certificateId, char[] pin, Signing signing) throws AgentException;

    /**
     * Whether the token says the next wrong PIN locks it (PKCS#11 CKF_USER_PIN_FINAL_TRY). Asked before
     * each PIN try, so the agent can keep that try for a person who confirmed it; false when the backend
     * cannot tell.
     */
    default boolean pinFinalTry(Token token) throws AgentException {
        return false;
    }

    @Override
    void close();
}
