package org.cagate.server.docsign;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.cagate.server.account.CagateUser;
import org.cagate.server.account.Role;
import org.cagate.server.audit.AuditAction;
import org.cagate.server.audit.AuditEvent;
import org.cagate.server.audit.AuditLog;
import org.cagate.server.web.ApiException;
import org.cagate.server.web.ProblemCode;
import org.springframework.stereotype.Service;

/**
 * 印章管理: an organisation's seal, set and replaced by its ORG_ADMIN, read by everyone of the
 * organisation (the 签章 page shows it, prepare draws it). An upload is checked in steps, each with its
 * Chinese message:
 *
 * <ol>
 *   <li>the user belongs to an organisation they administer;
 *   <li>at most {@code cagate.signing.max-seal-size} bytes;
 *   <li>its first bytes are a PNG or a JPEG signature (the upload's own content type is not trusted);
 *   <li>its header declares {@value #MIN_PIXELS}–{@value #MAX_PIXELS} pixels each way, read before any
 *       pixel is decoded (a small file declaring a huge image is refused unread);
 *   <li>it decodes, and PDFBox can embed it (what 签章 will do with it).
 * </ol>
 *
 * Every upload is audited as SEAL_UPDATED (印章更新) with the image's SHA-256, refusals with their reason.
 */
@Service
class SealService {
    static final AuditAction SEAL_UPDATED = AuditAction.of("SEAL_UPDATED");
    static final int MIN_PIXELS = 32;
    static final int MAX_PIXELS = 2000;

    private final SealRepository seals;
    private final AuditLog audit;
    private final SigningProperties properties;
    private final Clock clock;

    SealService(SealRepository seals, AuditLog audit, SigningProperties properties, Clock clock) {
        this.seals = seals;
        this.audit = audit;
        this.properties = properties;
        this.clock = clock;
    }

    Optional<Seal> find(CagateUser user) {
        return user.organizationId() == null ? Optional.empty() : seals.find(user.organizationId());
    }

    Seal upload(CagateUser user, String clientIp, byte[] image) {
        try {
            Seal seal = checked(user, image);
            seals.save(seal);
            audit.record(AuditEvent.success(SEAL_UPDATED)
                    .actor(user.accountId(), user.displayName())
                    .organization(user.organizationId())
                    .clientIp(clientIp)
                    .detail("印章 " + seal.mediaType() + " " + seal.width() + "x" + seal.height() + " " + image.length
                            + " bytes SHA-256=" + seal.sha256())
                    .build());
            return seals.find(user.organizationId()).orElse(seal);
        } catch (ApiException e) {
            audit.record(AuditEvent.failure(SEAL_UPDATED, e.code().name())
                    .actor(user.accountId(), user.displayName())
                    .organization(user.organizationId())
                    .clientIp(clientIp)
                    .detail("印章 " + (image == null ? 0 : image.length) + " bytes: " + e.detailKey())
                    .build());
            throw e;
        }
    }

    private Seal checked(CagateUser user, byte[] image) {
        // 1. An organisation the user administers.
        if (user.organizationId() == null) {
            throw ApiException.detail(ProblemCode.VALIDATION, "validation.seal.organization");
        }
        if (!user.hasRole(Role.ORG_ADMIN)) {
            throw new ApiException(ProblemCode.FORBIDDEN);
        }
        if (image == null || image.length == 0) {
            throw ApiException.detail(ProblemCode.VALIDATION, "validation.seal.missing");
        }
        // 2. Its size.
        if (image.length > properties.maxSealSize().toBytes()) {
            throw ApiException.detail(
                    ProblemCode.PAYLOAD_TOO_LARGE,
                    "validation.seal.size",
                    properties.maxSealSize().toKilobytes());
        }
        // 3. PNG or JPEG by its first bytes.
        String type = mediaType(image);
        if (type == null) {
            throw ApiException.detail(ProblemCode.VALIDATION, "validation.seal.format");
        }
        // 4. Its declared size, before decoding.
        int[] size = declaredSize(image);
        if (size[0] < MIN_PIXELS || size[1] < MIN_PIXELS || size[0] > MAX_PIXELS || size[1] > MAX_PIXELS) {
            throw ApiException.detail(
                    ProblemCode.VALIDATION, "validation.seal.dimensions", MIN_PIXELS, MAX_PIXELS, size[0], size[1]);
        }
        // 5. It decodes, and PDFBox embeds it.
        try (PDDocument probe = new PDDocument()) {
            if (ImageIO.read(new ByteArrayInputStream(image)) == null) {
                throw ApiException.detail(ProblemCode.VALIDATION, "validation.seal.format");
            }
            PDImageXObject.createFromByteArray(probe, image, "seal");
        } catch (ApiException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw ApiException.detail(ProblemCode.VALIDATION, "validation.seal.format");
        }
        return new Seal(
                user.organizationId(),
                type,
                size[0],
                size[1],
                sha256(image),
                image,
                user.accountId(),
                user.displayName(),
                clock.instant());
    }

    static String mediaType(byte[] image) {
        if (image.length >= 8
                && (image[0] & 0xFF) == 0x89
                && image[1] == 'P'
                && image[2] == 'N'
                && image[3] == 'G'
                && image[4] == 0x0D
                && image[5] == 0x0A
                && image[6] == 0x1A
                && image[7] == 0x0A) {
            return "image/png";
        }
        if (image.length >= 3 && (image[0] & 0xFF) == 0xFF && (image[1] & 0xFF) == 0xD8 && (image[2] & 0xFF) == 0xFF) {
            return "image/jpeg";
        }
        return null;
    }

    private static int[] declaredSize(byte[] image) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(image))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (in == null || !readers.hasNext()) {
                throw ApiException.detail(ProblemCode.VALIDATION, "validation.seal.format");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return new int[] {reader.getWidth(0), reader.getHeight(0)};
            } finally {
                reader.dispose();
            }
        } catch (ApiException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw ApiException.detail(ProblemCode.VALIDATION, "validation.seal.format");
        }
    }

    private static String sha256(byte[] image) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(image));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
