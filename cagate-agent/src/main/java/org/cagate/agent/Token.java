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
 * @param certificatesNeedPin the certificates are there but encrypted with the PIN (a PKCS#12 file's
 *     usual case); they are listed once a right PIN has been given to this agent for the key
 */
record Token(String id, String label, String serial, List<X509Certificate> certificates, boolean certificatesNeedPin) {
    Token {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(label, "label");
        certificates = List.copyOf(certificates);
    }

    Token(String id, String label, String serial, List<X509Certificate> certificates) {
        this(id, label, serial, certificates, false);
    }
}
