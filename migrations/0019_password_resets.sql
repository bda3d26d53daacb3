-- Password reset by e-mailed link: one row per link sent. Only a keyed hash of the link's
-- secret is stored, so a database reader cannot use an open link; a link works once
-- (used_at) and until expires_at.
--
-- outlay: expand
CREATE TABLE password_resets (
  company_id   text NOT NULL REFERENCES companies (id),
  id           text NOT NULL,
  user_id      text NOT NULL,
  secret_hash  text NOT NULL,
  expires_at   timestamptz NOT NULL,
  used_at      timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, user_id) REFERENCES users (company_id, id)
);
CREATE INDEX password_resets_user ON password_resets (company_id, user_id) WHERE used_at IS NULL;
