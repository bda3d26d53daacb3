// Budgets: how much a team, a person or a tag value may spend per month, quarter or year, in
// the company's currency, with what is spent, held and left worked out from the purchases and
// expenses each time it is asked (budgets.repository.ts). An enforced budget is consulted by
// the authorization engine (lockBudgetRooms), which declines a purchase that would take more
// than is left. Owners are told in the app and by e-mail when a threshold is reached, once per
// threshold and period (alertBudgets, a sweep), and webhook endpoints get budget.threshold.
// A team budget's owner approves the team's expenses at a "budget owner" review step when the
// review rules name nobody else (teamBudgetOwners).
import type { Actor } from '../auth/actor.js';
import { recordAudit } from '../audit/audit.service.js';
import { getCompany } from '../companies/companies.service.js';
import type { Db } from '../db/database.js';
import type { BudgetPeriod, BudgetScope } from '../db/schema.js';
import { isUniqueViolation } from '../db/unique-violation.js';
import { formatAmount, parseAmount } from '../money/money.js';
import { notify } from '../notifications/notifications.service.js';
import { findPerson, findTeams, namesOf, teamNamesOf } from '../people/people.service.js';
import { DomainError, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { recordWebhookEvent } from '../webhooks/webhooks.service.js';
import { percentUsed, periodRange, remainingOf, thresholdsReached, type BudgetFigures, type PeriodRange } from './budget-rules.js';
import * as repo from './budgets.repository.js';

export const budgetScopes: readonly BudgetScope[] = ['team', 'person', 'tag'];
export const defaultThresholds = [80, 100];
export const thresholdsMax = 5;
/** Live budgets a company may keep. */
export const budgetsMax = 500;

export interface BudgetInput {
  name: string;
  scope: BudgetScope;
  /** The team, person or tag the budget is for. */
  subjectId: string;
  period: BudgetPeriod;
  /** Decimal, in the company's currency. */
  amount: string;
  enforced?: boolean;
  thresholds?: number[];
  ownerId?: string | null;
}

export type BudgetPatch = Partial<Pick<BudgetInput, 'name' | 'amount' | 'enforced' | 'thresholds' | 'ownerId'>>;

function checkThresholds(thresholds: readonly number[]): number[] {
  const sorted = [...new Set(thresholds)].sort((a, b) => a - b);
  if (sorted.length > thresholdsMax) throw new DomainError('validation_failed', `at most ${thresholdsMax} thresholds`, 'thresholds');
  if (sorted.some((value) => !Number.isInteger(value) || value < 1 || value > 200)) throw new DomainError('validation_failed', 'a threshold is a whole percent from 1 to 200', 'thresholds');
  return sorted;
}

function checkEnforcement(scope: BudgetScope, enforced: boolean): void {
  if (enforced && scope === 'tag') {
    throw new DomainError('validation_failed', 'a tag budget cannot be enforced: a purchase has no tag when it is authorized, only once its expense is tagged', 'enforced');
  }
}

async function checkOwner(db: Db, companyId: string, ownerId: string | null): Promise<void> {
  if (ownerId === null) return;
  const owner = await findPerson(db, companyId, ownerId);
  if (!owner || owner.status !== 'active') throw new DomainError('validation_failed', 'the owner is an active person of the company', 'ownerId');
}

async function checkSubject(db: Db, companyId: string, scope: BudgetScope, subjectId: string): Promise<void> {
  const found =
    scope === 'team' ? (await findTeams(db, companyId, [subjectId])).length > 0
    : scope === 'person' ? (await findPerson(db, companyId, subjectId)) !== undefined
    : await repo.tagInUse(db, companyId, subjectId);
  if (!found) throw new DomainError('validation_failed', `no such ${scope} in the company${scope === 'tag' ? ' (or it is no longer in use)' : ''}`, 'subjectId');
}

const subjectColumns = (scope: BudgetScope, subjectId: string) => ({
  team_id: scope === 'team' ? subjectId : null,
  user_id: scope === 'person' ? subjectId : null,
  tag_id: scope === 'tag' ? subjectId : null,
});

function refuseDuplicate(error: unknown): never {
  if (isUniqueViolation(error)) throw new DomainError('conflict', 'this team, person or tag has a budget for that period already: change it instead', 'subjectId');
  throw error;
}

export async function createBudget(db: Db, companyId: string, input: BudgetInput, actor: Actor): Promise<repo.BudgetRow> {
  const company = await getCompany(db, companyId);
  const amount = parseAmount(input.amount, company.currency, { field: 'amount' });
  if (amount <= 0n) throw new DomainError('validation_failed', 'a budget is more than zero', 'amount');
  const enforced = input.enforced ?? false;
  checkEnforcement(input.scope, enforced);
  const thresholds = checkThresholds(input.thresholds ?? defaultThresholds);
  await checkSubject(db, companyId, input.scope, input.subjectId);
  await checkOwner(db, companyId, input.ownerId ?? null);
  return db.transaction().execute(async (trx) => {
    if ((await repo.countBudgets(trx, companyId)) >= budgetsMax) throw new DomainError('conflict', `a company keeps at most ${budgetsMax} budgets`);
    const row = await repo
      .insertBudget(trx, {
        company_id: companyId,
        id: newId('budget'),
        name: input.name,
        scope: input.scope,
        ...subjectColumns(input.scope, input.subjectId),
        period: input.period,
        amount,
        currency: company.currency,
        enforced,
        thresholds,
        owner_id: input.ownerId ?? null,
      })
      .catch(refuseDuplicate);
    await recordAudit(trx, { companyId, ...actor, action: 'budget.created', subjectType: 'budget', subjectId: row.id, details: { scope: row.scope, period: row.period, amount: formatAmount(amount, row.currency), enforced } });
    return row;
  });
}

export async function getBudget(db: Db, companyId: string, id: string): Promise<repo.BudgetRow> {
  const row = await repo.findBudget(db, companyId, id);
  if (!row || row.archived_at) throw notFound('budget');
  return row;
}

export async function updateBudget(db: Db, companyId: string, id: string, patch: BudgetPatch, actor: Actor, now: Date): Promise<repo.BudgetRow> {
  if (patch.ownerId !== undefined) await checkOwner(db, companyId, patch.ownerId);
  return db.transaction().execute(async (trx) => {
    const current = await repo.findBudget(trx, companyId, id, { lock: true });
    if (!current || current.archived_at) throw notFound('budget');
    const amount = patch.amount === undefined ? current.amount : parseAmount(patch.amount, current.currency, { field: 'amount' });
    if (amount <= 0n) throw new DomainError('validation_failed', 'a budget is more than zero', 'amount');
    const enforced = patch.enforced ?? current.enforced;
    checkEnforcement(current.scope, enforced);
    const changes = {
      ...(patch.name === undefined ? {} : { name: patch.name }),
      amount,
      enforced,
      ...(patch.thresholds === undefined ? {} : { thresholds: checkThresholds(patch.thresholds) }),
      ...(patch.ownerId === undefined ? {} : { owner_id: patch.ownerId }),
      updated_at: now,
    };
    const row = await repo.updateBudget(trx, companyId, id, changes);
    await recordAudit(trx, { companyId, ...actor, action: 'budget.changed', subjectType: 'budget', subjectId: id, details: { fields: Object.keys(patch) } });
    return row;
  });
}

/** A budget no longer wanted: kept for the record, no longer counted, shown or enforced. */
export async function archiveBudget(db: Db, companyId: string, id: string, actor: Actor, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const current = await repo.findBudget(trx, companyId, id, { lock: true });
    if (!current || current.archived_at) throw notFound('budget');
    await repo.updateBudget(trx, companyId, id, { archived_at: now, updated_at: now });
    await recordAudit(trx, { companyId, ...actor, action: 'budget.archived', subjectType: 'budget', subjectId: id });
  });
}

