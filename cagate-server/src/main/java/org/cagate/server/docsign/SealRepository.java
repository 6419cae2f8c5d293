package org.cagate.server.docsign;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.cagate.server.system.Timestamps;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** SQL of {@code organization_seal} (V35): one seal per organisation, read by its primary key. */
@Repository
class SealRepository {
    private final JdbcClient jdbc;

    SealRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Seal> find(long organizationId) {
        return jdbc.sql("""
                        SELECT s.organization_id, s.media_type, s.width_px, s.height_px, s.sha256, s.image,
                               s.updated_by, a.display_name, s.updated_at
                          FROM organization_seal s JOIN account a ON a.id = s.updated_by
                         WHERE s.organization_id = :org""")
                .param("org", organizationId)
                .query(SealRepository::map)
                .optional();
    }

    /** Sets or replaces the organisation's seal. */
    @Transactional
    void save(Seal seal) {
        int updated = jdbc.sql("""
                        UPDATE organization_seal
                           SET media_type = :type, width_px = :width, height_px = :height, size_bytes = :size,
                               sha256 = :sha256, image = :image, updated_by = :by, updated_at = :at
                         WHERE organization_id = :org""").params(params(seal)).update();
        if (updated == 0) {
            jdbc.sql("""
                            INSERT INTO organization_seal
                                   (organization_id, media_type, width_px, height_px, size_bytes, sha256, image,
                                    updated_by, updated_at)
                            VALUES (:org, :type, :width, :height, :size, :sha256, :image, :by, :at)""").params(params(seal)).update();
        }
    }

    private static java.util.Map<String, Object> params(Seal seal) {
        return java.util.Map.of(
                "org", seal.organizationId(),
                "type", seal.mediaType(),
                "width", seal.width(),
                "height", seal.height(),
                "size", seal.image().length,
                "sha256", seal.sha256(),
                "image", seal.image(),
                "by", seal.updatedBy(),
                "at", Timestamps.utc(seal.updatedAt()));
    }

    private static Seal map(ResultSet rs, int row) throws SQLException {
        return new Seal(
                rs.getLong("organization_id"),
                rs.getString("media_type"),
                rs.getInt("width_px"),
                rs.getInt("height_px"),
                rs.getString("sha256"),
                rs.getBytes("image"),
                rs.getLong("updated_by"),
                rs.getString("display_name"),
                Timestamps.instant(rs, "updated_at"));
    }
}
