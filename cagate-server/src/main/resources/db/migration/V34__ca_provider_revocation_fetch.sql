-- Which URLs read from a provider's certificates (CRL distribution points, AIA OCSP) the server may
-- fetch besides those on the servers of its configured URLs (issue 22): allowed hosts, one per line,
-- and whether they may resolve to loopback, link-local or private addresses.
ALTER TABLE ca_provider ADD COLUMN revocation_fetch_hosts VARCHAR(4000);
ALTER TABLE ca_provider ADD COLUMN revocation_fetch_private BOOLEAN DEFAULT FALSE NOT NULL;
