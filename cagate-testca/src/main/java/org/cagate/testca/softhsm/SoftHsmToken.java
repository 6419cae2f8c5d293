package org.cagate.testca.softhsm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.cagate.testca.Credential;

/**
 * One SoftHSM2 token ("USB key") in a {@link SoftHsm2} folder. Tokens are identified by their folder, so a
 * token object stays valid across {@link #unplug()} and {@link #plug()}.
 */
public final class SoftHsmToken {
    // PKCS#11 CK_TOKEN_INFO flags for the user PIN.
    static final long CKF_USER_PIN_COUNT_LOW = 0x00010000L;
    static final long CKF_USER_PIN_FINAL_TRY = 0x00020000L;
    static final long CKF_USER_PIN_LOCKED = 0x00040000L;

    /** The user PIN state a token reports in C_GetTokenInfo. */
    public enum ReportedPinState {
        OK(0),
        COUNT_LOW(CKF_USER_PIN_COUNT_LOW),
        FINAL_TRY(CKF_USER_PIN_COUNT_LOW | CKF_USER_PIN_FINAL_TRY),
        LOCKED(CKF_USER_PIN_LOCKED);

        final long flags;

        ReportedPinState(long flags) {
            this.flags = flags;
        }
    }

    private final SoftHsm2 hsm;
    private final String folderName;
    private final String userPin;

    SoftHsmToken(SoftHsm2 hsm, String folderName, String userPin) {
        this.hsm = hsm;
        this.folderName = folderName;
        this.userPin = userPin;
    }

    SoftHsmToken withUserPin(String pin) {
        return new SoftHsmToken(hsm, folderName, pin);
    }

    /** The same token, able to write keys: a token found by {@link SoftHsm2#token} does not know its PIN. */
    public SoftHsmToken withPin(String pin) {
        SoftHsm2.requirePin(pin, "user PIN");
        return withUserPin(pin);
    }

    public SoftHsm2 hsm() {
        return hsm;
    }

    public String label() {
        return object().text(TokenObjectFile.LABEL);
    }

    /** The serial number the token reports (CK_TOKEN_INFO.serialNumber): what the agent shows as tokenSerial. */
    public String serial() {
        return object().text(TokenObjectFile.SERIAL);
    }

    /** The token's stored CK_TOKEN_INFO flags, e.g. CKF_USER_PIN_COUNT_LOW (0x10000) after a wrong PIN. */
    public long flags() {
        return object().number(TokenObjectFile.FLAGS);
    }

    /** The folder holding the token's files, wherever it is now. */
    public Path folder() {
        return isPlugged() ? pluggedFolder() : unpluggedFolder();
    }

    public boolean isPlugged() {
        return Files.isDirectory(pluggedFolder());
    }

    /**
     * Sets the serial number printed on the key, e.g. "330400007180230S" (at most 16 ASCII characters:
     * CK_TOKEN_INFO has 16 bytes for it). SoftHSM2 derives the slot id from the serial's last eight
     * characters read as hex, so give two tokens in one folder serials that differ there.
     */
    public SoftHsmToken setSerial(String serial) {
        Objects.requireNonNull(serial, "serial");
        if (serial.isEmpty() || serial.length() > 16 || !serial.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("a token serial has 1 to 16 printable ASCII characters: " + serial);
        }
        TokenObjectFile object = object();
        object.setText(TokenObjectFile.SERIAL, serial, 16);
        object.write();
        return this;
    }

    /**
     * Makes C_GetTokenInfo report the given user PIN state. SoftHSM2 2.6.1 never checks these flags in
     * C_Login: with {@link ReportedPinState#LOCKED} the right PIN still logs in and a wrong one still gets
     * CKR_PIN_INCORRECT, never CKR_PIN_LOCKED. So this tests what a client does with the reported state
     * (e.g. refuse before trying the PIN), not a token that really refuses; SoftHSM2 cannot produce one.
     */
    public SoftHsmToken reportPinState(ReportedPinState state) {
        TokenObjectFile object = object();
        long all = CKF_USER_PIN_COUNT_LOW | CKF_USER_PIN_FINAL_TRY | CKF_USER_PIN_LOCKED;
        object.setNumber(TokenObjectFile.FLAGS, (object.number(TokenObjectFile.FLAGS) & ~all) | state.flags);
        object.write();
        return this;
    }

    /**
     * Pulls the key out: moves the token's folder out of the token directory. A process that loads the
     * library afterwards no longer sees the token; one that had it loaded gets CKR_GENERAL_ERROR from
     * C_GetTokenInfo while the slot still says CKF_TOKEN_PRESENT (see docs/testca.md).
     */
    public void unplug() {
        move(pluggedFolder(), unpluggedFolder());
    }

