-- Passkeys (WebAuthn Level 3) as a second sign-in factor beside the TOTP authenticator.
--
-- A person registers any number of passkeys, each named by them. credential_id is the
-- authenticator's credential ID and public_key its COSE key (RFC 9052), both as the
-- authenticator gave them at registration. sign_count is the signature counter the
-- authenticator last reported: one that does not go up (when either is non-zero) is refused,
-- as the credential may have been cloned (WebAuthn section 6.1.1).
--
-- No outlay: expand marker: a process that knows nothing of passkeys would sign a person
-- whose only factor is a passkey in with the password alone.
CREATE TABLE passkeys (
  company_id     text NOT NULL,
  id             text NOT NULL,
  user_id        text NOT NULL,
  name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  credential_id  text NOT NULL CHECK (length(credential_id) <= 1400),
  public_key     bytea NOT NULL,
  sign_count     bigint NOT NULL DEFAULT 0 CHECK (sign_count >= 0),
  transports     text[] NOT NULL DEFAULT '{}',
  created_at     timestamptz NOT NULL DEFAULT now(),
  last_used_at   timestamptz,
  PRIMARY KEY (company_id, id),
  UNIQUE (company_id, credential_id),
  FOREIGN KEY (company_id, user_id) REFERENCES users (company_id, id)
);
CREATE INDEX passkeys_by_person ON passkeys (company_id, user_id);

-- The challenges of ceremonies under way: single-use (deleted as they are answered), kept in
-- the database so that any process can finish a ceremony another began, and expiring after
-- a few minutes. A registration and a confirmation (card reveal) belong to a signed-in
-- person; a sign-in's challenge also names the sign-in attempt (a hash of its sealed
-- challenge), so that it finishes only that attempt.
CREATE TABLE passkey_challenges (
  company_id      text NOT NULL,
  challenge       text NOT NULL CHECK (length(challenge) <= 100),
  user_id         text NOT NULL,
  purpose         text NOT NULL CHECK (purpose IN ('registration', 'sign_in', 'confirmation')),
  sign_in_hash    text CHECK ((purpose = 'sign_in') = (sign_in_hash IS NOT NULL)),
  expires_at      timestamptz NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (company_id, challenge),
  FOREIGN KEY (company_id, user_id) REFERENCES users (company_id, id)
);
CREATE INDEX passkey_challenges_by_person ON passkey_challenges (company_id, user_id);
