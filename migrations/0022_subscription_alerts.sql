-- Alerts about subscriptions found in card history (src/subscriptions): an expected charge
-- that did not come, and one that came in higher than usual. Notifications of these kinds
-- are sent once per subject (the subscription and the charge or due date), as all are.
-- outlay: expand
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check CHECK (kind IN ('receipt_wanted', 'receipt_missing', 'card_frozen_receipts', 'card_unfrozen_receipts',
                                              'expense_to_review', 'expense_approved', 'expense_rejected', 'expense_changes_requested', 'expense_comment',
                                              'wallet_low_balance', 'payout_executed', 'subscription_late', 'subscription_increased'));
