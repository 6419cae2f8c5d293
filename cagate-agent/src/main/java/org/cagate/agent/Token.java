package org.cagate.agent;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A key as the page sees it: a UKey in a PKCS#11 slot, or one PKCS#12 file.
 *
 * @param id stable while the key stays plugged in: the token serial, else the slot; the file name
 * @param serial what is printed on the key (e.g. 330400007180230SE); null for a PKCS#12 file
 * @param certificates the user certificates it holds (CA certificates are left out); empty when they
 *     cannot be read without the PIN
 */
record Token(String id, String label, String serial, List<X509Certificate> certificates) {
    Token {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(label, "label");
        certificates = List.copyOf(certificates);
    }
}
