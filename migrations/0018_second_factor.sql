-- A second sign-in factor: a TOTP authenticator (RFC 6238) and single-use recovery codes.
--
-- The TOTP secret is encrypted (src/shared/field-encryption.ts) with the company and person as
-- its context. confirmed_at is null while the person has started enrolling and not yet typed
-- a code; only a confirmed factor is asked for. last_used_step is the 30-second time step of
-- the last code accepted: a code of that step or an earlier one is refused, so a code seen
-- over someone's shoulder cannot be used again.
CREATE TABLE totp_factors (
  company_id        text NOT NULL,
  user_id           text NOT NULL,
  secret_ciphertext text NOT NULL,
  confirmed_at      timestamptz,
  last_used_step    bigint,
  created_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (company_id, user_id),
  FOREIGN KEY (company_id, user_id) REFERENCES users (company_id, id)
);

-- Recovery codes: only a keyed hash is stored; used_at marks one spent.
CREATE TABLE recovery_codes (
  company_id  text NOT NULL,
  user_id     text NOT NULL,
  code_hash   text NOT NULL,
  used_at     timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (company_id, user_id, code_hash),
  FOREIGN KEY (company_id, user_id) REFERENCES users (company_id, id)
);

-- The company's rule that admins and bookkeepers sign in with a second factor: until they
-- enrol, their session may do nothing but enrol.
ALTER TABLE companies ADD COLUMN require_mfa_for_admins boolean NOT NULL DEFAULT false;
