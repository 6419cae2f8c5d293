-- Fixed-window counters shared by every node (password login per account and per IP; later CA
-- login per IP and per key, challenge creation per IP). One row per key; a request after window_end
-- starts a new window.
CREATE TABLE throttle_window (
    throttle_key VARCHAR(200)             NOT NULL,
    window_end   TIMESTAMP WITH TIME ZONE NOT NULL,
    hits         INTEGER                  NOT NULL,
    CONSTRAINT throttle_window_pk PRIMARY KEY (throttle_key)
);
-- Cleanup of passed windows (WHERE window_end < ?): throttle_window_end_idx.
CREATE INDEX throttle_window_end_idx ON throttle_window (window_end);
