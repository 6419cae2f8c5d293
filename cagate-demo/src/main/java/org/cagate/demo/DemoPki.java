package org.cagate.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cagate.demo.DemoData.ProviderSpec;
import org.cagate.testca.CaBuilder;
import org.cagate.testca.Credential;
import org.cagate.testca.CrlServer;
import org.cagate.testca.KeyAlgorithm;
import org.cagate.testca.LoopbackHttp;
import org.cagate.testca.OcspResponder;
import org.cagate.testca.TestCa;
import org.cagate.testca.TestPki;
import org.cagate.testca.TsaServer;
import org.cagate.testca.UserBuilder;
import org.cagate.testca.softhsm.SoftHsm2;
import org.cagate.testca.softhsm.SoftHsmToken;
import org.cagate.testca.softskf.SoftSkf;

/**
 * The demo's test CAs, 西子's keys and the CRL / OCSP server, kept under {@code <data>/ca}, {@code
 * <data>/keys}, {@code <data>/softhsm} and {@code <data>/skf}: the first start makes them, later starts load them, so the
 * roots the server trusts and the keys bound to accounts stay the same.
 */
public final class DemoPki implements AutoCloseable {

    /**
     * Where a provider's key lives: a folder of PKCS#12 files, a SoftHSM2 token (label), or a soft SKF
     * token ("USB key" through GM/T 0016; the library the agent loads).
     */
    public record DemoKey(ProviderSpec provider, Path pkcs12Folder, String tokenLabel, Path skfLibrary) {
        /** On the SoftHSM2 token (PKCS#11). */
        public boolean onToken() {
            return tokenLabel != null;
        }

        /** On the soft SKF token. */
        public boolean onSkf() {
            return skfLibrary != null;
        }

        /** A PKCS#12 file in {@link #pkcs12Folder()}. */
        public boolean inFile() {
            return pkcs12Folder != null;
        }
    }

    /** The label of the demo's SoftHSM2 token. */
    public static final String TOKEN_LABEL = "ZJHX-UKEY";

    /** The soft SKF token's device, application and container names (docs/testca.md, "Soft SKF token"). */
    public static final String SKF_DEVICE = "SCCA-UKEY";

    public static final String SKF_APPLICATION = "SCCA_APP";
    public static final String SKF_CONTAINER = "SM2_SIGN";

    /** The name 西子's PKCS#12 files have in each provider's key folder. */
    public static final String KEY_FILE = "西子.p12";

    private final Path folder;
    private final LoopbackHttp revocationHttp;
    private final Map<String, TestCa> cas = new LinkedHashMap<>();
    private final Map<String, DemoKey> keys = new LinkedHashMap<>();
    private final Map<String, Map<String, Object>> revocation = new LinkedHashMap<>();
    private final List<AutoCloseable> servers = new ArrayList<>();
    private TsaServer tsa;
    private SoftHsm2 hsm;
    private SoftSkf skf;

    private DemoPki(Path folder, LoopbackHttp revocationHttp) {
        this.folder = folder;
        this.revocationHttp = revocationHttp;
    }

    /** Loads or makes every provider's CA and 西子's key; serves CRLs and OCSP on 127.0.0.1:{@code port}. */
    public static DemoPki open(Path dataFolder, int revocationPort) throws IOException {
        DemoPki pki = new DemoPki(dataFolder, LoopbackHttp.start(revocationPort));
        try {
            for (ProviderSpec spec : DemoData.PROVIDERS) {
                pki.openProvider(spec);
            }
            pki.startTsa();
            return pki;
        } catch (IOException | RuntimeException e) {
            pki.close();
            throw e;
        }
    }

    private void openProvider(ProviderSpec spec) throws IOException {
        Path caFolder = folder.resolve("ca").resolve(spec.code());
        CaBuilder builder =
                TestPki.provider(spec.code()).algorithm(spec.algorithm()).name(spec.name() + " 测试根证书");
        TestCa ca = (spec.intermediate() ? builder.withIntermediate() : builder).buildOrLoad(caFolder);
        cas.put(spec.code(), ca);
        serveRevocation(spec, ca);
        keys.put(spec.code(), openKey(spec, ca, caFolder));
    }

    /** CRL and OCSP as the provider's revocation mode needs; the URLs go into the provider's settings. */
    private void serveRevocation(ProviderSpec spec, TestCa ca) {
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("mode", spec.revocation());
        policy.put("failOpen", false);
        List<String> crlUrls = new ArrayList<>();
        if (spec.revocation().contains("CRL")) {
            CrlServer crl = CrlServer.on(revocationHttp, ca);
            servers.add(crl);
            ca.defaultCrlUrl(crl.url());
            crlUrls.add(crl.url());
        }
        if (spec.revocation().contains("OCSP")) {
            OcspResponder ocsp = OcspResponder.on(revocationHttp, ca);
            servers.add(ocsp);
            ca.defaultOcspUrl(ocsp.url());
            policy.put("ocspUrl", ocsp.url());
        }
        policy.put("crlUrls", crlUrls);
        revocation.put(spec.code(), policy);
    }

