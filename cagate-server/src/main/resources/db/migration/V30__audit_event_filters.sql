-- The audit page (issue 9): events filtered by actor, account, action, outcome, client IP and date,
-- newest first (ORDER BY occurred_at DESC, id DESC), for operators (all) and ORG_ADMINs (their organisation).
-- V2 has audit_event_org_time_idx (organization_id, occurred_at) for an ORG_ADMIN's view and an operator's
-- organisation filter, and audit_event_time_idx (occurred_at) for everything or a date range alone.
-- Events of some actors (WHERE actor_account_id IN (...)): audit_event_actor_time_idx.
-- Events about some accounts (WHERE subject_account_id IN (...)): audit_event_subject_time_idx.
-- Events of one action, with or without an outcome (WHERE action = ? [AND outcome = ?]): audit_event_action_time_idx.
-- Events from one client IP (WHERE client_ip = ?): audit_event_ip_time_idx.
-- The actor and account filters name people by login name (account_login_name_uk of V1) or by display name
-- (WHERE login_name = ? OR display_name = ?): account_display_name_idx.
CREATE INDEX audit_event_actor_time_idx ON audit_event (actor_account_id, occurred_at);
CREATE INDEX audit_event_subject_time_idx ON audit_event (subject_account_id, occurred_at);
CREATE INDEX audit_event_action_time_idx ON audit_event (action, occurred_at);
CREATE INDEX audit_event_ip_time_idx ON audit_event (client_ip, occurred_at);
CREATE INDEX account_display_name_idx ON account (display_name);
