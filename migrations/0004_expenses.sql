-- Expenses: every card purchase and out-of-pocket spend as an expense a bookkeeper can
-- trust; the company's chart of accounts, tax codes and tags; review; closed periods;
-- reimbursements paid by SEPA credit transfer; and export batches for the books.

-- Per company: review threshold, mileage rate, the accounts the books use for what Outlay
-- holds, and the bank account reimbursements are paid from.
CREATE TABLE expense_settings (
  company_id              text PRIMARY KEY REFERENCES companies (id),
  -- Expenses above this (minor units) wait for a reviewer; null: only flagged ones do.
  review_threshold        bigint CHECK (review_threshold >= 0),
  -- Minor units per kilometre, e.g. 38 = 0.38 EUR/km.
  mileage_rate            bigint NOT NULL DEFAULT 0 CHECK (mileage_rate >= 0),
  -- Account codes of the books: the card wallet (a bank-like asset) and what employees are owed.
  wallet_account_code     text NOT NULL DEFAULT '1930' CHECK (length(wallet_account_code) BETWEEN 1 AND 20),
  payable_account_code    text NOT NULL DEFAULT '2890' CHECK (length(payable_account_code) BETWEEN 1 AND 20),
  -- SEPA debtor: the company's own bank account that pays reimbursements.
  debtor_name             text CHECK (length(debtor_name) <= 70),
  debtor_iban             text CHECK (debtor_iban ~ '^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$'),
  debtor_bic              text CHECK (debtor_bic ~ '^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$'),
  -- SIE #ORGNR and DATEV consultant/client numbers, where the books need them.
  organisation_number     text CHECK (length(organisation_number) <= 20),
  datev_consultant_number integer CHECK (datev_consultant_number BETWEEN 1000 AND 9999999),
  datev_client_number     integer CHECK (datev_client_number BETWEEN 1 AND 99999),
  updated_at              timestamptz NOT NULL DEFAULT now()
);

-- The chart of accounts expenses are categorised with.
CREATE TABLE expense_categories (
  company_id     text NOT NULL REFERENCES companies (id),
  id             text NOT NULL,
  account_code   text NOT NULL CHECK (account_code ~ '^[0-9A-Za-z]{1,10}$'),
  name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  -- Teams that may use it; null: everyone.
  allowed_team_ids text[],
  active         boolean NOT NULL DEFAULT true,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (company_id, id),
  UNIQUE (company_id, account_code)
);

-- VAT codes: a rate and how much of the VAT the company may deduct, in basis points.
CREATE TABLE tax_codes (
  company_id          text NOT NULL REFERENCES companies (id),
  id                  text NOT NULL,
  code                text NOT NULL CHECK (code ~ '^[0-9A-Za-z_-]{1,20}$'),
  name                text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  rate_bp             integer NOT NULL CHECK (rate_bp BETWEEN 0 AND 10000),
  deductible_bp       integer NOT NULL DEFAULT 10000 CHECK (deductible_bp BETWEEN 0 AND 10000),
  -- The account deductible input VAT is booked to.
  vat_account_code    text CHECK (vat_account_code ~ '^[0-9A-Za-z]{1,10}$'),
  -- DATEV's tax key (BU-Schlüssel) for this code, e.g. 9 for 19 % input VAT.
  datev_tax_key       integer CHECK (datev_tax_key BETWEEN 0 AND 9999),
  active              boolean NOT NULL DEFAULT true,
  created_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (company_id, id),
  UNIQUE (company_id, code)
);

CREATE TABLE tag_groups (
  company_id  text NOT NULL REFERENCES companies (id),
  id          text NOT NULL,
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (company_id, id),
  UNIQUE (company_id, name)
);

CREATE TABLE tags (
  company_id  text NOT NULL,
  id          text NOT NULL,
  group_id    text NOT NULL,
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
  active      boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (company_id, id),
  UNIQUE (company_id, group_id, name),
  FOREIGN KEY (company_id, group_id) REFERENCES tag_groups (company_id, id)
);

-- Daily allowances by country for per-diem expenses.
CREATE TABLE per_diem_rates (
  company_id  text NOT NULL REFERENCES companies (id),
  country     char(2) NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
  daily_rate  bigint NOT NULL CHECK (daily_rate > 0),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (company_id, country)
);

-- Reviewers of a team's expenses.
CREATE TABLE team_reviewers (
  company_id  text NOT NULL,
  team_id     text NOT NULL,
  user_id     text NOT NULL,
  PRIMARY KEY (company_id, team_id, user_id),
  FOREIGN KEY (company_id, team_id) REFERENCES teams (company_id, id),
  FOREIGN KEY (company_id, user_id) REFERENCES users (company_id, id)
);

