-- Single sign-on with OpenID Connect (issue 15): a company's identity provider, and the e-mail
-- domains it signs people in for. A domain is a company's only once proven by a DNS TXT record
-- (_outlay-verification.<domain>), so no company can claim another's addresses; until then the
-- provider signs in nobody of it.
--
-- outlay: expand
CREATE TABLE sso_connections (
  company_id                text PRIMARY KEY REFERENCES companies (id),
  issuer                    text NOT NULL CHECK (length(issuer) <= 500),
  client_id                 text NOT NULL CHECK (length(client_id) BETWEEN 1 AND 300),
  -- AES-256-GCM, bound to the company (src/shared/field-encryption.ts).
  client_secret_ciphertext  text NOT NULL,
  -- Just-in-time provisioning: someone of a verified domain without a person here gets one.
  provision_people          boolean NOT NULL DEFAULT false,
  default_roles             text[] NOT NULL DEFAULT ARRAY['employee']::text[] CHECK (cardinality(default_roles) BETWEEN 1 AND 4),
  -- A claim of the ID token (e.g. groups) whose values map to roles; null: roles stay as set in Outlay.
  role_claim                text CHECK (role_claim ~ '^[A-Za-z_][A-Za-z0-9_.:-]{0,99}$'),
  role_map                  jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(role_map) = 'object'),
  enabled                   boolean NOT NULL DEFAULT true,
  updated_at                timestamptz NOT NULL DEFAULT now()
);

-- Any company may ask for a domain (so none can block another by asking first); only one can
-- have it verified.
CREATE TABLE sso_domains (
  company_id           text NOT NULL REFERENCES companies (id),
  domain               text NOT NULL CHECK (domain = lower(domain) AND length(domain) <= 253),
  verification_token   text NOT NULL,
  verified_at          timestamptz,
  created_at           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (company_id, domain)
);
CREATE UNIQUE INDEX sso_domains_verified ON sso_domains (domain) WHERE verified_at IS NOT NULL;
