-- Foundation: companies, people, access, idempotency and the double-entry ledger.
--
-- Every tenant-owned table carries company_id and its primary key leads with it, so the
-- schema can later be distributed by company without a redesign. The few global tables
-- (companies itself, logins) are lookups that map a global name to a company.

CREATE TABLE companies (
  id          text PRIMARY KEY,
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  currency    char(3) NOT NULL,
  time_zone   text NOT NULL DEFAULT 'UTC',
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE teams (
  company_id  text NOT NULL REFERENCES companies (id),
  id          text NOT NULL,
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (company_id, id),
  UNIQUE (company_id, name)
);

CREATE TABLE users (
  company_id     text NOT NULL REFERENCES companies (id),
  id             text NOT NULL,
  email          text NOT NULL CHECK (email = lower(email)),
  name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  roles          text[] NOT NULL CHECK (roles <@ ARRAY['admin', 'bookkeeper', 'reviewer', 'employee']::text[]),
  team_id        text,
  status         text NOT NULL CHECK (status IN ('invited', 'active', 'deactivated')),
  password_hash  text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (company_id, id),
  UNIQUE (company_id, email),
  FOREIGN KEY (company_id, team_id) REFERENCES teams (company_id, id)
);

-- Global: a login names its company, so one e-mail address belongs to one company.
CREATE TABLE logins (
  email       text PRIMARY KEY CHECK (email = lower(email)),
  company_id  text NOT NULL,
  user_id     text NOT NULL,
  FOREIGN KEY (company_id, user_id) REFERENCES users (company_id, id)
);

CREATE TABLE invitations (
  company_id   text NOT NULL,
  id           text NOT NULL,
  user_id      text NOT NULL,
  secret_hash  text NOT NULL,
  invited_by   text NOT NULL,
  expires_at   timestamptz NOT NULL,
  accepted_at  timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, user_id) REFERENCES users (company_id, id)
);

CREATE TABLE sessions (
  company_id   text NOT NULL,
  id           text NOT NULL,
  user_id      text NOT NULL,
  secret_hash  text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  revoked_at   timestamptz,
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, user_id) REFERENCES users (company_id, id)
);

CREATE TABLE api_keys (
  company_id    text NOT NULL REFERENCES companies (id),
  id            text NOT NULL,
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  secret_hash   text NOT NULL,
  scopes        text[] NOT NULL,
  created_by    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_used_at  timestamptz,
  revoked_at    timestamptz,
  PRIMARY KEY (company_id, id)
);

-- A POST with an Idempotency-Key runs once per principal and key; a repeat gets the
-- stored response. state 'running' marks a request still in flight.
CREATE TABLE idempotency_keys (
  company_id     text NOT NULL,
  principal      text NOT NULL,
  key            text NOT NULL,
  request_hash   text NOT NULL,
  state          text NOT NULL CHECK (state IN ('running', 'done')),
  status_code    integer,
  content_type   text,
  response_body  text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (company_id, principal, key)
);

-- The ledger. Accounts are single-currency and typed. Balances are kept as TigerBeetle
-- does: posted and pending debits and credits, each a non-negative sum of minor units.
CREATE TABLE ledger_accounts (
  company_id       text NOT NULL REFERENCES companies (id),
  id               text NOT NULL,
  code             text NOT NULL,
  name             text NOT NULL,
  type             text NOT NULL CHECK (type IN ('asset', 'liability', 'equity', 'income', 'expense')),
  currency         char(3) NOT NULL,
  -- Set on funds the company holds (its wallet): posted and pending credits together
  -- must never exceed posted debits, so no hold or payment can overdraw it.
  no_overdraft     boolean NOT NULL DEFAULT false,
  debits_posted    bigint NOT NULL DEFAULT 0 CHECK (debits_posted >= 0),
  credits_posted   bigint NOT NULL DEFAULT 0 CHECK (credits_posted >= 0),
  debits_pending   bigint NOT NULL DEFAULT 0 CHECK (debits_pending >= 0),
  credits_pending  bigint NOT NULL DEFAULT 0 CHECK (credits_pending >= 0),
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (company_id, id),
  UNIQUE (company_id, code)
);

