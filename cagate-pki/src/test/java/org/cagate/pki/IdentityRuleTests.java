package org.cagate.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.cagate.pki.AssertionVerifierTests.assertReason;

import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTF8String;
import org.cagate.testca.Credential;
import org.cagate.testca.TestCa;
import org.cagate.testca.TestPki;
import org.cagate.testca.UserBuilder;
import org.junit.jupiter.api.Test;

class IdentityRuleTests {
    private static final String GMT_0015 = UserBuilder.GMT_0015_IDENTITY_CODE;

    private final TestCa ca = TestPki.provider("ZJHX").sm2().build();

    private X509Certificate withExtension(ASN1Encodable value) {
        return ca.user("西子").extension(GMT_0015, value).issue().certificate();
    }

    @Test
    void keyIdWhenSpkiSha256ThenHexDigestOfThePublicKey() throws Exception {
        Credential user = ca.user("西子").issue();
        String expected = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(user.keyPair().getPublic().getEncoded()));

        assertThat(IdentityRule.SPKI_SHA256.keyId(user.certificate()).value()).isEqualTo(expected);
    }

    @Test
    void keyIdWhenIssuerSerialThenSerialHexAtIssuer() throws Exception {
        X509Certificate leaf = ca.user("西子").issue().certificate();

        assertThat(IdentityRule.ISSUER_SERIAL.keyId(leaf).value())
                .startsWith(leaf.getSerialNumber().toString(16).toUpperCase() + "@")
                .endsWith(leaf.getIssuerX500Principal().getName());
    }

    @Test
    void keyIdWhenSubjectSerialNumberAttributeThenItsValue() throws Exception {
        X509Certificate leaf =
                ca.user("西子").subjectSerialNumber("91330100MA2ABCDE1X").issue().certificate();

        assertThat(IdentityRule.subjectAttribute("2.5.4.5").keyId(leaf)).isEqualTo(new KeyId("91330100MA2ABCDE1X"));
    }

    @Test
    void keyIdWhenSubjectAttributeMissingThenCertMalformed() {
        X509Certificate leaf = ca.user("西子").issue().certificate();

        assertReason(() -> IdentityRule.subjectAttribute("2.5.4.5").keyId(leaf), Reason.CERT_MALFORMED);
    }

    @Test
    void keyIdWhenExtensionHoldsAnyCommonStringTypeThenItsText() throws Exception {
        IdentityRule rule = IdentityRule.extension(GMT_0015);

        assertThat(rule.keyId(withExtension(new DERUTF8String("身份330106"))).value())
                .isEqualTo("身份330106");
        assertThat(rule.keyId(withExtension(new DERPrintableString("330106199001011234")))
                        .value())
                .isEqualTo("330106199001011234");
        assertThat(rule.keyId(withExtension(new DERIA5String("id-42"))).value()).isEqualTo("id-42");
        assertThat(rule.keyId(withExtension(new DERBMPString("西子-7"))).value()).isEqualTo("西子-7");
    }

    @Test
    void keyIdWhenExtensionIsOctetStringWrappingAStringThenItsText() throws Exception {
        byte[] inner = new DERPrintableString("330106199001011234").getEncoded();

        assertThat(IdentityRule.extension(GMT_0015)
                        .keyId(withExtension(new DEROctetString(inner)))
                        .value())
                .isEqualTo("330106199001011234");
    }

    @Test
    void keyIdWhenGmt0015IdentifyCodeChoiceTaggedThenItsText() throws Exception {
        IdentityRule rule = IdentityRule.extension(GMT_0015);

        assertThat(rule.keyId(withExtension(new DERTaggedObject(true, 0, new DERPrintableString("330106199001011234"))))
                        .value())
                .isEqualTo("330106199001011234");
        assertThat(rule.keyId(withExtension(new DERTaggedObject(false, 2, new DERPrintableString("E12345678"))))
                        .value())
                .isEqualTo("E12345678");
    }

    @Test
    void keyIdWhenExtensionMissingThenCertMalformed() {
        X509Certificate leaf = ca.user("西子").issue().certificate();

        assertReason(() -> IdentityRule.extension(GMT_0015).keyId(leaf), Reason.CERT_MALFORMED);
    }

    @Test
    void keyIdWhenExtensionNotAStringThenCertMalformed() {
        assertReason(
                () -> IdentityRule.extension(GMT_0015).keyId(withExtension(new ASN1Integer(42))),
                Reason.CERT_MALFORMED);
        assertReason(
                () -> IdentityRule.extension(GMT_0015).keyId(withExtension(new DERUTF8String("  "))),
                Reason.CERT_MALFORMED);
    }

    @Test
    void constructorWhenOidMissingOrMalformedThenRefused() {
        assertThatThrownBy(() -> new IdentityRule(IdentityRule.Source.EXTENSION, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IdentityRule.subjectAttribute("serialNumber"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IdentityRule(IdentityRule.Source.SPKI_SHA256, "2.5.4.5"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
