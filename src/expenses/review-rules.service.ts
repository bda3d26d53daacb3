// A company's review rules: whether policy approves an expense without flags, the ordered
// approval steps (review-rules.ts decides with them), and the budget owner of each team.
// Everyone reads them; expenses:manage replaces them whole, in one transaction.
import type { Actor } from '../auth/actor.js';
import { recordAudit } from '../audit/audit.service.js';
import { getCompany } from '../companies/companies.service.js';
import type { Db } from '../db/database.js';
import type { ReviewApprover } from '../db/schema.js';
import { parseAmount } from '../money/money.js';
import { findTeams, getPerson } from '../people/people.service.js';
import { DomainError } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { defaultReviewRules, type ReviewRules } from './review-rules.js';
import * as repo from './review.repository.js';

export const reviewStepsMax = 10;
export const stepNameLengthMax = 60;
export const teamsPerStepMax = 50;

export interface ReviewRulesView {
  rules: ReviewRules;
  budgetOwners: { teamId: string; userId: string }[];
  /** The company's currency, which step amounts are in. */
  currency: string;
  /** Null: the company never changed them (it has the defaults). */
  updatedAt: Date | null;
}

/** The rules review-rules.ts decides with; a company that never set any has the defaults. */
export async function loadReviewRules(db: Db, companyId: string): Promise<ReviewRules> {
  const [policy, steps] = await Promise.all([repo.findPolicyApproves(db, companyId), repo.listSteps(db, companyId)]);
  if (!policy) return defaultReviewRules;
  return {
    policyApproves: policy.policy_approves,
    steps: steps.map((step) => ({ key: step.id, name: step.name, amountAbove: step.amount_above, teamIds: step.team_ids, approver: step.approver })),
  };
}

export async function reviewRulesOf(db: Db, companyId: string): Promise<ReviewRulesView> {
  const [rules, policy, owners, company] = await Promise.all([loadReviewRules(db, companyId), repo.findPolicyApproves(db, companyId), repo.listBudgetOwners(db, companyId), getCompany(db, companyId)]);
  return { rules, budgetOwners: owners.map((row) => ({ teamId: row.team_id, userId: row.user_id })), currency: company.currency, updatedAt: policy?.updated_at ?? null };
}

export interface ReviewRulesInput {
  policyApproves: boolean;
  steps: { id?: string | null; name: string; amountAbove?: string | null; teamIds?: string[] | null; approver: ReviewApprover }[];
  budgetOwners: { teamId: string; userId: string }[];
}

/** Each named team is the company's; a team of another company is "not found", as if none. */
async function checkTeams(db: Db, companyId: string, teamIds: readonly string[], field: string): Promise<void> {
  const found = new Set((await findTeams(db, companyId, teamIds)).map((team) => team.id));
  if (teamIds.some((id) => !found.has(id))) throw new DomainError('not_found', 'team was not found', field);
}

function stepNameOf(name: string, field: string): string {
  const text = name.trim();
  if (text.length === 0 || text.length > stepNameLengthMax) throw new DomainError('validation_failed', `a step needs a name of 1 to ${stepNameLengthMax} characters`, field);
  return text;
}

/** The steps as stored: checked, in order, keeping the id of a step that exists already. */
async function checkSteps(db: Db, companyId: string, currency: string, steps: ReviewRulesInput['steps']) {
  if (steps.length > reviewStepsMax) throw new DomainError('validation_failed', `at most ${reviewStepsMax} review steps`, 'steps');
  const existing = new Set((await repo.listSteps(db, companyId)).map((step) => step.id));
  const kept = new Set<string>();
  const checked = [];
  for (const [index, step] of steps.entries()) {
    const field = `steps.${index}`;
    const teamIds = step.teamIds ? [...new Set(step.teamIds)] : null;
    if (teamIds && (teamIds.length === 0 || teamIds.length > teamsPerStepMax)) throw new DomainError('validation_failed', `a step names 1 to ${teamsPerStepMax} teams, or none for every team`, `${field}.teamIds`);
    if (teamIds) await checkTeams(db, companyId, teamIds, `${field}.teamIds`);
    const id = step.id && existing.has(step.id) && !kept.has(step.id) ? step.id : newId('reviewStep');
    kept.add(id);
    checked.push({
      id,
      position: index + 1,
      name: stepNameOf(step.name, `${field}.name`),
      amount_above: step.amountAbove === undefined || step.amountAbove === null ? null : parseAmount(step.amountAbove, currency, { field: `${field}.amountAbove`, allowZero: true }),
      team_ids: teamIds,
      approver: step.approver,
    });
  }
  return checked;
}

/** Each team has at most one budget owner, who is active and may review (reviewer or admin). */
async function checkBudgetOwners(db: Db, companyId: string, owners: ReviewRulesInput['budgetOwners']) {
  const teams = owners.map((owner) => owner.teamId);
  if (new Set(teams).size !== teams.length) throw new DomainError('validation_failed', 'a team has one budget owner', 'budgetOwners');
  for (const [index, owner] of owners.entries()) {
    await checkTeams(db, companyId, [owner.teamId], `budgetOwners.${index}.teamId`);
    const person = await getPerson(db, companyId, owner.userId);
    if (person.status !== 'active' || !person.roles.some((role) => role === 'reviewer' || role === 'admin')) {
      throw new DomainError('validation_failed', `${person.name} cannot approve expenses: a budget owner is an active reviewer or admin`, `budgetOwners.${index}.userId`);
    }
  }
  return owners.map((owner) => ({ team_id: owner.teamId, user_id: owner.userId }));
}

/** Replaces the company's review rules; expenses already in review keep the steps they took. */
export async function replaceReviewRules(db: Db, companyId: string, input: ReviewRulesInput, actor: Actor): Promise<ReviewRulesView> {
  const company = await getCompany(db, companyId);
  await db.transaction().execute(async (trx) => {
    const steps = await checkSteps(trx, companyId, company.currency, input.steps);
    const owners = await checkBudgetOwners(trx, companyId, input.budgetOwners);
    await repo.replaceRules(trx, companyId, input.policyApproves, steps);
    await repo.replaceBudgetOwners(trx, companyId, owners);
    await recordAudit(trx, { companyId, ...actor, action: 'review_rules.replaced', subjectType: 'company', subjectId: companyId, details: { policyApproves: input.policyApproves, steps: steps.length, budgetOwners: owners.length } });
  });
  return reviewRulesOf(db, companyId);
}
