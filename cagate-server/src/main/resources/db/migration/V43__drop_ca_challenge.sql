-- Issue 19: challenges are no longer stored when issued (V41, V42). A challenge issued by a node of the
-- previous release cannot be opened by this one: its login is asked again (CHALLENGE_UNKNOWN), as after
-- any expiry; challenges live two minutes.
DROP TABLE ca_challenge;
