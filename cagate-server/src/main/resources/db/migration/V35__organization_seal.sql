-- 印章 (issue 21): each organisation's seal image, uploaded by its ORG_ADMIN and drawn as the visible
-- appearance of the organisation's document signatures (签章). One row per organisation; replacing the seal
-- updates the row (the audit event SEAL_UPDATED keeps who replaced it when, with the image's SHA-256).
CREATE TABLE organization_seal (
    organization_id BIGINT                   NOT NULL,
    -- 'image/png' or 'image/jpeg', found by the image's first bytes, never taken from the upload.
    media_type      VARCHAR(16)              NOT NULL,
    width_px        INTEGER                  NOT NULL,
    height_px       INTEGER                  NOT NULL,
    size_bytes      INTEGER                  NOT NULL,
    -- Lower-case hex SHA-256 of image, computed by the server.
    sha256          VARCHAR(64)              NOT NULL,
    image           BYTEA                    NOT NULL,
    updated_by      BIGINT                   NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT organization_seal_pk PRIMARY KEY (organization_id),
    CONSTRAINT organization_seal_organization_fk FOREIGN KEY (organization_id) REFERENCES organization (id)
        ON DELETE CASCADE,
    CONSTRAINT organization_seal_updated_by_fk FOREIGN KEY (updated_by) REFERENCES account (id),
    CONSTRAINT organization_seal_media_type_ck CHECK (media_type IN ('image/png', 'image/jpeg')),
    CONSTRAINT organization_seal_size_ck CHECK (size_bytes > 0 AND width_px > 0 AND height_px > 0)
);
-- Every read is WHERE organization_id = ? (the 签章 page, prepare, the 印章管理 page): organization_seal_pk.
