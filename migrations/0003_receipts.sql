-- Receipts: the files people send, what Outlay read from them, which card transaction each
-- belongs to, receipts declared lost, per-company receipt rules, forwarding addresses, and
-- in-app notifications (reminders).

-- Per company: when a card purchase needs a receipt, when to remind, and whether to freeze
-- a card whose receipts are overdue.
CREATE TABLE receipt_settings (
  company_id             text PRIMARY KEY REFERENCES companies (id),
  -- Purchases at or below this amount (minor units, wallet currency) need no receipt.
  required_above         bigint NOT NULL DEFAULT 0 CHECK (required_above >= 0),
  reminder_after_days    integer NOT NULL DEFAULT 3 CHECK (reminder_after_days BETWEEN 1 AND 90),
  -- null: never freeze cards for missing receipts.
  freeze_after_days      integer CHECK (freeze_after_days BETWEEN 1 AND 365),
  updated_at             timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE receipts (
  company_id        text NOT NULL REFERENCES companies (id),
  id                text NOT NULL,
  -- Whose receipt it is: the person who sent it, or the cardholder it was sent for.
  user_id           text NOT NULL,
  source            text NOT NULL CHECK (source IN ('upload', 'email', 'api', 'demo')),
  media_type        text NOT NULL CHECK (media_type IN ('image/jpeg', 'image/png', 'image/webp', 'application/pdf', 'text/plain')),
  file_name         text CHECK (length(file_name) <= 200),
  byte_size         integer NOT NULL CHECK (byte_size > 0),
  -- SHA-256 of the bytes as received (before location metadata was stripped): same file.
  original_sha256   char(64) NOT NULL,
  blob_key          text NOT NULL,
  thumbnail_key     text,
  email_from        text,
  email_subject     text,
  -- The mail's Message-ID: a message the sending server delivers again is taken once.
  email_message_id  text,
  read_state        text NOT NULL CHECK (read_state IN ('queued', 'reading', 'read', 'failed')),
  read_error        text,
  read_source       text CHECK (read_source IN ('image', 'pdf_text', 'pdf_scan', 'text')),
  -- What was read, each with its confidence (0..1); null where the evidence was weak.
  merchant          text,
  purchase_date     date,
  total_amount      text CHECK (total_amount ~ '^[0-9]{1,15}(\.[0-9]{1,4})?$'),
  currency          char(3),
  vat_amount        text CHECK (vat_amount ~ '^[0-9]{1,15}(\.[0-9]{1,4})?$'),
  confidence        jsonb NOT NULL DEFAULT '{}'::jsonb,
  ocr_text          text,
  read_at           timestamptz,
  match_state       text NOT NULL CHECK (match_state IN ('unmatched', 'suggested', 'matched')),
  transaction_id    text,
  -- Or the out-of-pocket expense it belongs to (the expenses migration adds the reference).
  expense_id        text,
  matched_by        text CHECK (matched_by IN ('auto', 'user')),
  matched_at        timestamptz,
  -- false once the person unmatched it: Outlay then only suggests, never attaches it again.
  auto_match        boolean NOT NULL DEFAULT true,
  -- Close calls offered to the person: [{transactionId, score, reasons}], best first.
  suggestions       jsonb NOT NULL DEFAULT '[]'::jsonb,
  duplicate_of      text,
  duplicate_reason  text CHECK (duplicate_reason IN ('same_file', 'same_content')),
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, user_id) REFERENCES users (company_id, id),
  FOREIGN KEY (company_id, transaction_id) REFERENCES card_transactions (company_id, id),
  CHECK ((match_state = 'matched') = (transaction_id IS NOT NULL OR expense_id IS NOT NULL)),
  CHECK (transaction_id IS NULL OR expense_id IS NULL),
  CHECK ((duplicate_of IS NULL) = (duplicate_reason IS NULL))
);
-- One receipt per card transaction.
CREATE UNIQUE INDEX receipts_transaction ON receipts (company_id, transaction_id) WHERE transaction_id IS NOT NULL;
CREATE UNIQUE INDEX receipts_expense ON receipts (company_id, expense_id) WHERE expense_id IS NOT NULL;
CREATE INDEX receipts_user ON receipts (company_id, user_id, id);
CREATE INDEX receipts_sha256 ON receipts (company_id, original_sha256);
CREATE INDEX receipts_email_message ON receipts (company_id, user_id, email_message_id) WHERE email_message_id IS NOT NULL;
CREATE INDEX receipts_waiting ON receipts (company_id, match_state) WHERE match_state <> 'matched';

-- A card transaction whose receipt is lost, with the cardholder's explanation.
CREATE TABLE lost_receipts (
  company_id      text NOT NULL,
  transaction_id  text NOT NULL,
  note            text NOT NULL CHECK (length(note) BETWEEN 1 AND 500),
  declared_by     text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (company_id, transaction_id),
  FOREIGN KEY (company_id, transaction_id) REFERENCES card_transactions (company_id, id)
);

-- Global: the token of a person's receipt forwarding address names their company.
CREATE TABLE receipt_addresses (
  token       text PRIMARY KEY CHECK (token ~ '^[a-z0-9]{6,40}$'),
  company_id  text NOT NULL,
  user_id     text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (company_id, user_id),
  FOREIGN KEY (company_id, user_id) REFERENCES users (company_id, id)
);

-- In-app notifications; one per subject and kind, so a sweep run twice sends nothing twice.
CREATE TABLE notifications (
  company_id    text NOT NULL,
  id            text NOT NULL,
  user_id       text NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('receipt_missing', 'card_frozen_receipts', 'card_unfrozen_receipts',
                                              'expense_to_review', 'expense_approved', 'expense_rejected', 'expense_changes_requested', 'expense_comment',
                                              'wallet_low_balance', 'payout_executed')),
  subject_type  text NOT NULL,
  subject_id    text NOT NULL,
  title         text NOT NULL CHECK (length(title) <= 200),
  body          text NOT NULL CHECK (length(body) <= 2000),
  created_at    timestamptz NOT NULL DEFAULT now(),
  read_at       timestamptz,
  PRIMARY KEY (company_id, id),
  UNIQUE (company_id, kind, subject_id),
  FOREIGN KEY (company_id, user_id) REFERENCES users (company_id, id)
);
CREATE INDEX notifications_user ON notifications (company_id, user_id, id);