    /**
     * 西子's key for the provider: the SoftHSM2 token, soft SKF token or PKCS#12 file made at an earlier
     * start, else a new one (a SoftHSM2 token when the provider asks for one and softhsm2 is installed; an
     * SM2 key on a soft SKF token, as 国密 USB keys are, when the token was built).
     */
    private DemoKey openKey(ProviderSpec spec, TestCa ca, Path caFolder) throws IOException {
        Path keyFolder = folder.resolve("keys").resolve(spec.code());
        Path keyFile = keyFolder.resolve(KEY_FILE);
        if (spec.algorithm() == KeyAlgorithm.SM2 && SoftSkf.isAvailable() && !Files.exists(keyFile)) {
            skf = SoftSkf.create(folder.resolve("skf"));
            if (!Files.isDirectory(skf.devices().resolve(SKF_DEVICE))) {
                skf.device(SKF_DEVICE, DemoData.SKF_SERIAL)
                        .application(SKF_APPLICATION, DemoData.PIN, DemoData.MAX_PIN_RETRIES)
                        .container(SKF_CONTAINER, issueXizi(ca, caFolder));
            }
            return new DemoKey(spec, null, null, skf.library());
        }
        if (spec.softHsm2() && SoftHsm2.isAvailable() && !Files.exists(keyFile)) {
            hsm = SoftHsm2.create(folder.resolve("softhsm"));
            if (hsm.token(TOKEN_LABEL).isEmpty()) {
                Credential credential = issueXizi(ca, caFolder);
                SoftHsmToken token = hsm.initToken(TOKEN_LABEL, DemoData.SO_PIN, DemoData.PIN);
                token.write(credential, DemoData.XIZI.displayName());
                token.setSerial(DemoData.TOKEN_SERIAL);
            }
            return new DemoKey(spec, null, TOKEN_LABEL, null);
        }
        Files.createDirectories(keyFolder);
        if (!Files.exists(keyFile)) {
            issueXizi(ca, caFolder).writePkcs12(keyFile, DemoData.XIZI.displayName(), DemoData.PIN.toCharArray());
        }
        return new DemoKey(spec, keyFolder, null, null);
    }

    /** 西子's certificate, two years; the CA folder is saved again so OCSP knows the serial after a restart. */
    private static Credential issueXizi(TestCa ca, Path caFolder) throws IOException {
        Credential credential = user(ca, DemoData.XIZI.displayName()).issue();
        ca.save(caFolder);
        return credential;
    }

    /**
     * A user certificate of this demo's style for the provider: organisation 培训省西子贸易集团 and, for a
     * provider whose CA锁ID is an extension, that extension.
     */
    public UserBuilder user(String providerCode, String commonName) {
        return user(ca(providerCode), commonName);
    }

    private static UserBuilder user(TestCa ca, String commonName) {
        ProviderSpec spec = spec(ca.providerCode());
        UserBuilder user =
                ca.user(commonName).organization(DemoData.ORGANIZATION).validFor(Duration.ofDays(730));
        if ("EXTENSION".equals(spec.identitySource())) {
            // Each holder has their own code: the first is 西子's, others get the name's hash appended.
            String value = commonName.equals(DemoData.XIZI.displayName())
                    ? spec.identityValue()
                    : spec.identityValue() + "-" + Integer.toHexString(commonName.hashCode());
            user.utf8Extension(spec.identityOid(), value);
        }
        return user;
    }

    static ProviderSpec spec(String code) {
        return DemoData.PROVIDERS.stream()
                .filter(p -> p.code().equals(code))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no demo provider " + code));
    }

    public TestCa ca(String providerCode) {
        TestCa ca = cas.get(providerCode);
        if (ca == null) {
            throw new IllegalArgumentException("no demo provider " + providerCode);
        }
        return ca;
    }

    public DemoKey key(String providerCode) {
        return keys.get(providerCode);
    }

    public List<DemoKey> keys() {
        return List.copyOf(keys.values());
    }

    /** The SoftHSM2 installation holding the demo token, when there is one. */
    public Optional<SoftHsm2> softHsm2() {
        return Optional.ofNullable(hsm);
    }

    /** The soft SKF installation holding the demo's SM2 USB key, when there is one. */
    public Optional<SoftSkf> softSkf() {
        return Optional.ofNullable(skf);
    }

    /**
     * The test time-stamp authority (RFC 3161) for 签章, beside the CRLs and OCSP: a TSA certificate of
     * 浙江汇信CA's test CA, issued at each start; the server completes B-T signatures with it.
     */
    private void startTsa() {
        TsaServer server = TsaServer.on(revocationHttp, ca(DemoData.ZJHX.code()));
        servers.add(server);
        tsa = server;
    }

    /** e.g. http://127.0.0.1:41234/tsa/ZJHX, the demo server's cagate.signing.tsa-url. */
    public String tsaUrl() {
        return tsa.url();
    }

    /** The {@code revocation} object of the provider's settings: mode, failOpen, crlUrls, ocspUrl. */
    Map<String, Object> revocationSettings(String providerCode) {
        return revocation.get(providerCode);
    }

    @Override
    public void close() {
        for (AutoCloseable server : servers) {
            try {
                server.close();
            } catch (Exception e) {
                // closing the shared loopback server below ends it anyway
            }
        }
        revocationHttp.close();
    }
}
