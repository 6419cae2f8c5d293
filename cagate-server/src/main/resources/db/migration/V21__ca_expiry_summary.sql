-- Reminders of certificates that expire soon (issue 7). The daily audit summary for ORG_ADMINs writes one
-- audit event per organisation per day: the node that inserts the (organisation, day) row here writes the
-- event in the same transaction; every other node's insert of the same row fails and it writes nothing.
CREATE TABLE ca_expiry_summary (
    organization_id BIGINT                   NOT NULL,
    -- The day in cagate.web.time-zone.
    summary_day     DATE                     NOT NULL,
    bindings        INTEGER                  NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT ca_expiry_summary_pk PRIMARY KEY (organization_id, summary_day),
    CONSTRAINT ca_expiry_summary_organization_fk FOREIGN KEY (organization_id) REFERENCES organization (id)
);
-- Rows older than a week are deleted by the job (WHERE summary_day < ?): ca_expiry_summary_day_idx.
CREATE INDEX ca_expiry_summary_day_idx ON ca_expiry_summary (summary_day);

-- Active bindings whose certificate ends before a time, for the summary (WHERE active AND cert_not_after < ?
-- ORDER BY organization_id): ca_binding_expiry_idx. An account's own (the 应用中心 reminder: WHERE
-- account_id = ? AND active) use ca_binding_account_idx of V12.
CREATE INDEX ca_binding_expiry_idx ON ca_binding (active, cert_not_after);
