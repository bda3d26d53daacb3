-- Single sign-on with SAML 2.0 (issue 15): a company's connection is OpenID Connect or SAML.
-- issuer and client_id name the two parties for both protocols: for OpenID Connect the issuer
-- and our client id (the ID token's aud), for SAML the identity provider's entity ID (the
-- assertions' Issuer) and ours (their Audience). A SAML connection has no client secret; it
-- has the provider's sign-in URL (HTTP-Redirect binding) and the certificates its signatures
-- are checked with (two while the provider rotates its key).
--
-- An older process reading a SAML connection takes it for an OpenID Connect provider it cannot
-- discover and sends its people back to the sign-in page, until it is replaced.
--
-- outlay: expand
ALTER TABLE sso_connections ADD COLUMN protocol text NOT NULL DEFAULT 'oidc' CHECK (protocol IN ('oidc', 'saml'));
ALTER TABLE sso_connections ALTER COLUMN client_secret_ciphertext DROP NOT NULL;
ALTER TABLE sso_connections ADD COLUMN saml_sso_url text CHECK (length(saml_sso_url) <= 1000);
ALTER TABLE sso_connections ADD COLUMN saml_certificates text[] CHECK (cardinality(saml_certificates) BETWEEN 1 AND 2);
-- The attribute holding the e-mail address; null: the NameID (format emailAddress).
ALTER TABLE sso_connections ADD COLUMN saml_email_attribute text CHECK (length(saml_email_attribute) <= 200);
ALTER TABLE sso_connections ADD COLUMN saml_name_attribute text CHECK (length(saml_name_attribute) <= 200);
ALTER TABLE sso_connections ADD CONSTRAINT sso_connections_protocol_fields CHECK (
  (protocol = 'oidc' AND client_secret_ciphertext IS NOT NULL)
  OR (protocol = 'saml' AND saml_sso_url IS NOT NULL AND saml_certificates IS NOT NULL));
-- SAML attribute names are often URIs (http://schemas.microsoft.com/ws/2008/06/identity/claims/groups).
ALTER TABLE sso_connections DROP CONSTRAINT sso_connections_role_claim_check;
ALTER TABLE sso_connections ADD CONSTRAINT sso_connections_role_claim_check CHECK (role_claim ~ '^[A-Za-z_][A-Za-z0-9_.:/#-]{0,199}$');

-- Assertions already used to sign in, kept until they expire, so none is used twice (a
-- replayed form POST). Keyed by the company, whose provider names the IDs.
CREATE TABLE sso_saml_assertions (
  company_id    text NOT NULL REFERENCES companies (id),
  assertion_id  text NOT NULL CHECK (length(assertion_id) <= 256),
  expires_at    timestamptz NOT NULL,
  PRIMARY KEY (company_id, assertion_id)
);
CREATE INDEX sso_saml_assertions_expires_at ON sso_saml_assertions (expires_at);
