-- Two findings of issue 15's security probe.
--
-- A repeated network id must be the same message: the terms an authorization or a lifecycle
-- message was first taken with (card, amount, currency; for a lifecycle message also its type
-- and the transaction it names) are kept, and a repeat with other terms is refused instead of
-- answered with the first outcome. Rows written before this migration have none and are
-- answered as before.
--
-- Wallet corrections: money enters a wallet only from a reconciled bank statement or from an
-- operator's correction that a second operator approved. A correction is proposed, then
-- approved by another person of the platform, and only then booked, in the same transaction,
-- as one balanced journal entry. The rows belong to the company whose wallet is corrected.
--
-- outlay: expand
ALTER TABLE card_transactions ADD COLUMN request_terms text CHECK (length(request_terms) <= 300);
ALTER TABLE card_network_events ADD COLUMN request_terms text CHECK (length(request_terms) <= 300);

CREATE TABLE wallet_corrections (
  company_id   text NOT NULL REFERENCES companies (id),
  id           text NOT NULL,
  -- Signed minor units of the wallet's currency: positive credits the wallet.
  amount       bigint NOT NULL CHECK (amount <> 0),
  currency     char(3) NOT NULL,
  reason       text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  state        text NOT NULL CHECK (state IN ('proposed', 'approved')),
  proposed_by  text NOT NULL,
  proposed_at  timestamptz NOT NULL,
  approved_by  text,
  approved_at  timestamptz,
  entry_id     text,
  PRIMARY KEY (company_id, id),
  -- Four eyes: whoever approves is not whoever proposed.
  CHECK (approved_by IS NULL OR approved_by <> proposed_by),
  CHECK ((state = 'approved') = (approved_by IS NOT NULL AND approved_at IS NOT NULL AND entry_id IS NOT NULL))
);
CREATE INDEX wallet_corrections_state ON wallet_corrections (state, proposed_at);
