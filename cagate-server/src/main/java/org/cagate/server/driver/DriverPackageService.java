package org.cagate.server.driver;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.cagate.server.account.CagateUser;
import org.cagate.server.audit.AuditAction;
import org.cagate.server.audit.AuditEvent;
import org.cagate.server.audit.AuditLog;
import org.cagate.server.caprovider.CaProvider;
import org.cagate.server.caprovider.CaProviderRegistry;
import org.cagate.server.web.ApiException;
import org.cagate.server.web.ProblemCode;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.multipart.MultipartFile;

/**
 * Operators' uploads and retirements. An upload is checked before anything is stored, in this order:
 * the provider exists; version, name and file name are well formed; the file is not empty and not
 * larger than {@code cagate.drivers.max-size}; its bytes are an accepted {@link PackageKind} whose
 * extension the file name carries; the provider has no such version yet (retired ones count). The bytes
 * are then stored in chunks and the SHA-256 is computed over exactly what was stored, in one transaction
 * with the row, so a package is on offer whole or not at all.
 */
@Service
class DriverPackageService {

    static final AuditAction UPLOADED = AuditAction.of("DRIVER_UPLOADED");
    static final AuditAction RETIRED = AuditAction.of("DRIVER_RETIRED");

    private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z][0-9A-Za-z._+-]{0,39}");
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}\\p{Zl}\\p{Zp}]");
    private static final int MAX_NAME = 60;
    private static final int MAX_FILE_NAME = 120;

    private final DriverPackageRepository repository;
    private final CaProviderRegistry providers;
    private final DriverCatalog catalog;
    private final DriverProperties properties;
    private final AuditLog audit;
    private final TransactionTemplate transactions;
    private final Clock clock;

    DriverPackageService(
            DriverPackageRepository repository,
            CaProviderRegistry providers,
            DriverCatalog catalog,
            DriverProperties properties,
            AuditLog audit,
            TransactionTemplate transactions,
            Clock clock) {
        this.repository = repository;
        this.providers = providers;
        this.catalog = catalog;
        this.properties = properties;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** The form fields of an upload besides the file; name may be null (then "<provider> 驱动"). */
    record Upload(String provider, String version, String name) {}

    /**
     * @throws ApiException PROVIDER_UNKNOWN, VALIDATION, PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE or CONFLICT
     */
    DriverPackage upload(CagateUser operator, Upload upload, MultipartFile file, String clientIp) {
        CaProvider provider =
                providers.find(upload.provider()).orElseThrow(() -> new ApiException(ProblemCode.PROVIDER_UNKNOWN));
        String version = upload.version() == null ? "" : upload.version().trim();
        if (!VERSION.matcher(version).matches()) {
            throw ApiException.detail(ProblemCode.VALIDATION, "validation.driver.version");
        }
        String name = upload.name() == null || upload.name().isBlank()
                ? provider.name() + " 驱动"
                : upload.name().trim();
        if (name.length() > MAX_NAME || CONTROL.matcher(name).find()) {
            throw ApiException.detail(ProblemCode.VALIDATION, "validation.driver.name", MAX_NAME);
        }
        if (file == null || file.isEmpty()) {
            throw ApiException.detail(ProblemCode.VALIDATION, "validation.driver.file");
        }
        String fileName = fileName(file.getOriginalFilename());
        long max = properties.maxSize().toBytes();
        if (file.getSize() > max) {
            throw ApiException.detail(ProblemCode.PAYLOAD_TOO_LARGE, "validation.driver.size", DriverText.sizeOf(max));
        }
        PackageKind kind = kind(file, fileName);
        if (repository.versionExists(provider.code(), version)) {
            throw ApiException.detail(ProblemCode.CONFLICT, "validation.driver.duplicate");
        }
        Instant now = clock.instant();
        var row = new DriverPackageRepository.NewPackage(
                provider.code(), name, version, fileName, kind, file.getSize(), operator.accountId(), now);
        long id;
        try {
            id = transactions.execute(status -> {
                long created = repository.insert(row);
                repository.finish(created, store(created, file));
                audit.record(AuditEvent.success(UPLOADED)
                        .actor(operator.accountId(), operator.displayName())
                        .provider(provider.code())
                        .clientIp(clientIp)
                        .detail("package=" + created + " version=" + version + " file=" + fileName + " size="
                                + file.getSize())
                        .build());
                return created;
            });
        } catch (DuplicateKeyException e) {
            // Another operator uploaded the same version a moment ago.
            throw ApiException.detail(ProblemCode.CONFLICT, "validation.driver.duplicate");
        }
        catalog.changed();
        return repository.find(id).orElseThrow();
    }

    /** @throws ApiException NOT_FOUND, or CONFLICT when it was retired already */
    DriverPackage retire(CagateUser operator, long id, String clientIp) {
        DriverPackage found = repository.find(id).orElseThrow(() -> new ApiException(ProblemCode.NOT_FOUND));
        boolean retired = Boolean.TRUE.equals(transactions.execute(status -> {
            if (!repository.retire(id, operator.accountId(), clock.instant())) {
                return false;
            }
            audit.record(AuditEvent.success(RETIRED)
                    .actor(operator.accountId(), operator.displayName())
                    .provider(found.providerCode())
                    .clientIp(clientIp)
                    .detail("package=" + id + " version=" + found.version() + " sha256=" + found.sha256())
                    .build());
            return true;
        }));
        if (!retired) {
            throw ApiException.detail(ProblemCode.CONFLICT, "validation.driver.retired");
        }
        catalog.changed();
        return repository.find(id).orElseThrow();
    }

    /** Stores the file in chunks; answers the SHA-256 of the bytes stored. */
    private String store(long id, MultipartFile file) {
        MessageDigest sha256 = sha256();
        long stored = 0;
        try (InputStream in = new DigestInputStream(file.getInputStream(), sha256)) {
            byte[] buffer = new byte[DriverPackageRepository.CHUNK_BYTES];
            for (int seq = 0; ; seq++) {
                int n = in.readNBytes(buffer, 0, buffer.length);
                if (n == 0) {
                    break;
                }
                repository.insertChunk(id, seq, n == buffer.length ? buffer.clone() : Arrays.copyOf(buffer, n));
                stored += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the uploaded file", e);
        }
        if (stored != file.getSize()) {
            throw new IllegalStateException("stored " + stored + " bytes of " + file.getSize());
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    private static PackageKind kind(MultipartFile file, String fileName) {
        byte[] head;
        byte[] tail;
        try (InputStream in = file.getInputStream()) {
            head = in.readNBytes(PackageKind.HEAD_BYTES);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the uploaded file", e);
        }
        if (file.getSize() <= head.length) {
            tail = Arrays.copyOfRange(head, Math.max(0, head.length - PackageKind.TAIL_BYTES), head.length);
        } else {
            try (InputStream in = file.getInputStream()) {
                in.skipNBytes(file.getSize() - PackageKind.TAIL_BYTES);
                tail = in.readNBytes(PackageKind.TAIL_BYTES);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the uploaded file", e);
            }
        }
        return PackageKind.detect(head, tail)
                .filter(k -> k.fitsName(fileName))
                .orElseThrow(() -> ApiException.detail(ProblemCode.UNSUPPORTED_MEDIA_TYPE, "validation.driver.type"));
    }

    /** The base name the browser sent (some send a whole Windows path), checked for what a header can carry. */
    static String fileName(String original) {
        if (original == null) {
            throw ApiException.detail(ProblemCode.VALIDATION, "validation.driver.fileName", MAX_FILE_NAME);
        }
        String base = original.substring(Math.max(original.lastIndexOf('/'), original.lastIndexOf('\\')) + 1)
                .trim();
        if (base.isEmpty()
                || base.length() > MAX_FILE_NAME
                || base.startsWith(".")
                || CONTROL.matcher(base).find()
                || base.contains("\"")) {
            throw ApiException.detail(ProblemCode.VALIDATION, "validation.driver.fileName", MAX_FILE_NAME);
        }
        return base;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
