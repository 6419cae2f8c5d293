package org.cagate.server.docsign;

import java.time.Instant;
import java.util.Objects;

/**
 * An organisation's seal (印章): a PNG or JPEG the ORG_ADMIN uploaded, checked by {@link SealService}.
 *
 * @param image the image as uploaded (never re-encoded, so its SHA-256 is the uploaded file's)
 */
record Seal(
        long organizationId,
        String mediaType,
        int width,
        int height,
        String sha256,
        byte[] image,
        long updatedBy,
        String updatedByName,
        Instant updatedAt) {

    Seal {
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** What the pages and the API show of it (no bytes). */
    record View(
            String mediaType,
            int width,
            int height,
            int sizeBytes,
            String sha256,
            String updatedBy,
            Instant updatedAt) {}

    View view() {
        return new View(mediaType, width, height, image.length, sha256, updatedByName, updatedAt);
    }
}
