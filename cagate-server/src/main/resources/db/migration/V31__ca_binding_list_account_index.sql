-- The CA binding list of an organisation filtered by 账户 (login-name prefix) or 姓名 (part of the name)
-- reads the organisation's accounts from this index alone (index-only scan with the filter applied to the
-- indexed names), then their bindings by ca_binding_account_idx: a large organisation's filtered list
-- neither scans the account table nor fetches every member's row. Used by BindingRepository.list.
CREATE INDEX account_org_names_idx ON account (organization_id, login_name, display_name);
