-- Brute-force limits, and logins per company (issue 15).
--
-- attempt_limits counts attempts at something guessable (a password at sign-in or at a card
-- reveal) or abusable (invitations) per subject, in the database so every process sees the
-- same counts. subject_hash is a keyed hash of the subject (an e-mail address, a client
-- address, a person): addresses someone merely tried are not kept in clear. After
-- failures_max attempts within a window the subject is locked until locked_until, each
-- lockout in a row twice as long as the one before (lockouts), up to the rule's maximum.
--
-- logins: an address was the key of logins, so one company's invitation reserved it in all
-- others, and inviting an address of another company answered 409 email_taken, telling that
-- the address had an Outlay login elsewhere. A login is now per company: the same address
-- may be a person of several companies, each with its own password.
CREATE TABLE attempt_limits (
  scope              text NOT NULL CHECK (scope ~ '^[a-z_]{1,40}$'),
  subject_hash       text NOT NULL,
  failures           integer NOT NULL CHECK (failures >= 0),
  window_started_at  timestamptz NOT NULL,
  lockouts           integer NOT NULL DEFAULT 0 CHECK (lockouts >= 0),
  locked_until       timestamptz,
  updated_at         timestamptz NOT NULL,
  PRIMARY KEY (scope, subject_hash)
);
-- The purge removes rows not touched for a day.
CREATE INDEX attempt_limits_updated_at ON attempt_limits (updated_at);

ALTER TABLE logins DROP CONSTRAINT logins_pkey;
ALTER TABLE logins ADD PRIMARY KEY (email, company_id);

-- Sessions their owner can tell apart when listing them: where and with what they were
-- started, and when last used (written at most once a minute).
ALTER TABLE sessions ADD COLUMN client_ip text CHECK (length(client_ip) <= 64);
ALTER TABLE sessions ADD COLUMN user_agent text CHECK (length(user_agent) <= 400);
ALTER TABLE sessions ADD COLUMN last_used_at timestamptz;
-- A person's live sessions, for listing them and ending them all.
CREATE INDEX sessions_user ON sessions (company_id, user_id) WHERE revoked_at IS NULL;

-- API keys suspended with the person who made them (deactivated); revoked stays apart, final.
ALTER TABLE api_keys ADD COLUMN suspended_at timestamptz;