-- A bookkeeper closed the month: its expenses can no longer change.
CREATE TABLE closed_periods (
  company_id  text NOT NULL REFERENCES companies (id),
  period      char(7) NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  closed_by   text NOT NULL,
  closed_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (company_id, period)
);

-- Where reimbursements are paid: the employee's own bank account.
CREATE TABLE payee_accounts (
  company_id   text NOT NULL,
  user_id      text NOT NULL,
  holder_name  text NOT NULL CHECK (length(holder_name) BETWEEN 1 AND 70),
  iban         text NOT NULL CHECK (iban ~ '^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$'),
  bic          text CHECK (bic ~ '^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$'),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (company_id, user_id),
  FOREIGN KEY (company_id, user_id) REFERENCES users (company_id, id)
);

CREATE TABLE payout_batches (
  company_id     text NOT NULL REFERENCES companies (id),
  id             text NOT NULL,
  state          text NOT NULL CHECK (state IN ('created', 'paid', 'executed')),
  currency       char(3) NOT NULL,
  total          bigint NOT NULL CHECK (total > 0),
  item_count     integer NOT NULL CHECK (item_count > 0),
  -- pain.001 GrpHdr/MsgId and PmtInf/PmtInfId: unique, and found again on the bank statement.
  message_id     text NOT NULL CHECK (length(message_id) BETWEEN 1 AND 35),
  execution_date date NOT NULL,
  created_by     text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  paid_by        text,
  paid_at        timestamptz,
  entry_id       text,
  executed_at    timestamptz,
  PRIMARY KEY (company_id, id),
  UNIQUE (company_id, message_id),
  CHECK ((state = 'created') = (paid_at IS NULL))
);

-- One credit transfer of a batch: what one employee is paid.
CREATE TABLE payout_items (
  company_id     text NOT NULL,
  batch_id       text NOT NULL,
  user_id        text NOT NULL,
  amount         bigint NOT NULL CHECK (amount > 0),
  holder_name    text NOT NULL,
  iban           text NOT NULL,
  bic            text,
  end_to_end_id  text NOT NULL CHECK (length(end_to_end_id) BETWEEN 1 AND 35),
  PRIMARY KEY (company_id, batch_id, user_id),
  FOREIGN KEY (company_id, batch_id) REFERENCES payout_batches (company_id, id),
  FOREIGN KEY (company_id, user_id) REFERENCES users (company_id, id)
);

CREATE TABLE export_batches (
  company_id     text NOT NULL REFERENCES companies (id),
  id             text NOT NULL,
  format         text NOT NULL CHECK (format IN ('csv', 'sie', 'datev', 'hledger')),
  period_from    date NOT NULL,
  period_to      date NOT NULL,
  state          text NOT NULL CHECK (state IN ('exporting', 'exported', 'failed')),
  expense_count  integer NOT NULL CHECK (expense_count >= 0),
  blob_key       text,
  byte_size      integer,
  sha256         char(64),
  error          text,
  created_by     text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  finished_at    timestamptz,
  PRIMARY KEY (company_id, id),
  CHECK (period_from <= period_to)
);

