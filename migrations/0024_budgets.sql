-- Budgets (issue 17, part 2). A budget caps what one team, one person or one tag value (a
-- project, a cost centre) spends per calendar month, quarter or year, in the company's
-- currency. What it has spent is never stored: it is summed from the card purchases and the
-- expenses each time (src/budgets), so it cannot drift from them. An enforced budget is read
-- by the authorization engine, which locks its row (cards, then budgets by id, then wallets)
-- so that two purchases of one team never both take its last room. A tag budget is never
-- enforced: a purchase has no tag when it is authorized.
--
-- outlay: expand
CREATE TABLE budgets (
  company_id   text NOT NULL REFERENCES companies (id),
  id           text NOT NULL,
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  scope        text NOT NULL CHECK (scope IN ('team', 'person', 'tag')),
  team_id      text,
  user_id      text,
  tag_id       text,
  period       text NOT NULL CHECK (period IN ('month', 'quarter', 'year')),
  amount       bigint NOT NULL CHECK (amount > 0 AND amount <= 100000000000000),
  currency     text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  enforced     boolean NOT NULL DEFAULT false,
  -- Percentages of the amount at which the owner is told, once per period each.
  thresholds   smallint[] NOT NULL DEFAULT '{80,100}' CHECK (cardinality(thresholds) <= 5 AND 1 <= ALL (thresholds) AND 200 >= ALL (thresholds)),
  owner_id     text,
  archived_at  timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (company_id, id),
  CHECK ((scope = 'team') = (team_id IS NOT NULL)),
  CHECK ((scope = 'person') = (user_id IS NOT NULL)),
  CHECK ((scope = 'tag') = (tag_id IS NOT NULL)),
  CHECK (NOT (enforced AND scope = 'tag')),
  FOREIGN KEY (company_id, team_id) REFERENCES teams (company_id, id),
  FOREIGN KEY (company_id, user_id) REFERENCES users (company_id, id),
  FOREIGN KEY (company_id, tag_id) REFERENCES tags (company_id, id),
  FOREIGN KEY (company_id, owner_id) REFERENCES users (company_id, id)
);
-- One live budget per subject and period.
CREATE UNIQUE INDEX budgets_one_per_subject ON budgets (company_id, scope, coalesce(team_id, user_id, tag_id), period) WHERE archived_at IS NULL;
-- What an authorization looks for: the company's enforced budgets.
CREATE INDEX budgets_enforced ON budgets (company_id) WHERE enforced AND archived_at IS NULL;

ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check CHECK (kind IN ('receipt_wanted', 'receipt_missing', 'card_frozen_receipts', 'card_unfrozen_receipts',
                                              'expense_to_review', 'expense_approved', 'expense_rejected', 'expense_changes_requested', 'expense_comment',
                                              'wallet_low_balance', 'payout_executed', 'subscription_late', 'subscription_increased',
                                              'budget_threshold'));
-- A threshold's notification opens the budgets page.
ALTER TABLE notifications DROP CONSTRAINT notifications_link_type_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_link_type_check CHECK (link_type IN ('expense', 'card_transaction', 'card', 'payout_batch', 'wallet', 'budget'));
