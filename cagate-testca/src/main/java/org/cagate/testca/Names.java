package org.cagate.testca;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;

/** Distinguished names as Chinese CA companies write them: C=CN, O=..., CN=... in UTF8String. */
final class Names {
    private Names() {}

    static X500Name ca(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.C, "CN")
                .addRDN(BCStyle.O, "cagate test CA")
                .addRDN(BCStyle.CN, commonName)
                .build();
    }

    static X500Name user(String commonName, String organization, String serialNumber) {
        X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.C, "CN");
        if (organization != null) {
            builder.addRDN(BCStyle.O, organization);
        }
        if (serialNumber != null) {
            builder.addRDN(BCStyle.SERIALNUMBER, serialNumber);
        }
        return builder.addRDN(BCStyle.CN, commonName).build();
    }
}