/** A budget with its figures in the period that contains `now`. */
export interface BudgetView {
  budget: repo.BudgetRow;
  subjectName: string;
  ownerName: string | null;
  range: PeriodRange;
  figures: BudgetFigures;
  remaining: bigint;
  percentUsed: number;
}

/** The live budgets with their figures now: every one, or (for someone who does not see the
 * company's spend) those they own. */
export async function listBudgetViews(db: Db, companyId: string, viewer: { seesAll: boolean; userId: string | null }, now: Date): Promise<BudgetView[]> {
  if (!viewer.seesAll && viewer.userId === null) return [];
  const [company, rows] = await Promise.all([getCompany(db, companyId), repo.listBudgets(db, companyId, viewer.seesAll ? {} : { ownerId: viewer.userId! })]);
  return viewsOf(db, companyId, company.time_zone, rows, now);
}

export async function getBudgetView(db: Db, companyId: string, id: string, now: Date): Promise<BudgetView> {
  const [company, row] = await Promise.all([getCompany(db, companyId), getBudget(db, companyId, id)]);
  return (await viewsOf(db, companyId, company.time_zone, [row], now))[0]!;
}

async function viewsOf(db: Db, companyId: string, timeZone: string, rows: readonly repo.BudgetRow[], now: Date): Promise<BudgetView[]> {
  const asks = rows.map((budget) => ({ budget, range: periodRange(budget.period, now, timeZone) }));
  const ids = (pick: (row: repo.BudgetRow) => string | null) => [...new Set(rows.map(pick).filter((id): id is string => id !== null))];
  const [figures, teams, people, tags] = await Promise.all([
    repo.figuresOf(db, asks),
    teamNamesOf(db, companyId, ids((row) => row.team_id)),
    namesOf(db, companyId, [...new Set([...ids((row) => row.user_id), ...ids((row) => row.owner_id)])]),
    repo.tagLabels(db, companyId, ids((row) => row.tag_id)),
  ]);
  return asks.map(({ budget, range }, index) => {
    const figure = figures[index]!;
    const subjectName = (budget.scope === 'team' ? teams.get(budget.team_id!) : budget.scope === 'person' ? people.get(budget.user_id!) : tags.get(budget.tag_id!)) ?? '';
    return { budget, subjectName, ownerName: budget.owner_id ? (people.get(budget.owner_id) ?? null) : null, range, figures: figure, remaining: remainingOf(figure), percentUsed: percentUsed(figure) };
  });
}

