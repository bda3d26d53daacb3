-- Receipts checked against what they are attached to: how far a receipt's total may be from
-- the amount claimed (the company's tolerance, for tips and exchange rates), what the last
-- check found and the note of the person who attached a receipt that disagrees; and
-- out-of-pocket expenses in any currency, kept as paid and converted at the day's rate.

-- Per company: a receipt's total agrees with the amount claimed when the two are at most
-- the larger of this share (basis points of the amount claimed) and this fixed amount
-- (minor units of the company's currency) apart.
ALTER TABLE receipt_settings ADD COLUMN amount_tolerance_bp integer NOT NULL DEFAULT 500 CHECK (amount_tolerance_bp BETWEEN 0 AND 2500);
ALTER TABLE receipt_settings ADD COLUMN amount_tolerance_fixed bigint NOT NULL DEFAULT 100 CHECK (amount_tolerance_fixed BETWEEN 0 AND 100000);

-- Where the receipt's reading disagrees with the purchase or expense it is attached to, at
-- the last check: [{field, reason}], amount first, then date, then merchant; empty when it
-- agrees, was not read, or is attached to nothing.
ALTER TABLE receipts ADD COLUMN mismatches jsonb NOT NULL DEFAULT '[]'::jsonb;
-- Why the person attached it all the same (required when it disagreed as they attached it).
ALTER TABLE receipts ADD COLUMN mismatch_note text CHECK (length(mismatch_note) BETWEEN 1 AND 500);

-- An out-of-pocket expense paid in another currency than the company's keeps what was paid
-- and the ECB rate (of its day, or the last publication day before it) that converted it
-- into expenses.amount, which stays in the company's currency for paying back and booking.
ALTER TABLE expenses ADD COLUMN original_amount bigint CHECK (original_amount > 0);
ALTER TABLE expenses ADD COLUMN original_currency char(3);
ALTER TABLE expenses ADD COLUMN fx_rate numeric(20, 10) CHECK (fx_rate > 0);
ALTER TABLE expenses ADD COLUMN fx_rate_date date;
ALTER TABLE expenses ADD CONSTRAINT expenses_original_check CHECK (
  (original_amount IS NULL) = (original_currency IS NULL)
  AND (original_amount IS NULL) = (fx_rate IS NULL)
  AND (original_amount IS NULL) = (fx_rate_date IS NULL)
  AND (original_currency IS NULL OR original_currency <> currency)
);

-- A voided expense claims nothing and needs no receipt: earlier versions kept the flag.
UPDATE expenses SET flags = array_remove(flags, 'missing_receipt') WHERE state = 'voided';
