package org.cagate.bench.pki;

import java.security.Signature;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.cagate.pki.BouncyCastle;
import org.cagate.testca.Credential;

/** Makes the signatures the benchmark verifies, as an agent would: RAW, and detached CMS carrying the leaf. */
final class Signing {
    private Signing() {}

    static byte[] raw(Credential user, String algorithm, byte[] content) throws Exception {
        Signature signer = Signature.getInstance(algorithm, BouncyCastle.provider());
        signer.initSign(user.keyPair().getPrivate());
        signer.update(content);
        return signer.sign();
    }

    static byte[] cms(Credential user, String algorithm, byte[] content) throws Exception {
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder()
                        .setProvider(BouncyCastle.provider())
                        .build())
                .build(
                        new JcaContentSignerBuilder(algorithm)
                                .setProvider(BouncyCastle.provider())
                                .build(user.keyPair().getPrivate()),
                        user.certificate()));
        generator.addCertificates(new JcaCertStore(List.of(user.certificate())));
        // DER, as the wire contract and the agent have it (BC's getEncoded() would give BER).
        return generator
                .generate(new CMSProcessableByteArray(content), false)
                .toASN1Structure()
                .getEncoded(ASN1Encoding.DER);
    }
}
