-- Bank rails: payment references for wallet top-ups, imported bank statements with their
-- entries and how each was reconciled, low-balance alerts, and the card lookup by PAN that
-- the ISO 8583 gateway needs.

-- The platform itself: one company whose people (operators) import the statements of the
-- account customers pay their top-ups into, and keep its suspense queue.
ALTER TABLE companies ADD COLUMN is_platform boolean NOT NULL DEFAULT false;
CREATE UNIQUE INDEX companies_one_platform ON companies (is_platform) WHERE is_platform;
ALTER TABLE users DROP CONSTRAINT users_roles_check;
ALTER TABLE users ADD CONSTRAINT users_roles_check CHECK (roles <@ ARRAY['admin', 'bookkeeper', 'reviewer', 'employee', 'operator']::text[]);

-- Global: each company's ISO 11649 creditor reference (RF + check digits + body), which
-- customers put on their top-up transfers.
CREATE TABLE payment_references (
  reference   text PRIMARY KEY CHECK (reference ~ '^RF[0-9]{2}[0-9A-Z]{1,21}$'),
  company_id  text NOT NULL UNIQUE REFERENCES companies (id),
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- Per company: below this available balance (minor units) the admins are alerted.
CREATE TABLE wallet_alerts (
  company_id          text PRIMARY KEY REFERENCES companies (id),
  low_balance_below   bigint CHECK (low_balance_below >= 0),
  alerted_at          timestamptz,
  updated_at          timestamptz NOT NULL DEFAULT now()
);

-- A statement file as received, kept once (by its digest) per company.
CREATE TABLE bank_statement_files (
  company_id   text NOT NULL REFERENCES companies (id),
  id           text NOT NULL,
  sha256       char(64) NOT NULL,
  format       text NOT NULL CHECK (format IN ('mt940', 'camt.053')),
  file_name    text CHECK (length(file_name) <= 200),
  received_via text NOT NULL CHECK (received_via IN ('cli', 'api', 'inbox')),
  byte_size    integer NOT NULL CHECK (byte_size > 0),
  blob_key     text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  -- Set once every statement of the file committed; a file left incomplete (a failure, a
  -- crash) is processed again when it comes again.
  completed_at timestamptz,
  PRIMARY KEY (company_id, id),
  UNIQUE (company_id, sha256)
);

-- One statement of a file. Its fingerprint (account, id, balances and entries) makes a
-- statement imported again, in the same file or another, change nothing.
CREATE TABLE bank_statements (
  company_id       text NOT NULL,
  id               text NOT NULL,
  file_id          text NOT NULL,
  fingerprint      char(64) NOT NULL,
  statement_ref    text,
  account          text,
  currency         char(3),
  opening_amount   bigint,
  opening_date     date,
  closing_amount   bigint,
  closing_date     date,
  entry_count      integer NOT NULL CHECK (entry_count >= 0),
  -- booked: its entries were reconciled; held: inconsistent, waiting for an operator to
  -- accept (then booked) or discard it.
  state            text NOT NULL CHECK (state IN ('booked', 'held', 'discarded')),
  inconsistency    text,
  decided_by       text,
  decided_at       timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (company_id, id),
  UNIQUE (company_id, fingerprint),
  FOREIGN KEY (company_id, file_id) REFERENCES bank_statement_files (company_id, id),
  CHECK (state <> 'held' OR inconsistency IS NOT NULL)
);

-- One entry of a statement and what became of it.
CREATE TABLE bank_entries (
  company_id          text NOT NULL,
  id                  text NOT NULL,
  statement_id        text NOT NULL,
  line                integer NOT NULL CHECK (line >= 1),
  amount              bigint NOT NULL,
  currency            char(3) NOT NULL,
  booking_date        date,
  value_date          date,
  bank_reference      text,
  end_to_end_id       text,
  remittance          text,
  counterparty_name   text,
  counterparty_iban   text,
  -- top_up: a credit with a company's reference, booked as that company's top-up;
  -- suspense: a credit nobody's reference names, waiting for an operator;
  -- assigned: a suspense credit an operator gave to a company; returned: sent back;
  -- payout: a debit that paid a reimbursement batch; duplicate: the same transfer on an
  -- earlier statement (an intraday report, then the day's statement); other: nothing for
  -- Outlay to do; pending: its statement is held.
  state               text NOT NULL CHECK (state IN ('top_up', 'suspense', 'assigned', 'returned', 'payout', 'duplicate', 'other', 'pending')),
  -- The transfer itself, across statements: the bank's reference, or a digest of what the
  -- entry says with its occurrence in the statement.
  transfer_key        text NOT NULL,
  target_company_id   text,
  top_up_id           text,
  payout_batch_id     text,
  note                text CHECK (length(note) <= 500),
  decided_by          text,
  decided_at          timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (company_id, id),
  UNIQUE (company_id, statement_id, line),
  FOREIGN KEY (company_id, statement_id) REFERENCES bank_statements (company_id, id)
);
CREATE INDEX bank_entries_suspense ON bank_entries (company_id, id) WHERE state = 'suspense';
CREATE INDEX bank_entries_transfer ON bank_entries (company_id, transfer_key);
CREATE INDEX bank_entries_payout ON bank_entries (company_id, payout_batch_id) WHERE payout_batch_id IS NOT NULL;

-- A top-up booked from a statement entry names it.
ALTER TABLE wallet_top_ups ADD COLUMN bank_entry_id text;

-- The ISO 8583 gateway names cards by their number: a keyed digest of each card's PAN
-- (HMAC-SHA-256 under a key derived from the encryption key) finds the card without
-- decrypting every card number.
ALTER TABLE card_routes ADD COLUMN pan_digest char(64);
CREATE UNIQUE INDEX card_routes_pan_digest ON card_routes (pan_digest) WHERE pan_digest IS NOT NULL;
