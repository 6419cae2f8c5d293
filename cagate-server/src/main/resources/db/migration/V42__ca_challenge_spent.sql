-- Issue 19: a sealed challenge is made single-use by one INSERT of its nonce at login or bind; the
-- primary key decides (ON CONFLICT DO NOTHING: 0 rows = CHALLENGE_USED), so of two requests racing for
-- one challenge exactly one spends it. Rows are deleted by the scheduled cleanup once the challenge is
-- past its expiry plus cagate.ca.challenge-retention (until then a replay is answered CHALLENGE_USED).
CREATE TABLE ca_challenge_spent (
    -- The challenge's 32-byte nonce (unique per challenge: from the issuing node's SecureRandom).
    nonce      BYTEA                    NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT ca_challenge_spent_pk PRIMARY KEY (nonce)
);
-- Cleanup (DELETE WHERE expires_at < ?): ca_challenge_spent_expires_idx.
CREATE INDEX ca_challenge_spent_expires_idx ON ca_challenge_spent (expires_at);
