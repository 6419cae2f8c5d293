package org.cagate.agent;

import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One CA company's backend: its provider code and name as the platform shows them, and where its keys
 * are: a PKCS#11 module (a UKey vendor's .so/.dll/.dylib, or SoftHSM2), a vendor's SKF library (GM/T
 * 0016, most 国密 USB keys) or a folder of PKCS#12 files.
 *
 * @param library the PKCS#11 module or the SKF library
 * @param slot PKCS#11 slot id; null to find the token by label, or to take the first token present
 * @param tokenLabel PKCS#11 token label; null to accept any token in the module
 * @param maxPinRetries how many wrong PINs the CA company's key allows before it locks; null when not
 *     documented, and then retriesLeft is only reported at the final try (see docs/agent.md)
 * @param skf which SKF application and container to use; null when not SKF
 */
public record ProviderConfig(
        String code,
        String name,
        Backend backend,
        Path library,
        Long slot,
        String tokenLabel,
        Path folder,
        Integer maxPinRetries,
        SkfSelection skf) {

    private static final Pattern CODE = Pattern.compile("[A-Z0-9_]{1,32}");

    public enum Backend {
        PKCS11,
        PKCS12,
        SKF
    }

    /**
     * The SKF application and container names to use (SKF_OpenApplication, SKF_OpenContainer); null for
     * each: any application, any container holding a signing certificate.
     */
    public record SkfSelection(String application, String container) {
        public static final SkfSelection ANY = new SkfSelection(null, null);
    }

    public ProviderConfig {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(backend, "backend");
        if (!CODE.matcher(code).matches()) {
            throw new IllegalArgumentException("provider code must match " + CODE + ", got " + code);
        }
        if (backend == Backend.PKCS11 && library == null) {
            throw new IllegalArgumentException("provider " + code + ": pkcs11.library is required");
        }
        if (backend == Backend.SKF && library == null) {
            throw new IllegalArgumentException("provider " + code + ": skf.library is required");
        }
        if (backend == Backend.SKF && skf == null) {
            skf = SkfSelection.ANY;
        }
        if (backend == Backend.PKCS12 && folder == null) {
            throw new IllegalArgumentException("provider " + code + ": pkcs12.folder is required");
        }
        if (maxPinRetries != null && (maxPinRetries < 1 || maxPinRetries > 99)) {
            throw new IllegalArgumentException("provider " + code + ": maxPinRetries must be 1-99");
        }
    }

    public static ProviderConfig pkcs11(String code, String name, Path library, String tokenLabel) {
        return new ProviderConfig(code, name, Backend.PKCS11, library, null, tokenLabel, null, null, null);
    }

    /** A vendor's SKF library (GM/T 0016): any application and container on any key it lists. */
    public static ProviderConfig skf(String code, String name, Path library) {
        return new ProviderConfig(code, name, Backend.SKF, library, null, null, null, null, SkfSelection.ANY);
    }

    /** Only this SKF application and container (either may be null for any). */
    public ProviderConfig withSkf(String application, String container) {
        return new ProviderConfig(
                code,
                name,
                backend,
                library,
                slot,
                tokenLabel,
                folder,
                maxPinRetries,
                new SkfSelection(application, container));
    }

    public static ProviderConfig pkcs12(String code, String name, Path folder) {
        return new ProviderConfig(code, name, Backend.PKCS12, null, null, null, folder, null, null);
    }

    public ProviderConfig withSlot(Long slot) {
        return new ProviderConfig(code, name, backend, library, slot, tokenLabel, folder, maxPinRetries, skf);
    }

    public ProviderConfig withMaxPinRetries(Integer maxPinRetries) {
        return new ProviderConfig(code, name, backend, library, slot, tokenLabel, folder, maxPinRetries, skf);
    }
}
