-- Password login throttling (issue 22), shared by every node. One row per login name and client
-- address (client_ip = '*': the name's count over every address that is not one of its usual ones).
-- failures counts the attempts since the row was last forgotten (a success removes the address's row);
-- blocked_until is when the next attempt is allowed. Keyed by the name as typed, known or not, so
-- that answers do not tell which names exist.
CREATE TABLE login_throttle (
    login_name    VARCHAR(200)             NOT NULL,
    client_ip     VARCHAR(64)              NOT NULL,
    failures      INTEGER                  NOT NULL,
    last_failure  TIMESTAMP WITH TIME ZONE NOT NULL,
    blocked_until TIMESTAMP WITH TIME ZONE,
    CONSTRAINT login_throttle_pk PRIMARY KEY (login_name, client_ip)
);
-- Cleanup of forgotten rows (WHERE last_failure < ?): login_throttle_last_failure_idx.
CREATE INDEX login_throttle_last_failure_idx ON login_throttle (last_failure);

-- The addresses a login name has signed in from with its password: attempts from them are not
-- slowed by failures from elsewhere.
CREATE TABLE login_address (
    login_name   VARCHAR(200)             NOT NULL,
    client_ip    VARCHAR(64)              NOT NULL,
    last_success TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT login_address_pk PRIMARY KEY (login_name, client_ip)
);
-- Cleanup of addresses not used for long (WHERE last_success < ?): login_address_last_success_idx.
CREATE INDEX login_address_last_success_idx ON login_address (last_success);

-- Locks are now in login_throttle; an account lock left by the old policy ends here.
UPDATE account SET failed_logins = 0, locked_until = NULL WHERE failed_logins > 0 OR locked_until IS NOT NULL;
