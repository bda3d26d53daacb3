-- Review that holds: a company's review rules (whether policy approves an expense without
-- flags, and the ordered approval steps an expense in review goes through), the budget owner
-- of each team, and the rounds of an expense's review with the approvals given in each.
-- src/expenses/review-rules.ts decides from these what an expense waits for.

-- A company without a row has the defaults: policy approves an expense without flags, and a
-- flagged one waits for one reviewer of the person's team.
CREATE TABLE review_rules (
  company_id       text PRIMARY KEY REFERENCES companies (id),
  policy_approves  boolean NOT NULL DEFAULT true,
  updated_at       timestamptz NOT NULL DEFAULT now()
);

-- The steps of a company's review, in order. A step applies to an expense above its amount
-- (null: any amount) of a person in one of its teams (null: any team); who approves it is a
-- reviewer of the person's team, any reviewer, the team's budget owner, or an admin.
CREATE TABLE review_steps (
  company_id    text NOT NULL REFERENCES companies (id),
  id            text NOT NULL,
  position      integer NOT NULL CHECK (position BETWEEN 1 AND 10),
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
  amount_above  bigint CHECK (amount_above >= 0),
  team_ids      text[],
  approver      text NOT NULL CHECK (approver IN ('team_reviewer', 'any_reviewer', 'budget_owner', 'admin')),
  PRIMARY KEY (company_id, id),
  UNIQUE (company_id, position)
);

-- The person who answers for a team's budget: the approver of budget-owner steps.
CREATE TABLE team_budget_owners (
  company_id  text NOT NULL,
  team_id     text NOT NULL,
  user_id     text NOT NULL,
  PRIMARY KEY (company_id, team_id),
  FOREIGN KEY (company_id, team_id) REFERENCES teams (company_id, id),
  FOREIGN KEY (company_id, user_id) REFERENCES users (company_id, id)
);

-- Each time an expense goes to review is a round; approving its last step, rejecting it or
-- sending it back ends the round. The steps are those the rules gave when it was submitted
-- ([{key, name, approver}]), so a change of the rules applies from the next round. A round
-- that answers a request for changes names the reviewer who made it and the step they decide.
CREATE TABLE expense_review_rounds (
  company_id     text NOT NULL,
  expense_id     text NOT NULL,
  round          integer NOT NULL CHECK (round >= 1),
  steps          jsonb NOT NULL,
  returned_to    text,
  returned_step  text,
  started_at     timestamptz NOT NULL,
  ended_at       timestamptz,
  PRIMARY KEY (company_id, expense_id, round),
  FOREIGN KEY (company_id, expense_id) REFERENCES expenses (company_id, id),
  FOREIGN KEY (company_id, returned_to) REFERENCES users (company_id, id),
  CHECK ((returned_to IS NULL) = (returned_step IS NULL)),
  CHECK (ended_at IS NULL OR ended_at >= started_at)
);
CREATE UNIQUE INDEX expense_review_rounds_open ON expense_review_rounds (company_id, expense_id) WHERE ended_at IS NULL;
CREATE INDEX expense_review_rounds_returned ON expense_review_rounds (company_id, returned_to) WHERE ended_at IS NULL AND returned_to IS NOT NULL;

-- An approval of one step of a round. One person approves at most one step of a round, so a
-- second approver is always another person.
CREATE TABLE expense_approvals (
  company_id   text NOT NULL,
  expense_id   text NOT NULL,
  round        integer NOT NULL,
  step_key     text NOT NULL,
  user_id      text NOT NULL,
  approved_at  timestamptz NOT NULL,
  PRIMARY KEY (company_id, expense_id, round, step_key),
  UNIQUE (company_id, expense_id, round, user_id),
  FOREIGN KEY (company_id, expense_id, round) REFERENCES expense_review_rounds (company_id, expense_id, round),
  FOREIGN KEY (company_id, user_id) REFERENCES users (company_id, id)
);

-- Expenses already in review wait for one reviewer of the person's team, as before.
INSERT INTO expense_review_rounds (company_id, expense_id, round, steps, started_at)
SELECT company_id, id, 1, '[{"key": "team_review", "name": "Team review", "approver": "team_reviewer"}]'::jsonb, coalesce(submitted_at, updated_at)
FROM expenses
WHERE state = 'in_review';