// --- The authorization engine's view ------------------------------------------------------

/** What an enforced budget leaves for a purchase; `key` names the budget in its period, so a
 * batch can carry its approvals from one purchase to the next. */
export interface BudgetRoom {
  key: string;
  budgetId: string;
  remaining: bigint;
}

export interface RoomAsk {
  companyId: string;
  userId: string;
  at: Date;
  timeZone: string;
}

/**
 * The enforced budgets over each purchase (its cardholder's own, and their team's), locked for
 * the rest of the caller's transaction (after the cards, before the wallets), with what each
 * leaves in the period of the purchase. One statement when no budget is enforced, two when
 * one is, for any number of purchases.
 */
export async function lockBudgetRooms(trx: Db, asks: readonly RoomAsk[]): Promise<BudgetRoom[][]> {
  const holders = [...new Map(asks.map((ask) => [`${ask.companyId}/${ask.userId}`, { companyId: ask.companyId, userId: ask.userId }])).values()];
  const locked = await repo.lockEnforcedBudgetsOf(trx, holders);
  if (locked.length === 0) return asks.map(() => []);
  const pairs = new Map<string, repo.FiguresAsk>();
  const keysOfAsk = asks.map((ask) =>
    locked
      .filter((budget) => budget.company_id === ask.companyId && budget.holder_id === ask.userId)
      .map((budget) => {
        const range = periodRange(budget.period, ask.at, ask.timeZone);
        const key = `${budget.id}/${range.from}`;
        if (!pairs.has(key)) pairs.set(key, { budget, range });
        return { key, budgetId: budget.id };
      }),
  );
  const keys = [...pairs.keys()];
  const figures = await repo.figuresOf(trx, [...pairs.values()]);
  const remaining = new Map(keys.map((key, index) => [key, remainingOf(figures[index]!)]));
  return keysOfAsk.map((rooms) => rooms.map((room) => ({ ...room, remaining: remaining.get(room.key)! })));
}

// --- Review -------------------------------------------------------------------------------

/** The owner of each team's budget, for the review's "budget owner" step. */
export async function teamBudgetOwners(db: Db, companyId: string): Promise<{ team_id: string; user_id: string }[]> {
  return repo.teamBudgetOwners(db, companyId);
}

// --- Alerts -------------------------------------------------------------------------------

/** Tells each budget's owner of every threshold its spending has reached in the current period,
 * once per threshold and period, and webhook endpoints with it. Returns how many were told. */
export async function alertBudgets(db: Db, now: Date): Promise<number> {
  let told = 0;
  for (const companyId of await repo.companiesWithBudgets(db)) {
    const views = await listBudgetViews(db, companyId, { seesAll: true, userId: null }, now);
    for (const view of views) {
      const { budget } = view;
      if (!budget.owner_id) continue;
      for (const threshold of thresholdsReached(view.figures, budget.thresholds)) {
        const used = `${formatAmount(view.figures.spent + view.figures.pending, budget.currency)} ${budget.currency}`;
        const of = `${formatAmount(budget.amount, budget.currency)} ${budget.currency}`;
        const created = await db.transaction().execute(async (trx) => {
          const sent = await notify(trx, {
            companyId,
            userId: budget.owner_id!,
            kind: 'budget_threshold',
            subject: { type: 'budget', id: `${budget.id}:${view.range.from}:${threshold}` },
            link: { type: 'budget', id: budget.id },
            title: `${budget.name}: ${threshold}% used`,
            body: `The ${budget.period}ly budget ${budget.name} (${view.subjectName}) has used ${used} of ${of} from ${view.range.from} to ${view.range.to}: ${threshold}% or more.`,
          }, now);
          if (sent) {
            await recordWebhookEvent(trx, companyId, 'budget.threshold', {
              budgetId: budget.id,
              name: budget.name,
              threshold,
              period: { from: view.range.from, to: view.range.to },
              amount: { amount: formatAmount(budget.amount, budget.currency), currency: budget.currency },
              used: { amount: formatAmount(view.figures.spent + view.figures.pending, budget.currency), currency: budget.currency },
            }, now);
          }
          return sent;
        });
        if (created) told += 1;
      }
    }
  }
  return told;
}
