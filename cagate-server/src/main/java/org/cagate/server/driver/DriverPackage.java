package org.cagate.server.driver;

import java.time.Instant;
import java.util.Objects;

/**
 * An uploaded driver package as stored (without its bytes).
 *
 * @param name what the download centre shows, e.g. 四川CA 驱动
 * @param fileName the uploaded file's name, given back in Content-Disposition
 * @param sha256 lower-case hex SHA-256 of the stored bytes
 * @param retiredAt null while the package is on offer
 */
public record DriverPackage(
        long id,
        String providerCode,
        String name,
        String version,
        String fileName,
        PackageKind kind,
        long size,
        String sha256,
        String uploadedByName,
        Instant uploadedAt,
        Instant retiredAt) {

    public DriverPackage {
        Objects.requireNonNull(providerCode, "providerCode");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(kind, "kind");
    }

    public boolean retired() {
        return retiredAt != null;
    }

    /** Where the package is downloaded from, relative to the platform's origin. */
    public String path() {
        return DriverDownloads.packagePath(id, fileName);
    }
}
