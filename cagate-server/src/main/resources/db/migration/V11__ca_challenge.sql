-- Challenges (CAGATE-CHALLENGE-V1) handed out for binding and CA login. In the database so that any
-- node consumes what another issued. Single use: consumed (used_at set) by one conditional UPDATE,
-- whether verification then succeeds or not. Rows are deleted by a scheduled job a few minutes after
-- they expire; creation is limited per client IP, so the table stays small.
CREATE TABLE ca_challenge (
    -- 16 random bytes, base64url without padding.
    id            VARCHAR(22)              NOT NULL,
    purpose       VARCHAR(8)               NOT NULL,
    provider_code VARCHAR(32)              NOT NULL,
    -- BIND: the signed-in account that asked for it (only it may use it); LOGIN: NULL.
    account_id    BIGINT,
    -- Exactly the bytes the key is asked to sign.
    to_be_signed  BYTEA                    NOT NULL,
    client_ip     VARCHAR(45),
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    used_at       TIMESTAMP WITH TIME ZONE,
    CONSTRAINT ca_challenge_pk PRIMARY KEY (id),
    CONSTRAINT ca_challenge_purpose_ck CHECK (purpose IN ('LOGIN', 'BIND'))
);
-- Consume (UPDATE ... WHERE id = ? AND used_at IS NULL): ca_challenge_pk.
-- Cleanup (DELETE WHERE expires_at < ?): ca_challenge_expires_idx.
CREATE INDEX ca_challenge_expires_idx ON ca_challenge (expires_at);
