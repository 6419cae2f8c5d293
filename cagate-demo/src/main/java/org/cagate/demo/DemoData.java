package org.cagate.demo;

import java.util.List;
import java.util.Map;
import org.cagate.testca.KeyAlgorithm;
import org.cagate.testca.UserBuilder;

/**
 * What the demo holds, mirroring the seed (000_09d14ab71f255d98): the regions, the organisation
 * 培训省西子贸易集团 with 西子 / PGHS008 and an employee, and the four CA companies of the guide.
 * Passwords and PINs are demo values, printed at start-up; nothing here is a secret.
 */
public final class DemoData {

    private DemoData() {}

    /** A region (区划) and whether CA business is open there. */
    public record RegionSpec(String code, String name, boolean caEnabled) {}

    /** An account; {@code roles} as the admin API takes them. */
    public record AccountSpec(String loginName, String displayName, String password, List<String> roles) {}

    /**
     * A CA company: its test root (made at first start), the regions it is offered in, the identity rule
     * the platform reads the CA锁ID with, and how revocation is checked.
     *
     * @param identityOid for EXTENSION: the certificate extension holding the CA锁ID
     * @param identityValue the value 西子's certificate carries in that extension
     * @param revocation NONE, CRL or OCSP_THEN_CRL (served by cagate-testca on loopback)
     * @param softHsm2 this provider's key is a SoftHSM2 token ("USB key") when softhsm2 is installed
     */
    public record ProviderSpec(
            String code,
            String name,
            KeyAlgorithm algorithm,
            boolean intermediate,
            List<String> regions,
            String identitySource,
            String identityOid,
            String identityValue,
            String revocation,
            boolean softHsm2) {}

    public static final String TRAINING_REGION = "339900";

    public static final List<RegionSpec> REGIONS = List.of(
            new RegionSpec(TRAINING_REGION, "培训省本级", true),
            new RegionSpec("510000", "四川省", true),
            new RegionSpec("630000", "青海省", true));

    public static final String ORGANIZATION = "培训省西子贸易集团";

    /** The platform operator, created by the server's bootstrap settings. */
    public static final AccountSpec OPERATOR =
            new AccountSpec("operator", "平台管理员", "Cagate-Demo-2021!", List.of("PLATFORM_ADMIN"));

    /** The seed's account: ORG_ADMIN, so the bind dialog's 姓名 lists the organisation's employees. */
    public static final AccountSpec XIZI =
            new AccountSpec("PGHS008", "西子", "Xizi-Trade-2021!", List.of("ORG_ADMIN", "USER"));

    public static final AccountSpec DONGZI = new AccountSpec("PGHS009", "东子", "Dongzi-Trade-2021!", List.of("USER"));

    public static final List<AccountSpec> ORGANIZATION_ACCOUNTS = List.of(XIZI, DONGZI);

    /** Every demo key (PKCS#12 file password or token user PIN) opens with this PIN. */
    public static final String PIN = "123456";

    /** The SoftHSM2 token's security officer PIN (never needed in the demo's pages). */
    public static final String SO_PIN = "12345678";

    /** What the SoftHSM2 token reports as its serial: the CA锁ID printed on the key (16 characters at most). */
    public static final String TOKEN_SERIAL = "330400007180230S";

    /**
     * What the soft SKF token (四川CA's SM2 USB key) reports as its serial, the CA锁ID printed on the key:
     * the same code as the GM/T 0015 identity extension of 西子's 四川CA certificate.
     */
    public static final String SKF_SERIAL = "510100002021SC0008";

    /** Wrong PINs a demo UKey allows (real keys lock after 6-10); the agent reports the tries left. */
    public static final int MAX_PIN_RETRIES = 10;

    public static final ProviderSpec ZJHX = new ProviderSpec(
            "ZJHX",
            "浙江汇信CA",
            KeyAlgorithm.EC_P256,
            true,
            List.of(TRAINING_REGION),
            "SPKI_SHA256",
            null,
            null,
            "OCSP_THEN_CRL",
            true);

    public static final ProviderSpec SCCA = new ProviderSpec(
            "SCCA",
            "四川CA",
            KeyAlgorithm.SM2,
            false,
            List.of(TRAINING_REGION, "510000"),
            "EXTENSION",
            UserBuilder.GMT_0015_IDENTITY_CODE,
            "510100002021SC0008",
            "CRL",
            false);

    public static final ProviderSpec CFCA = new ProviderSpec(
            "CFCA",
            "CFCA",
            KeyAlgorithm.RSA_2048,
            true,
            List.of(TRAINING_REGION, "510000", "630000"),
            "SPKI_SHA256",
            null,
            null,
            "NONE",
            false);

    public static final ProviderSpec TWCA = new ProviderSpec(
            "TWCA",
            "天威CA",
            KeyAlgorithm.EC_P256,
            false,
            List.of(TRAINING_REGION, "630000"),
            "SPKI_SHA256",
            null,
            null,
            "NONE",
            false);

    public static final List<ProviderSpec> PROVIDERS = List.of(ZJHX, SCCA, CFCA, TWCA);

    /** What CA证书申领 shows a supplier for a provider: 客服电话, 在线申领 and 办理方式. */
    public record Contact(String servicePhone, String applyUrl, String applyNote) {}

    /**
     * The demo providers' contact data: plausible, and not a real company's (invented numbers, sites under
     * example.com, which is reserved for examples), so that no one calls a real CA company about a test
     * certificate.
     */
    public static final Map<String, Contact> CONTACTS = Map.of(
            "ZJHX", contact("0571-8800 0001", "https://zjhx.example.com/apply", "浙江汇信CA营业厅"),
            "SCCA", contact("028-8600 0002", "https://scca.example.com/apply", "四川CA各市州服务网点"),
            "CFCA", contact("010-5800 0003", "https://cfca.example.com/apply", "CFCA 服务网点"),
            "TWCA", contact("400-800 0004", "https://twca.example.com/apply", "天威CA服务网点"));

    private static Contact contact(String phone, String url, String office) {
        return new Contact(
                phone,
                url,
                "新办：在“在线申领”中填写单位信息并上传营业执照，或携带营业执照副本、法定代表人身份证和经办人身份证（复印件加盖公章）到"
                        + office
                        + "办理；审核通过后领取或邮寄 CA 锁。收到 CA 锁后，安装本平台“客户端&驱动下载”中的驱动，再到“CA绑定与解绑”绑定账号。"
                        + "续期、解锁 PIN 码、补办请联系客服电话。");
    }
}
