// Where the review of expenses in review stands, worked out from the database for the pure
// decisions: the round and its approvals, the step it waits for (review-rules.ts), who takes
// part (the owner, the team's named reviewers and budget owner, the reviewer it came back to)
// and who the step waits for (review-approvers.ts). Read inside the caller's transaction.
import type { Principal } from '../auth/principal.js';
import { teamBudgetOwners } from '../budgets/budgets.service.js';
import type { Db } from '../db/database.js';
import { activeReviewerIds, getPerson, listActiveAdmins } from '../people/people.service.js';
import * as books from './books.repository.js';
import type * as expenses from './expenses.repository.js';
import { approversOf, refusalToDecide, type ReviewParties, type Reviewer, type StepRefusal } from './review-approvers.js';
import { decideReview, roundRules, teamReviewStep, type RoundStep } from './review-rules.js';
import * as repo from './review.repository.js';

/** People the review of an expense waits for, at most, as presented and notified. */
export const approversShownMax = 20;

export interface ReviewState {
  /** The round's number; 0 for an expense in review that has no round (it never should). */
  round: number;
  steps: RoundStep[];
  /** The step the expense waits for, 1-based position among the steps. */
  step: RoundStep;
  position: number;
  approvals: repo.ApprovalRow[];
  returnedTo: string | null;
  parties: ReviewParties;
  /** The people the step waits for (at most approversShownMax). */
  waitingFor: string[];
}

/** The company's people as review sees them: who reviews, and who of them is an admin. */
interface Company {
  candidates: Reviewer[];
  teamReviewers: { team_id: string; user_id: string }[];
  budgetOwners: { team_id: string; user_id: string }[];
}

async function companyOf(db: Db, companyId: string): Promise<Company> {
  const [reviewerIds, adminIds, teamReviewers, named, ofBudgets] = await Promise.all([
    activeReviewerIds(db, companyId),
    listActiveAdmins(db, companyId),
    books.listTeamReviewers(db, companyId),
    repo.listBudgetOwners(db, companyId),
    teamBudgetOwners(db, companyId),
  ]);
  const admins = new Set(adminIds);
  // The review rules' budget owner of a team first; where they name none, the owner of the
  // team's budget (src/budgets).
  const budgetOwners = [...named, ...ofBudgets.filter((owner) => !named.some((row) => row.team_id === owner.team_id))];
  return { candidates: reviewerIds.map((userId) => ({ userId, isAdmin: admins.has(userId), mayReview: true })), teamReviewers, budgetOwners };
}

/** A person as review sees them; one who no longer reviews (or is gone) may decide nothing. */
const reviewerOf = (company: Company, userId: string): Reviewer => company.candidates.find((candidate) => candidate.userId === userId) ?? { userId, isAdmin: false, mayReview: false };

export function reviewerOfPrincipal(principal: Principal): Reviewer {
  if (principal.kind !== 'user') return { userId: '', isAdmin: false, mayReview: false };
  return { userId: principal.userId, isAdmin: principal.roles.includes('admin'), mayReview: principal.permissions.has('expenses:review') };
}

function stateOf(expense: expenses.ExpenseRow, teamId: string | null, round: repo.ReviewRoundRow | undefined, approvals: repo.ApprovalRow[], company: Company): ReviewState {
  const steps = round ? (round.steps as RoundStep[]) : [teamReviewStep];
  const decision = decideReview({ amount: expense.amount, teamId, flags: expense.flags }, roundRules(steps), approvals.map((row) => ({ stepKey: row.step_key, userId: row.user_id })));
  // An expense in review always has a step left: the last approval approves it in the same
  // transaction. Were that ever broken, it would show as waiting for its last step, which no
  // approver of that step may approve twice.
  const step = decision.outcome === 'waiting' ? decision.step : steps[steps.length - 1]!;
  const position = decision.outcome === 'waiting' ? decision.position : steps.length;
  const budgetOwnerId = company.budgetOwners.find((row) => row.team_id === teamId)?.user_id;
  const parties: ReviewParties = {
    ownerId: expense.user_id,
    teamReviewerIds: company.teamReviewers.filter((row) => row.team_id === teamId).map((row) => row.user_id),
    budgetOwner: budgetOwnerId ? reviewerOf(company, budgetOwnerId) : null,
    approverIds: approvals.map((row) => row.user_id),
    returned: round?.returned_to && round.returned_step ? { reviewer: reviewerOf(company, round.returned_to), stepKey: round.returned_step } : null,
  };
  const waitingFor = approversOf(step, parties, company.candidates).slice(0, approversShownMax);
  return { round: round?.round ?? 0, steps, step, position, approvals, returnedTo: round?.returned_to ?? null, parties, waitingFor };
}

/** The review state of each expense in review among the rows, by expense id. */
export async function reviewStatesOf(db: Db, companyId: string, rows: readonly expenses.ExpenseRow[]): Promise<Map<string, ReviewState>> {
  const inReview = rows.filter((row) => row.state === 'in_review');
  if (inReview.length === 0) return new Map();
  const rounds = await repo.listOpenRounds(db, companyId, inReview.map((row) => row.id));
  const [approvals, company, teams] = await Promise.all([
    repo.listApprovals(db, companyId, rounds),
    companyOf(db, companyId),
    Promise.all([...new Set(inReview.map((row) => row.user_id))].map(async (userId) => [userId, (await getPerson(db, companyId, userId)).team_id] as const)),
  ]);
  const teamOf = new Map(teams);
  return new Map(
    inReview.map((row) => {
      const round = rounds.find((candidate) => candidate.expense_id === row.id);
      const own = round ? approvals.filter((approval) => approval.expense_id === row.id && approval.round === round.round) : [];
      // In the order of the steps, which is the order they were given in.
      const order = (approval: repo.ApprovalRow) => ((round?.steps ?? []) as RoundStep[]).findIndex((step) => step.key === approval.step_key);
      own.sort((a, b) => order(a) - order(b));
      return [row.id, stateOf(row, teamOf.get(row.user_id) ?? null, round, own, company)];
    }),
  );
}

/** The review state of one expense in review. */
export async function reviewStateOf(db: Db, expense: expenses.ExpenseRow): Promise<ReviewState> {
  return (await reviewStatesOf(db, expense.company_id, [{ ...expense, state: 'in_review' }])).get(expense.id)!;
}

/** Null when the principal may decide the step the expense waits for; else why not. */
export function refusalOf(state: ReviewState, principal: Principal): StepRefusal | null {
  return refusalToDecide(state.step, reviewerOfPrincipal(principal), state.parties);
}
