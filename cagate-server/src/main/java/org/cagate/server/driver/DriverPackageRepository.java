package org.cagate.server.driver;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.cagate.server.system.Timestamps;
import org.cagate.server.web.PageQuery;
import org.cagate.server.web.PageResult;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

/** SQL of {@code driver_package} and {@code driver_package_chunk} (V20). */
@Repository
class DriverPackageRepository {

    /**
     * The bytes are stored in chunks of this size: a download holds one chunk in memory at a time, and
     * neither database is asked for one value of hundreds of megabytes.
     */
    static final int CHUNK_BYTES = 1024 * 1024;

    private static final String SELECT = """
            SELECT p.id, p.provider_code, p.name, p.version, p.file_name, p.kind, p.size_bytes, p.sha256,
                   a.display_name AS uploaded_by_name, p.uploaded_at, p.retired_at
              FROM driver_package p
              JOIN account a ON a.id = p.uploaded_by""";

    private final JdbcClient jdbc;

    DriverPackageRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** What a new package row holds before its bytes are stored. */
    record NewPackage(
            String providerCode,
            String name,
            String version,
            String fileName,
            PackageKind kind,
            long size,
            long uploadedBy,
            Instant uploadedAt) {}

    /** Whether the provider has this version, on offer or retired (driver_package_version_uk). */
    boolean versionExists(String providerCode, String version) {
        return jdbc.sql("SELECT COUNT(*) FROM driver_package WHERE provider_code = :provider AND version = :version")
                        .param("provider", providerCode)
                        .param("version", version)
                        .query(Long.class)
                        .single()
                > 0;
    }

    /**
     * Inserts the row with an empty checksum, set by {@link #finish} in the same transaction once every
     * chunk is stored, so nobody ever sees a package without its bytes.
     *
     * @throws org.springframework.dao.DuplicateKeyException when the version exists
     */
    long insert(NewPackage p) {
        var keys = new GeneratedKeyHolder();
        jdbc.sql("""
                        INSERT INTO driver_package (provider_code, name, version, file_name, kind, size_bytes, sha256,
                            uploaded_by, uploaded_at)
                        VALUES (:provider, :name, :version, :fileName, :kind, :size, '', :by, :at)""")
                .param("provider", p.providerCode())
                .param("name", p.name())
                .param("version", p.version())
                .param("fileName", p.fileName())
                .param("kind", p.kind().name())
                .param("size", p.size())
                .param("by", p.uploadedBy())
                .param("at", Timestamps.utc(p.uploadedAt()))
                .update(keys, "id");
        return keys.getKey().longValue();
    }

    void insertChunk(long packageId, int seq, byte[] data) {
        jdbc.sql("INSERT INTO driver_package_chunk (package_id, seq, data) VALUES (:id, :seq, :data)")
                .param("id", packageId)
                .param("seq", seq)
                .param("data", data, Types.BINARY)
                .update();
    }

    void finish(long packageId, String sha256) {
        jdbc.sql("UPDATE driver_package SET sha256 = :sha256 WHERE id = :id")
                .param("sha256", sha256)
                .param("id", packageId)
                .update();
    }

    /** One chunk of a package on offer; empty when the package was retired (its chunks deleted) meanwhile. */
    Optional<byte[]> chunk(long packageId, int seq) {
        return jdbc.sql("SELECT data FROM driver_package_chunk WHERE package_id = :id AND seq = :seq")
                .param("id", packageId)
                .param("seq", seq)
                .query((rs, row) -> rs.getBytes(1))
                .optional();
    }

    Optional<DriverPackage> find(long id) {
        return jdbc.sql(SELECT + " WHERE p.id = :id")
                .param("id", id)
                .query(DriverPackageRepository::map)
                .optional();
    }

    /** The packages on offer, newest first within each provider (driver_package_current_idx). */
    List<DriverPackage> current() {
        return jdbc.sql(SELECT + " WHERE p.retired_at IS NULL ORDER BY p.provider_code, p.uploaded_at DESC, p.id DESC")
                .query(DriverPackageRepository::map)
                .list();
    }

    /** Every package, retired ones too, newest first (driver_package_pk). */
    PageResult<DriverPackage> list(PageQuery page) {
        long total = jdbc.sql("SELECT COUNT(*) FROM driver_package")
                .query(Long.class)
                .single();
        List<DriverPackage> items = total <= page.offset()
                ? List.of()
                : jdbc.sql(SELECT + " ORDER BY p.id DESC LIMIT :limit OFFSET :offset")
                        .param("limit", page.size())
                        .param("offset", page.offset())
                        .query(DriverPackageRepository::map)
                        .list();
        return PageResult.of(total, page, items);
    }

    /** Takes a package off offer and deletes its bytes; false when it was retired already. */
    boolean retire(long id, long actorAccountId, Instant now) {
        boolean retired = jdbc.sql("""
                                UPDATE driver_package SET retired_by = :actor, retired_at = :now
                                 WHERE id = :id AND retired_at IS NULL""")
                        .param("actor", actorAccountId)
                        .param("now", Timestamps.utc(now))
                        .param("id", id)
                        .update()
                == 1;
        if (retired) {
            jdbc.sql("DELETE FROM driver_package_chunk WHERE package_id = :id")
                    .param("id", id)
                    .update();
        }
        return retired;
    }

    private static DriverPackage map(ResultSet rs, int row) throws SQLException {
        return new DriverPackage(
                rs.getLong("id"),
                rs.getString("provider_code"),
                rs.getString("name"),
                rs.getString("version"),
                rs.getString("file_name"),
                PackageKind.valueOf(rs.getString("kind")),
                rs.getLong("size_bytes"),
                rs.getString("sha256"),
                rs.getString("uploaded_by_name"),
                Timestamps.instant(rs, "uploaded_at"),
                Timestamps.instant(rs, "retired_at"));
    }
}
