-- cagate as the platform's OpenID Provider (issue 20): Spring Authorization Server's JDBC tables
-- (oauth2-*-schema.sql of spring-security-oauth2-authorization-server 7.0), adapted so that H2
-- (PostgreSQL mode) and PostgreSQL get one schema: the BLOB columns are VARCHAR without a length
-- (PostgreSQL has no BLOB; JdbcOAuth2AuthorizationService reads the column types and binds strings to
-- VARCHAR, and looks tokens up with "=" on them, which H2 refuses on a CLOB), and the times are
-- TIMESTAMP WITH TIME ZONE (instants, whatever the node's time zone).
CREATE TABLE oauth2_registered_client (
    id                            VARCHAR(100)             NOT NULL,
    client_id                     VARCHAR(100)             NOT NULL,
    client_id_issued_at           TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
    client_secret                 VARCHAR(200),
    client_secret_expires_at      TIMESTAMP WITH TIME ZONE,
    client_name                   VARCHAR(200)             NOT NULL,
    client_authentication_methods VARCHAR(1000)            NOT NULL,
    authorization_grant_types     VARCHAR(1000)            NOT NULL,
    redirect_uris                 VARCHAR(1000),
    post_logout_redirect_uris     VARCHAR(1000),
    scopes                        VARCHAR(1000)            NOT NULL,
    client_settings               VARCHAR(2000)            NOT NULL,
    token_settings                VARCHAR(2000)            NOT NULL,
    CONSTRAINT oauth2_registered_client_pk PRIMARY KEY (id),
    CONSTRAINT oauth2_registered_client_client_id_uq UNIQUE (client_id)
);

CREATE TABLE oauth2_authorization (
    id                            VARCHAR(100)             NOT NULL,
    registered_client_id          VARCHAR(100)             NOT NULL,
    principal_name                VARCHAR(200)             NOT NULL,
    authorization_grant_type      VARCHAR(100)             NOT NULL,
    authorized_scopes             VARCHAR(1000),
    attributes                    VARCHAR,
    state                         VARCHAR(500),
    authorization_code_value      VARCHAR,
    authorization_code_issued_at  TIMESTAMP WITH TIME ZONE,
    authorization_code_expires_at TIMESTAMP WITH TIME ZONE,
    authorization_code_metadata   VARCHAR,
    access_token_value            VARCHAR,
    access_token_issued_at        TIMESTAMP WITH TIME ZONE,
    access_token_expires_at       TIMESTAMP WITH TIME ZONE,
    access_token_metadata         VARCHAR,
    access_token_type             VARCHAR(100),
    access_token_scopes           VARCHAR(1000),
    oidc_id_token_value           VARCHAR,
    oidc_id_token_issued_at       TIMESTAMP WITH TIME ZONE,
    oidc_id_token_expires_at      TIMESTAMP WITH TIME ZONE,
    oidc_id_token_metadata        VARCHAR,
    refresh_token_value           VARCHAR,
    refresh_token_issued_at       TIMESTAMP WITH TIME ZONE,
    refresh_token_expires_at      TIMESTAMP WITH TIME ZONE,
    refresh_token_metadata        VARCHAR,
    user_code_value               VARCHAR,
    user_code_issued_at           TIMESTAMP WITH TIME ZONE,
    user_code_expires_at          TIMESTAMP WITH TIME ZONE,
    user_code_metadata            VARCHAR,
    device_code_value             VARCHAR,
    device_code_issued_at         TIMESTAMP WITH TIME ZONE,
    device_code_expires_at        TIMESTAMP WITH TIME ZONE,
    device_code_metadata          VARCHAR,
    CONSTRAINT oauth2_authorization_pk PRIMARY KEY (id)
);
-- JdbcOAuth2AuthorizationService finds an authorization by the whole value of a code, refresh token or state
-- (short, generated values: B-tree indexes). Access tokens are JWTs of a kilobyte or more, past what a
-- PostgreSQL B-tree takes safely; userinfo's lookup by access token scans the table, which holds only live
-- authorizations plus a day (OidcHousekeeping).
CREATE INDEX oauth2_authorization_code_idx ON oauth2_authorization (authorization_code_value);
CREATE INDEX oauth2_authorization_refresh_idx ON oauth2_authorization (refresh_token_value);
CREATE INDEX oauth2_authorization_state_idx ON oauth2_authorization (state);
-- OidcHousekeeping's DELETE (by the COALESCE of the three expiries) reads the whole table, a few times an
-- hour; no index would serve it.


CREATE TABLE oauth2_authorization_consent (
    registered_client_id VARCHAR(100)  NOT NULL,
    principal_name       VARCHAR(200)  NOT NULL,
    authorities          VARCHAR(1000) NOT NULL,
    CONSTRAINT oauth2_authorization_consent_pk PRIMARY KEY (registered_client_id, principal_name)
);

-- The token-signing keys, shared by every node (never a key made per node at start-up). generation
-- orders them; its primary key is what lets only one node create a key: the first node to start
-- inserts generation 1, a rotation inserts the next one, and a node that loses the race reads the
-- winner's. The key with no retired_at signs; retired keys stay in the JWKS for the retention period,
-- so tokens they signed still verify. jwk is the RSA key pair as a JWK (JSON), private part included.
CREATE TABLE oidc_signing_key (
    generation INT                      NOT NULL,
    kid        VARCHAR(64)              NOT NULL,
    jwk        VARCHAR(8000)            NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    retired_at TIMESTAMP WITH TIME ZONE,
    CONSTRAINT oidc_signing_key_pk PRIMARY KEY (generation),
    CONSTRAINT oidc_signing_key_kid_uq UNIQUE (kid)
);

-- 平台运营 › 应用管理: the applications that rely on cagate's logins. The OAuth client itself (redirect
-- URIs, hashed secret, settings) is the oauth2_registered_client row with the same client_id; this row
-- holds what 应用中心 needs and who may see the application: regions and roles are space-separated
-- lists, empty meaning everyone.
CREATE TABLE oidc_application (
    id                  BIGINT GENERATED BY DEFAULT AS IDENTITY,
    client_id           VARCHAR(100)             NOT NULL,
    name                VARCHAR(64)              NOT NULL,
    description         VARCHAR(200)             NOT NULL,
    icon_url            VARCHAR(500),
    home_url            VARCHAR(500)             NOT NULL,
    ca_login_required   BOOLEAN                  NOT NULL,
    regions             VARCHAR(1000)            NOT NULL,
    roles               VARCHAR(200)             NOT NULL,
    enabled             BOOLEAN                  NOT NULL,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT oidc_application_pk PRIMARY KEY (id),
    CONSTRAINT oidc_application_client_id_uq UNIQUE (client_id)
);
