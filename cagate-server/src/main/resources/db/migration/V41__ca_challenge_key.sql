-- Issue 19: challenges are sealed (an HMAC-SHA256 over the id's fields) instead of stored. The MAC keys
-- are shared by every node through this table, so a challenge issued by one node opens on any other.
-- Key id = the rotation slot (epoch seconds / cagate.ca.challenge-key-rotation): whichever node first
-- needs the slot's key inserts it (ON CONFLICT DO NOTHING) and every node then reads the one that won.
-- A key seals challenges from seals_from until seals_until; it is deleted once every challenge it
-- sealed is past its expiry plus cagate.ca.challenge-retention.
CREATE TABLE ca_challenge_key (
    id          INTEGER                  NOT NULL,
    -- 32 bytes from the node's SecureRandom.
    secret      BYTEA                    NOT NULL,
    seals_from  TIMESTAMP WITH TIME ZONE NOT NULL,
    seals_until TIMESTAMP WITH TIME ZONE NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT ca_challenge_key_pk PRIMARY KEY (id)
);
