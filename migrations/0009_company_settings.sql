-- Company settings and company-wide lists.
--
-- A company's locale (BCP 47) decides how the web app writes and reads amounts and dates
-- (decimal comma in da-DK, de-DE and sv-SE; day before month outside en-US). The API keeps
-- its decimal strings and ISO dates whatever the locale.
ALTER TABLE companies ADD COLUMN locale text NOT NULL DEFAULT 'en-GB'
  CHECK (locale IN ('en-GB', 'en-US', 'da-DK', 'de-DE', 'sv-SE'));

-- The lists' default orders, newest first with the id as tie breaker: the company's expenses
-- by spent date, a person's own, and card transactions by when they happened.
-- expenses_company_spent replaces expenses_spent (company_id, spent_on), its prefix.
DROP INDEX expenses_spent;
CREATE INDEX expenses_company_spent ON expenses (company_id, spent_on, id);
CREATE INDEX expenses_user_spent ON expenses (company_id, user_id, spent_on, id);
CREATE INDEX card_transactions_company_time ON card_transactions (company_id, occurred_at, id);
CREATE INDEX card_transactions_user_time ON card_transactions (company_id, user_id, occurred_at, id);
-- The category filter finds an expense by any of its lines.
CREATE INDEX expense_lines_category ON expense_lines (company_id, category_id) WHERE category_id IS NOT NULL;
-- The audit trail newest first, of one actor or one subject.
CREATE INDEX audit_events_actor ON audit_events (company_id, actor_id, id);
-- The team filter of the lists.
CREATE INDEX users_team ON users (company_id, team_id);

-- A card purchase that needs a receipt asks its cardholder for it at once (receipt_wanted),
-- besides the reminder after the company's delay (receipt_missing).
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check CHECK (kind IN ('receipt_wanted', 'receipt_missing', 'card_frozen_receipts', 'card_unfrozen_receipts',
                                              'expense_to_review', 'expense_approved', 'expense_rejected', 'expense_changes_requested', 'expense_comment',
                                              'wallet_low_balance', 'payout_executed'));
-- What a notification links to (an expense, a card purchase, a card, a payout batch, the
-- wallet), apart from its subject, which only keeps it from being sent twice.
ALTER TABLE notifications ADD COLUMN link_type text CHECK (link_type IN ('expense', 'card_transaction', 'card', 'payout_batch', 'wallet'));
ALTER TABLE notifications ADD COLUMN link_id text;
ALTER TABLE notifications ADD CONSTRAINT notifications_link_whole CHECK ((link_type IS NULL) = (link_id IS NULL));