CREATE TABLE journal_entries (
  company_id   text NOT NULL REFERENCES companies (id),
  id           text NOT NULL,
  kind         text NOT NULL,
  description  text NOT NULL,
  cause_type   text,
  cause_id     text,
  effective_at timestamptz NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (company_id, id)
);
CREATE INDEX journal_entries_cause ON journal_entries (company_id, cause_type, cause_id);

-- amount > 0 is a debit, amount < 0 a credit; an entry's postings sum to zero per currency.
CREATE TABLE postings (
  company_id  text NOT NULL,
  entry_id    text NOT NULL,
  line        integer NOT NULL CHECK (line >= 1),
  account_id  text NOT NULL,
  amount      bigint NOT NULL CHECK (amount <> 0),
  currency    char(3) NOT NULL,
  PRIMARY KEY (company_id, entry_id, line),
  FOREIGN KEY (company_id, entry_id) REFERENCES journal_entries (company_id, id),
  FOREIGN KEY (company_id, account_id) REFERENCES ledger_accounts (company_id, id)
);
CREATE INDEX postings_account ON postings (company_id, account_id);

-- Two-phase transfers (card holds): reserved on the accounts' pending columns, then posted
-- (fully or partly), voided or expired exactly once.
CREATE TABLE pending_transfers (
  company_id         text NOT NULL,
  id                 text NOT NULL,
  debit_account_id   text NOT NULL,
  credit_account_id  text NOT NULL,
  amount             bigint NOT NULL CHECK (amount > 0),
  currency           char(3) NOT NULL,
  state              text NOT NULL CHECK (state IN ('pending', 'posted', 'voided', 'expired')),
  posted_amount      bigint CHECK (posted_amount > 0),
  description        text NOT NULL,
  cause_type         text,
  cause_id           text,
  expires_at         timestamptz,
  created_at         timestamptz NOT NULL DEFAULT now(),
  resolved_at        timestamptz,
  entry_id           text,
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, debit_account_id) REFERENCES ledger_accounts (company_id, id),
  FOREIGN KEY (company_id, credit_account_id) REFERENCES ledger_accounts (company_id, id),
  CHECK ((state = 'posted') = (posted_amount IS NOT NULL)),
  CHECK (posted_amount IS NULL OR posted_amount <= amount)
);
CREATE INDEX pending_transfers_expiry ON pending_transfers (expires_at) WHERE state = 'pending';

-- Journal entries and their postings are never edited: a correction is a new entry.
CREATE FUNCTION outlay_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP;
END
$$;
CREATE TRIGGER journal_entries_append_only BEFORE UPDATE OR DELETE ON journal_entries
  FOR EACH ROW EXECUTE FUNCTION outlay_append_only();
CREATE TRIGGER postings_append_only BEFORE UPDATE OR DELETE ON postings
  FOR EACH ROW EXECUTE FUNCTION outlay_append_only();

-- A bank transfer received into the company's wallet, recorded by an admin (and later by
-- statement reconciliation). The bank's reference is unique per company, so recording the
-- same transfer twice is refused.
CREATE TABLE wallet_top_ups (
  company_id      text NOT NULL REFERENCES companies (id),
  id              text NOT NULL,
  amount          bigint NOT NULL CHECK (amount > 0),
  currency        char(3) NOT NULL,
  bank_reference  text NOT NULL CHECK (length(bank_reference) BETWEEN 1 AND 140),
  received_on     date NOT NULL,
  recorded_by     text NOT NULL,
  entry_id        text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (company_id, id),
  UNIQUE (company_id, bank_reference),
  FOREIGN KEY (company_id, entry_id) REFERENCES journal_entries (company_id, id)
);

-- Who did what: written in the same transaction as the change it records.
CREATE TABLE audit_events (
  company_id    text NOT NULL REFERENCES companies (id),
  id            text NOT NULL,
  actor_type    text NOT NULL CHECK (actor_type IN ('user', 'api_key', 'system')),
  actor_id      text,
  action        text NOT NULL,
  subject_type  text NOT NULL,
  subject_id    text NOT NULL,
  details       jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (company_id, id)
);
CREATE INDEX audit_events_subject ON audit_events (company_id, subject_type, subject_id);
