-- Refunds tied to the purchase they refund (src/cards/refund-allocation.ts decides how much).
-- A refund whose message names its original purchase (on the same card) points at it; the part
-- of it within what the purchase cleared less earlier refunds is a refund of that purchase,
-- and the rest is a standalone merchant credit, flagged with why. Both are in the wallet's
-- currency; the merchant's part is kept to cap later refunds in the purchase's own currency.
ALTER TABLE card_transactions
  ADD COLUMN refund_of                text,
  ADD COLUMN refunded_amount          bigint CHECK (refunded_amount >= 0),
  ADD COLUMN refunded_merchant_amount bigint CHECK (refunded_merchant_amount >= 0),
  ADD COLUMN merchant_credit_reason   text CHECK (merchant_credit_reason IN (
    'original_not_named', 'original_not_found', 'original_not_refundable', 'currency_mismatch', 'exceeds_refundable')),
  ADD CONSTRAINT card_transactions_refund_of_fk FOREIGN KEY (company_id, refund_of) REFERENCES card_transactions (company_id, id),
  ADD CONSTRAINT card_transactions_refund_of_kind CHECK (kind = 'refund' OR (refund_of IS NULL AND refunded_amount IS NULL AND merchant_credit_reason IS NULL));

-- The refunds of a purchase, summed under the purchase's lock before each new one.
CREATE INDEX card_transactions_refund_of ON card_transactions (company_id, refund_of) WHERE refund_of IS NOT NULL;

-- A card expense's refunds as the expense saw them: netted into its amount while it was not
-- yet exported, or (arriving after its export) waiting to go into an export of the period of
-- their own date as a negative voucher tied to the expense.
CREATE TABLE expense_refunds (
  company_id       text NOT NULL,
  expense_id       text NOT NULL,
  transaction_id   text NOT NULL,
  amount           bigint NOT NULL CHECK (amount >= 0),
  refunded_on      date NOT NULL,
  export_state     text NOT NULL CHECK (export_state IN ('netted', 'not_exported', 'queued', 'exporting', 'exported', 'failed')),
  export_batch_id  text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (company_id, transaction_id),
  FOREIGN KEY (company_id, expense_id) REFERENCES expenses (company_id, id)
);
CREATE INDEX expense_refunds_expense ON expense_refunds (company_id, expense_id);
CREATE INDEX expense_refunds_exportable ON expense_refunds (company_id, refunded_on) WHERE export_state IN ('not_exported', 'failed');