    /**
     * Puts the key back. A process that loads the library afterwards (or calls C_Finalize + C_Initialize)
     * sees it again under the same slot id; one that kept the library loaded does not.
     */
    public void plug() {
        move(unpluggedFolder(), pluggedFolder());
    }

    /** The slot id SoftHSM2 gives this token (it depends on the serial); the token must be plugged in. */
    public long slotId() {
        String serial = serial();
        String output = Tools.run(hsm.conf(), List.of("softhsm2-util", "--show-slots"));
        long slot = -1;
        for (String line : output.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.matches("Slot \\d+")) {
                slot = Long.parseLong(trimmed.substring(5).strip());
            } else if (trimmed.startsWith("Serial number:")
                    && trimmed.substring("Serial number:".length()).strip().equals(serial)) {
                return slot;
            }
        }
        throw new SoftHsmException("token " + serial + " is not in any slot (unplugged?)");
    }

    /** A SunPKCS11 configuration for this token, to use in a child process with {@link SoftHsm2#environment()}. */
    public String sunPkcs11Config(String name) {
        return "name = " + name + "\nlibrary = " + SoftHsm2.library() + "\nslot = " + slotId() + "\n";
    }

    /**
     * Writes the credential the way a CA company fills a USB key: the private key (and its public key)
     * with CKA_ID = the certificate's subject key identifier and CKA_LABEL = label, the user certificate
     * with the same id and label, and each CA certificate under its own key identifier. RSA and EC
     * (P-256, P-384) only: SoftHSM2 2.6.1 has no SM2.
     *
     * @return the CKA_ID, in hex
     */
    public String write(Credential credential, String label) {
        Objects.requireNonNull(credential, "credential");
        Objects.requireNonNull(label, "label");
        if (userPin == null) {
            throw new IllegalStateException("writing a key needs the user PIN: use withPin(pin)");
        }
        byte[] pkcs8 = KeyObjects.supportedKey(credential);
        String id = HexFormat.of().formatHex(KeyObjects.keyIdentifier(credential.certificate()));
        Path keyFile = privateTempFile(".pem");
        try {
            Files.writeString(keyFile, KeyObjects.pem("PRIVATE KEY", pkcs8), StandardCharsets.US_ASCII);
            Tools.run(
                    hsm.conf(),
                    List.of(
                            "softhsm2-util",
                            "--import",
                            keyFile.toString(),
                            "--serial",
                            serial(),
                            "--label",
                            label,
                            "--id",
                            id,
                            "--pin",
                            userPin));
        } catch (IOException e) {
            throw new SoftHsmException("cannot write key file", e);
        } finally {
            delete(keyFile);
        }
        writeCertificate(credential.certificate(), label, id);
        for (X509Certificate ca : credential.caCertificates()) {
            writeCertificate(ca, KeyObjects.commonName(ca), HexFormat.of().formatHex(KeyObjects.keyIdentifier(ca)));
        }
        return id;
    }

    /** Writes one public certificate object (CKA_CLASS = CKO_CERTIFICATE, X.509) with the given label and id. */
    public void writeCertificate(X509Certificate certificate, String label, String idHex) {
        Path file = privateTempFile(".der");
        try {
            Files.write(file, certificate.getEncoded());
            List<String> command = new ArrayList<>(List.of(
                    "pkcs11-tool", "--module", SoftHsm2.library().toString(), "--slot", Long.toString(slotId())));
            command.addAll(
                    List.of("--write-object", file.toString(), "--type", "cert", "--id", idHex, "--label", label));
            Tools.run(hsm.conf(), command);
        } catch (IOException | CertificateEncodingException e) {
            throw new SoftHsmException("cannot write certificate file", e);
        } finally {
            delete(file);
        }
    }

    private Path privateTempFile(String suffix) {
        try {
            return Files.createTempFile(
                    hsm.folder(),
                    "import",
                    suffix,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (IOException e) {
            throw new SoftHsmException("cannot create a file in " + hsm.folder(), e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new SoftHsmException("cannot delete " + file, e);
        }
    }

    private TokenObjectFile object() {
        return TokenObjectFile.read(folder().resolve("token.object"));
    }

    private Path pluggedFolder() {
        return hsm.tokenDirectory().resolve(folderName);
    }

    private Path unpluggedFolder() {
        return hsm.unpluggedFolder().resolve(folderName);
    }

    private void move(Path from, Path to) {
        if (!Files.isDirectory(from)) {
            throw new IllegalStateException(
                    "token " + folderName + " is already " + (isPlugged() ? "plugged in" : "unplugged"));
        }
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new SoftHsmException("cannot move token folder " + from, e);
        }
    }

    @Override
    public String toString() {
        return "SoftHsmToken[" + folderName + "]";
    }
}
