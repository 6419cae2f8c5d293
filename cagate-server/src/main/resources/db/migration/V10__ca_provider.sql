-- CA providers (CA 服务商: 浙江汇信CA, 四川CA, ...) as platform operators configure them, and the regions
-- where each is offered. Every change bumps version; each node caches the verifier's policy per
-- (code, version) and re-reads the versions every cagate.ca.provider-refresh (see README).
CREATE TABLE ca_provider (
    code                 VARCHAR(32)              NOT NULL,
    name                 VARCHAR(100)             NOT NULL,
    enabled              BOOLEAN                  NOT NULL,
    -- The trust anchors (roots and intermediates) as PEM certificates, one after the other.
    trust_anchors        TEXT                     NOT NULL,
    identity_source      VARCHAR(20)              NOT NULL,
    identity_oid         VARCHAR(128),
    revocation_mode      VARCHAR(16)              NOT NULL,
    revocation_fail_open BOOLEAN                  NOT NULL,
    -- Newline-separated http(s) URLs, checked before the certificate's own distribution points.
    crl_urls             VARCHAR(4000),
    ocsp_url             VARCHAR(1000),
    -- What CA证书申领 shows: the CA company's service phone, its application site, a short note.
    service_phone        VARCHAR(50),
    apply_url            VARCHAR(1000),
    apply_note           VARCHAR(1000),
    version              BIGINT                   NOT NULL,
    updated_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT ca_provider_pk PRIMARY KEY (code),
    CONSTRAINT ca_provider_identity_ck CHECK (identity_source IN ('SPKI_SHA256', 'ISSUER_SERIAL', 'SUBJECT_ATTRIBUTE', 'EXTENSION')),
    CONSTRAINT ca_provider_revocation_ck CHECK (revocation_mode IN ('NONE', 'CRL', 'OCSP', 'OCSP_THEN_CRL'))
);
-- Every node's refresh (SELECT code, version ORDER BY code) and the provider lists: ca_provider_pk.

CREATE TABLE ca_provider_region (
    provider_code VARCHAR(32) NOT NULL,
    region_code   VARCHAR(32) NOT NULL,
    CONSTRAINT ca_provider_region_pk PRIMARY KEY (provider_code, region_code),
    CONSTRAINT ca_provider_region_provider_fk FOREIGN KEY (provider_code) REFERENCES ca_provider (code),
    CONSTRAINT ca_provider_region_region_fk FOREIGN KEY (region_code) REFERENCES region (code)
);
-- Regions of the providers being loaded (WHERE provider_code IN (...)): ca_provider_region_pk.