CREATE TABLE expenses (
  company_id           text NOT NULL REFERENCES companies (id),
  id                   text NOT NULL,
  user_id              text NOT NULL,
  kind                 text NOT NULL CHECK (kind IN ('card', 'out_of_pocket', 'mileage', 'per_diem')),
  state                text NOT NULL CHECK (state IN ('draft', 'in_review', 'changes_requested', 'approved', 'rejected', 'voided')),
  card_transaction_id  text,
  -- The receipt of an out-of-pocket expense (a card expense has its transaction's).
  receipt_id           text,
  spent_on             date NOT NULL,
  merchant             text CHECK (length(merchant) <= 200),
  note                 text CHECK (length(note) <= 1000),
  -- Gross, in the company's currency.
  amount               bigint NOT NULL CHECK (amount >= 0),
  currency             char(3) NOT NULL,
  mileage_meters       integer CHECK (mileage_meters > 0),
  mileage_rate         bigint CHECK (mileage_rate >= 0),
  route                text CHECK (length(route) <= 300),
  per_diem_country     char(2),
  per_diem_days        integer CHECK (per_diem_days BETWEEN 1 AND 366),
  per_diem_rate        bigint CHECK (per_diem_rate > 0),
  attendees            text[] NOT NULL DEFAULT '{}',
  -- Policy checks at the last change: missing_receipt, category_not_allowed, over_threshold, possible_duplicate.
  flags                text[] NOT NULL DEFAULT '{}',
  -- The ledger entry that booked the categorisation (card expenses: once the purchase
  -- cleared); a correction reverses it and books anew.
  booking_entry_id     text,
  reimbursement_state  text NOT NULL CHECK (reimbursement_state IN ('none', 'owed', 'in_batch', 'paid')),
  payout_batch_id      text,
  export_state         text NOT NULL CHECK (export_state IN ('not_exported', 'queued', 'exporting', 'exported', 'failed')),
  export_batch_id      text,
  submitted_at         timestamptz,
  decided_at           timestamptz,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, user_id) REFERENCES users (company_id, id),
  FOREIGN KEY (company_id, card_transaction_id) REFERENCES card_transactions (company_id, id),
  FOREIGN KEY (company_id, payout_batch_id) REFERENCES payout_batches (company_id, id),
  FOREIGN KEY (company_id, export_batch_id) REFERENCES export_batches (company_id, id),
  CHECK ((kind = 'card') = (card_transaction_id IS NOT NULL)),
  CHECK (kind <> 'mileage' OR (mileage_meters IS NOT NULL AND mileage_rate IS NOT NULL)),
  CHECK (kind <> 'per_diem' OR (per_diem_country IS NOT NULL AND per_diem_days IS NOT NULL AND per_diem_rate IS NOT NULL)),
  -- Card purchases are paid by the company; what others cost is owed once approved.
  CHECK (kind <> 'card' OR reimbursement_state = 'none')
);
CREATE UNIQUE INDEX expenses_card_transaction ON expenses (company_id, card_transaction_id) WHERE card_transaction_id IS NOT NULL;
CREATE INDEX expenses_user ON expenses (company_id, user_id, id);
CREATE INDEX expenses_state ON expenses (company_id, state, id);
CREATE INDEX expenses_spent ON expenses (company_id, spent_on);

-- The split of an expense: lines that add up to its amount, each with its own category and
-- tax. VAT is computed from the gross amount (see src/expenses/vat.ts for the rounding rule).
CREATE TABLE expense_lines (
  company_id      text NOT NULL,
  expense_id      text NOT NULL,
  line            integer NOT NULL CHECK (line BETWEEN 1 AND 50),
  amount          bigint NOT NULL CHECK (amount >= 0),
  category_id     text,
  tax_code_id     text,
  vat_amount      bigint NOT NULL DEFAULT 0 CHECK (vat_amount >= 0),
  deductible_vat  bigint NOT NULL DEFAULT 0 CHECK (deductible_vat >= 0 AND deductible_vat <= vat_amount),
  note            text CHECK (length(note) <= 200),
  PRIMARY KEY (company_id, expense_id, line),
  FOREIGN KEY (company_id, expense_id) REFERENCES expenses (company_id, id),
  FOREIGN KEY (company_id, category_id) REFERENCES expense_categories (company_id, id),
  FOREIGN KEY (company_id, tax_code_id) REFERENCES tax_codes (company_id, id),
  CHECK (vat_amount <= amount)
);

CREATE TABLE expense_tags (
  company_id  text NOT NULL,
  expense_id  text NOT NULL,
  tag_id      text NOT NULL,
  PRIMARY KEY (company_id, expense_id, tag_id),
  FOREIGN KEY (company_id, expense_id) REFERENCES expenses (company_id, id),
  FOREIGN KEY (company_id, tag_id) REFERENCES tags (company_id, id)
);

-- Everything that happened to an expense, with who and why: its history.
CREATE TABLE expense_events (
  company_id  text NOT NULL,
  id          text NOT NULL,
  expense_id  text NOT NULL,
  actor_type  text NOT NULL CHECK (actor_type IN ('user', 'api_key', 'system')),
  actor_id    text,
  action      text NOT NULL,
  comment     text CHECK (length(comment) <= 1000),
  details     jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, expense_id) REFERENCES expenses (company_id, id)
);
CREATE INDEX expense_events_expense ON expense_events (company_id, expense_id, id);

ALTER TABLE receipts ADD FOREIGN KEY (company_id, expense_id) REFERENCES expenses (company_id, id);

-- A card transaction changed since its expense was last brought in step with it: set false
-- on every insert and update of the transaction (no extra statement on the authorization
-- path), set true by the expense sync once the expense agrees.
ALTER TABLE card_transactions ADD COLUMN expense_synced boolean NOT NULL DEFAULT false;
CREATE INDEX card_transactions_expense_sync ON card_transactions (company_id, id)
  WHERE NOT expense_synced AND kind IN ('purchase', 'force_post') AND state <> 'declined';
