-- The CA binding list of an organisation filtered by 账户 (login-name prefix) or 姓名 (part of the name),
-- BindingRepository.list, measured with 1,000,000 bindings (docs/benchmarks.md). It joins the organisation's
-- accounts that match to the organisation's bindings; both sides now come from an index alone (index-only
-- scans), never from table rows, which an organisation's years of sign-ups scatter over thousands of pages:
-- - the organisation's accounts with the names the filters test and the id the join needs
--   (WHERE organization_id = ? AND login_name LIKE ? / LOWER(display_name) LIKE ?): account_org_names_idx,
--   V31's index with the id added;
-- - the organisation's active bindings of those accounts, found per account or read whole for a hash join
--   (WHERE organization_id = ? AND active AND account_id = ?): ca_binding_org_account_idx. account_id follows
--   the equality columns, so looking up one account never scans the organisation's other bindings.
-- The unfiltered list keeps ca_binding_org_idx of V12 (ordered by id).
DROP INDEX account_org_names_idx;
CREATE INDEX account_org_names_idx ON account (organization_id, login_name, display_name, id);
CREATE INDEX ca_binding_org_account_idx ON ca_binding (organization_id, active, account_id, id);
