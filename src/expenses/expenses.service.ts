// Expenses: out-of-pocket, mileage and per-diem expenses filed by people, card expenses made
// from card transactions (see expense-sync.ts), their details (split lines, tax, tags, note,
// attendees, receipt), and bookkeepers' corrections. Review lives in expense-review.ts.
//
// Who may do what: a person sees and edits their own expenses while they are a draft or sent
// back; expenses:read sees everyone's; expenses:manage corrects any expense of an open period
// (an approved one is booked anew, an exported one must be exported again). An expense the
// principal may not see answers "not found".
import { actorOf, type Principal } from '../auth/principal.js';
import type { Actor } from '../auth/actor.js';
import { getCompany } from '../companies/companies.service.js';
import type { Db } from '../db/database.js';
import type { ExpenseKind } from '../db/schema.js';
import { parseAmount } from '../money/money.js';
import { getPerson } from '../people/people.service.js';
import { attachReceiptToExpense, detachReceiptFromExpense } from '../receipts/receipts.service.js';
import { DomainError, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import * as books from './books.repository.js';
import { checkPeriodOpen } from './closed-periods.service.js';
import { mileageAmount, mileageMetersMax, perDiemAmount } from './expense-amounts.js';
import { rebookExpense } from './expense-booking.js';
import { attendeeLengthMax, attendeesMax, bookingContextOf, composeLines, flagsOf, loadBooks, tagsPerExpenseMax, type BooksLookup, type LineInput } from './expense-details.js';
import { isEditableByOwner } from './expense-lifecycle.js';
import * as repo from './expenses.repository.js';
import { findTransaction, listReceiptStates } from '../cards/card-transactions.service.js';

export type { ExpenseEventRow, ExpenseLineRow, ExpenseRow } from './expenses.repository.js';

export const noteLengthMax = 1000;
export const merchantLengthMax = 200;
export const routeLengthMax = 300;

// --- Access -----------------------------------------------------------------------------------

const ownerOf = (principal: Principal): string | null => (principal.kind === 'user' ? principal.userId : null);
export const seesAllExpenses = (principal: Principal) => principal.permissions.has('expenses:read') || principal.permissions.has('expenses:manage');

export function visibleExpense(principal: Principal, expense: repo.ExpenseRow | undefined): repo.ExpenseRow {
  if (!expense || expense.company_id !== principal.companyId || !(seesAllExpenses(principal) || ownerOf(principal) === expense.user_id)) throw notFound('expense');
  return expense;
}

export async function recordEvent(trx: Db, expense: Pick<repo.ExpenseRow, 'company_id' | 'id'>, actor: Actor, action: string, comment: string | null = null, details: Record<string, unknown> = {}) {
  return repo.insertEvent(trx, {
    company_id: expense.company_id,
    id: newId('expenseEvent'),
    expense_id: expense.id,
    actor_type: actor.actorType,
    actor_id: actor.actorId,
    action,
    comment,
    details: JSON.stringify(details),
  });
}

function checkText(value: string | null | undefined, field: string, lengthMax: number): string | null {
  const text = value?.trim() ?? '';
  if (text.length > lengthMax) throw new DomainError('validation_failed', `${field} has at most ${lengthMax} characters`, field);
  return text.length === 0 ? null : text;
}

const datePattern = /^\d{4}-\d{2}-\d{2}$/;
function checkDate(value: string, field: string, today: Date): string {
  const parsed = datePattern.test(value) ? new Date(`${value}T00:00:00Z`) : null;
  if (!parsed || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== value) throw new DomainError('validation_failed', `${field} is a date, YYYY-MM-DD`, field);
  if (parsed.getTime() > today.getTime() + 86_400_000) throw new DomainError('validation_failed', `${field} is in the future`, field);
  return value;
}

/** "12.3" km → 12300 m: at most three decimals, never through a float. */
export function kilometresToMeters(value: string, field = 'distanceKm'): number {
  const match = /^(\d{1,5})(?:\.(\d{1,3}))?$/.exec(value);
  const meters = match ? Number(match[1]) * 1000 + Number((match[2] ?? '').padEnd(3, '0')) : 0;
  if (meters > mileageMetersMax) throw new DomainError('validation_failed', `one mileage claim covers at most ${mileageMetersMax / 1000} km`, field);
  if (!match || meters <= 0) throw new DomainError('validation_failed', `${field} is a distance in kilometres with at most three decimals, e.g. "12.3"`, field);
  return meters;
}

/** 12300 m → "12.3": kilometres without trailing zeros. */
export function metersToKilometres(meters: number): string {
  const fraction = String(meters % 1000).padStart(3, '0').replace(/0+$/, '');
  return fraction ? `${Math.trunc(meters / 1000)}.${fraction}` : String(Math.trunc(meters / 1000));
}

function checkAttendees(attendees: readonly string[] | undefined): string[] | undefined {
  if (attendees === undefined) return undefined;
  if (attendees.length > attendeesMax) throw new DomainError('validation_failed', `at most ${attendeesMax} attendees`, 'attendees');
  return attendees.map((name, index) => {
    const text = name.trim();
    if (text.length === 0 || text.length > attendeeLengthMax) throw new DomainError('validation_failed', `an attendee's name has 1 to ${attendeeLengthMax} characters`, `attendees.${index}`);
    return text;
  });
}

async function checkTags(trx: Db, companyId: string, tagIds: readonly string[] | undefined, current: readonly string[]): Promise<string[] | undefined> {
  if (tagIds === undefined) return undefined;
  const unique = [...new Set(tagIds)];
  if (unique.length > tagsPerExpenseMax) throw new DomainError('validation_failed', `at most ${tagsPerExpenseMax} tags`, 'tagIds');
  const tags = await books.findTags(trx, companyId, unique);
  const byId = new Map(tags.map((tag) => [tag.id, tag]));
  const groups = new Set<string>();
  for (const id of unique) {
    const tag = byId.get(id);
    if (!tag || (!tag.active && !current.includes(id))) throw new DomainError('not_found', 'tag was not found', 'tagIds');
    if (groups.has(tag.group_id)) throw new DomainError('validation_failed', 'an expense takes one tag of each group', 'tagIds');
    groups.add(tag.group_id);
  }
  return unique;
}

// --- What an expense needs after any change ---------------------------------------------------

/**
 * Recomputes the flags, stores them, and books the expense anew when its booking changed.
 * Called in the transaction of every change of an expense's substance.
 */
export async function settleExpense(trx: Db, expense: repo.ExpenseRow, lookup: BooksLookup, actor: Actor, now: Date, options: { rebook: boolean }): Promise<repo.ExpenseRow> {
  const [lines, person, settings] = await Promise.all([
    repo.listLines(trx, expense.company_id, [expense.id]),
    getPerson(trx, expense.company_id, expense.user_id),
    books.ensureSettings(trx, expense.company_id),
  ]);
  const flags = await flagsOf(trx, expense, lines, lookup, person.team_id, settings.review_threshold);
  let updated = await repo.updateExpense(trx, expense.company_id, expense.id, { flags });
  if (options.rebook) {
    const transaction = updated.card_transaction_id ? await findTransaction(trx, updated.company_id, updated.card_transaction_id) : undefined;
    const bookingEntryId = await rebookExpense(trx, updated, lines, bookingContextOf(lookup, person.name, transaction?.state === 'settled'), now);
    if (bookingEntryId !== updated.booking_entry_id) {
      updated = await repo.updateExpense(trx, expense.company_id, expense.id, { booking_entry_id: bookingEntryId });
      await recordEvent(trx, updated, actor, bookingEntryId ? 'booked' : 'unbooked', null, { entryId: bookingEntryId });
    }
  }
  return updated;
}

// --- Filing expenses --------------------------------------------------------------------------

export interface NewExpenseInput {
  kind: Exclude<ExpenseKind, 'card'>;
  spentOn: string;
  merchant?: string | null;
  note?: string | null;
  /** Out of pocket: what was paid, a decimal string in the company's currency. */
  amount?: string;
  /** Mileage: kilometres as a decimal string, and the route taken. */
  distanceKm?: string;
  route?: string | null;
  /** Per diem: the country and the number of days. */
  country?: string;
  days?: number;
  categoryId?: string | null;
  taxCodeId?: string | null;
  tagIds?: string[];
  attendees?: string[];
  receiptId?: string | null;
}

async function amountOf(trx: Db, companyId: string, currency: string, input: NewExpenseInput) {
  switch (input.kind) {
    case 'out_of_pocket':
      if (input.amount === undefined) throw new DomainError('validation_failed', 'an out-of-pocket expense needs its amount', 'amount');
      return { amount: parseAmount(input.amount, currency, { field: 'amount' }) };
    case 'mileage': {
      if (input.distanceKm === undefined) throw new DomainError('validation_failed', 'a mileage expense needs the distance', 'distanceKm');
      const meters = kilometresToMeters(input.distanceKm);
      const settings = await books.ensureSettings(trx, companyId);
      if (settings.mileage_rate <= 0n) throw new DomainError('validation_failed', 'the company has no mileage rate yet: ask a bookkeeper to set one', 'distanceKm');
      return { amount: mileageAmount(meters, settings.mileage_rate), mileage_meters: meters, mileage_rate: settings.mileage_rate };
    }
    case 'per_diem': {
      const country = input.country?.toUpperCase() ?? '';
      const rate = /^[A-Z]{2}$/.test(country) ? await books.findPerDiemRate(trx, companyId, country) : undefined;
      if (!rate) throw new DomainError('validation_failed', `the company has no per diem rate for "${input.country ?? ''}"`, 'country');
      if (input.days === undefined || !Number.isInteger(input.days) || input.days < 1 || input.days > 366) throw new DomainError('validation_failed', 'a per diem covers 1 to 366 days', 'days');
      return { amount: perDiemAmount(input.days, rate.daily_rate), per_diem_country: country, per_diem_days: input.days, per_diem_rate: rate.daily_rate };
    }
  }
}

/** A person files an expense they paid themselves (or drove, or travelled). */
export async function fileExpense(db: Db, principal: Principal, input: NewExpenseInput, now = new Date()): Promise<repo.ExpenseRow> {
  const userId = ownerOf(principal);
  if (!userId) throw new DomainError('forbidden', 'expenses are filed by people; an API key has none of its own');
  const company = await getCompany(db, principal.companyId);
  const spentOn = checkDate(input.spentOn, 'spentOn', now);
  return db.transaction().execute(async (trx) => {
    await checkPeriodOpen(trx, principal.companyId, spentOn);
    const lookup = await loadBooks(trx, principal.companyId);
    const amounts = await amountOf(trx, principal.companyId, company.currency, input);
    const expense = await repo.insertExpense(trx, {
      company_id: principal.companyId,
      id: newId('expense', now.getTime()),
      user_id: userId,
      kind: input.kind,
      state: 'draft',
      card_transaction_id: null,
      spent_on: spentOn,
      merchant: checkText(input.merchant, 'merchant', merchantLengthMax),
      note: checkText(input.note, 'note', noteLengthMax),
      currency: company.currency,
      route: checkText(input.route, 'route', routeLengthMax),
      attendees: checkAttendees(input.attendees) ?? [],
      // Nothing is owed until the expense is approved.
      reimbursement_state: 'none',
      export_state: 'not_exported',
      ...amounts,
    });
    const filed = expense;
    await repo.replaceLines(trx, principal.companyId, expense.id, composeLines(filed.amount, [{ amount: filed.amount, categoryId: input.categoryId ?? null, taxCodeId: input.taxCodeId ?? null, note: null }], lookup));
    const tags = await checkTags(trx, principal.companyId, input.tagIds, []);
    if (tags) await repo.replaceTags(trx, principal.companyId, expense.id, tags);
    let withReceipt = filed;
    if (input.receiptId) {
      await attachReceiptToExpense(trx, principal.companyId, input.receiptId, filed.id, userId);
      withReceipt = await repo.updateExpense(trx, principal.companyId, filed.id, { receipt_id: input.receiptId });
    }
    await recordEvent(trx, withReceipt, actorOf(principal), 'filed', null, { kind: input.kind, amount: String(withReceipt.amount) });
    return settleExpense(trx, withReceipt, lookup, actorOf(principal), now, { rebook: false });
  });
}

// --- Changing details -------------------------------------------------------------------------

export interface ExpensePatch {
  spentOn?: string;
  merchant?: string | null;
  note?: string | null;
  amount?: string;
  distanceKm?: string;
  route?: string | null;
  days?: number;
  /** The whole split; or categoryId/taxCodeId for a single line over the whole amount. */
  lines?: { amount: string; categoryId: string | null; taxCodeId: string | null; note?: string | null }[];
  categoryId?: string | null;
  taxCodeId?: string | null;
  tagIds?: string[];
  attendees?: string[];
  /** Out of pocket: the receipt to attach (null detaches it). */
  receiptId?: string | null;
}

function lineInputs(patch: ExpensePatch, amount: bigint, currency: string, current: readonly repo.ExpenseLineRow[]): LineInput[] | null {
  if (patch.lines) return patch.lines.map((line, index) => ({ amount: parseAmount(line.amount, currency, { field: `lines.${index}.amount`, allowZero: true }), categoryId: line.categoryId, taxCodeId: line.taxCodeId, note: line.note ?? null }));
  const single = current.length <= 1;
  if (patch.categoryId !== undefined || patch.taxCodeId !== undefined) {
    if (!single) throw new DomainError('validation_failed', 'this expense is split: change its lines', 'lines');
    return [{ amount, categoryId: patch.categoryId !== undefined ? patch.categoryId : (current[0]?.category_id ?? null), taxCodeId: patch.taxCodeId !== undefined ? patch.taxCodeId : (current[0]?.tax_code_id ?? null), note: current[0]?.note ?? null }];
  }
  if (single && current[0]?.amount !== amount) return [{ amount, categoryId: current[0]?.category_id ?? null, taxCodeId: current[0]?.tax_code_id ?? null, note: current[0]?.note ?? null }];
  return null;
}

async function amountsAfter(trx: Db, expense: repo.ExpenseRow, patch: ExpensePatch) {
  if (patch.amount !== undefined) {
    if (expense.kind !== 'out_of_pocket') throw new DomainError('validation_failed', `the amount of a ${expense.kind.replace('_', ' ')} expense follows from its ${expense.kind === 'card' ? 'card purchase' : 'inputs'}`, 'amount');
    return { amount: parseAmount(patch.amount, expense.currency, { field: 'amount' }) };
  }
  if (patch.distanceKm !== undefined) {
    if (expense.kind !== 'mileage') throw new DomainError('validation_failed', 'only mileage has a distance', 'distanceKm');
    const meters = kilometresToMeters(patch.distanceKm);
    return { amount: mileageAmount(meters, expense.mileage_rate ?? 0n), mileage_meters: meters };
  }
  if (patch.days !== undefined) {
    if (expense.kind !== 'per_diem') throw new DomainError('validation_failed', 'only a per diem has days', 'days');
    return { amount: perDiemAmount(patch.days, expense.per_diem_rate ?? 0n), per_diem_days: patch.days };
  }
  void trx;
  return {};
}

/**
 * Changes an expense's details: its owner while it is a draft or sent back, a bookkeeper
 * (expenses:manage) at any time before it is voided or its period closed.
 */
export async function updateExpenseDetails(db: Db, principal: Principal, id: string, patch: ExpensePatch, now = new Date()): Promise<repo.ExpenseRow> {
  return db.transaction().execute(async (trx) => {
    const expense = visibleExpense(principal, await repo.lockExpense(trx, principal.companyId, id));
    const isOwner = ownerOf(principal) === expense.user_id;
    // Bookkeepers correct other people's expenses; their own go through review like anyone's.
    const corrects = principal.permissions.has('expenses:manage') && !isOwner;
    if (!corrects && !(isOwner && isEditableByOwner(expense.state))) {
      throw new DomainError(isOwner ? 'expense_state_invalid' : 'forbidden', isOwner ? `a ${expense.state.replace('_', ' ')} expense can no longer be changed` : 'only the owner or a bookkeeper changes an expense');
    }
    if (expense.state === 'voided') throw new DomainError('expense_state_invalid', 'a voided expense cannot be changed');
    if (expense.export_state === 'queued' || expense.export_state === 'exporting') throw new DomainError('expense_state_invalid', 'the expense is being exported right now; try again in a moment');
    await checkPeriodOpen(trx, principal.companyId, expense.spent_on);
    if ((expense.reimbursement_state === 'in_batch' || expense.reimbursement_state === 'paid') && (patch.amount !== undefined || patch.distanceKm !== undefined || patch.days !== undefined)) {
      throw new DomainError('expense_state_invalid', `the expense is ${expense.reimbursement_state === 'paid' ? 'paid' : 'in a payout batch'}: its amount can no longer change`);
    }
    const spentOn = patch.spentOn !== undefined ? checkDate(patch.spentOn, 'spentOn', now) : expense.spent_on;
    if (patch.spentOn !== undefined && expense.kind === 'card') throw new DomainError('validation_failed', 'a card expense is dated by its purchase', 'spentOn');
    if (spentOn !== expense.spent_on) await checkPeriodOpen(trx, principal.companyId, spentOn);

    const lookup = await loadBooks(trx, principal.companyId);
    const amounts = await amountsAfter(trx, expense, patch);
    const amount = amounts.amount ?? expense.amount;
    const currentLines = await repo.listLines(trx, principal.companyId, [id]);
    const inputs = lineInputs(patch, amount, expense.currency, currentLines);
    if (inputs) await repo.replaceLines(trx, principal.companyId, id, composeLines(amount, inputs, lookup, currentLines));
    const currentTags = (await repo.listTagIds(trx, principal.companyId, [id])).map((row) => row.tag_id);
    const tags = await checkTags(trx, principal.companyId, patch.tagIds, currentTags);
    if (tags) await repo.replaceTags(trx, principal.companyId, id, tags);

    let receiptId = expense.receipt_id;
    if (patch.receiptId !== undefined) {
      if (expense.kind === 'card') throw new DomainError('validation_failed', 'a card expense has its purchase\'s receipt: attach it to the purchase', 'receiptId');
      if (expense.receipt_id && patch.receiptId !== expense.receipt_id) await detachReceiptFromExpense(trx, principal.companyId, expense.receipt_id);
      if (patch.receiptId && patch.receiptId !== expense.receipt_id) await attachReceiptToExpense(trx, principal.companyId, patch.receiptId, id, expense.user_id);
      receiptId = patch.receiptId;
    }
    const updated = await repo.updateExpense(trx, principal.companyId, id, {
      ...amounts,
      spent_on: spentOn,
      receipt_id: receiptId,
      ...(patch.merchant !== undefined ? { merchant: checkText(patch.merchant, 'merchant', merchantLengthMax) } : {}),
      ...(patch.note !== undefined ? { note: checkText(patch.note, 'note', noteLengthMax) } : {}),
      ...(patch.route !== undefined ? { route: checkText(patch.route, 'route', routeLengthMax) } : {}),
      ...(patch.attendees !== undefined ? { attendees: checkAttendees(patch.attendees) } : {}),
      // A correction of an exported expense goes to the books again with the next export.
      ...(corrects && expense.export_state === 'exported' ? { export_state: 'not_exported' as const, export_batch_id: null } : {}),
    });
    await recordEvent(trx, updated, actorOf(principal), corrects ? 'corrected' : 'updated', null, { fields: Object.keys(patch) });
    return settleExpense(trx, updated, lookup, actorOf(principal), now, { rebook: updated.state === 'approved' });
  });
}

// --- Reading ----------------------------------------------------------------------------------

export async function getExpense(db: Db, principal: Principal, id: string): Promise<repo.ExpenseRow> {
  return visibleExpense(principal, await repo.findExpense(db, principal.companyId, id));
}

export async function listExpenses(db: Db, principal: Principal, filter: Omit<repo.ExpenseFilter, 'companyId'>): Promise<repo.ExpenseRow[]> {
  const userId = seesAllExpenses(principal) ? filter.userId : (ownerOf(principal) ?? '-');
  return repo.listExpenses(db, { ...filter, companyId: principal.companyId, userId });
}

export const historyEventsMax = 500;

export async function expenseHistory(db: Db, principal: Principal, id: string): Promise<repo.ExpenseEventRow[]> {
  const expense = await getExpense(db, principal, id);
  return repo.listEvents(db, principal.companyId, expense.id, historyEventsMax);
}

/** Lines and tags of the expenses, for presenting them. */
export async function detailsOf(db: Db, companyId: string, expenses: readonly repo.ExpenseRow[]) {
  const ids = expenses.map((expense) => expense.id);
  const [lines, tags] = await Promise.all([repo.listLines(db, companyId, ids), repo.listTagIds(db, companyId, ids)]);
  return {
    lines: (id: string) => lines.filter((line) => line.expense_id === id),
    tags: (id: string) => tags.filter((tag) => tag.expense_id === id).map((tag) => tag.tag_id),
  };
}

export interface ExpenseReceipt {
  state: 'attached' | 'lost' | 'missing' | 'not_required';
  receiptId: string | null;
}

/** Each expense's receipt: a card expense's is its purchase's, others carry their own. */
export async function receiptsOf(db: Db, companyId: string, expenses: readonly repo.ExpenseRow[]): Promise<(id: string) => ExpenseReceipt> {
  const transactionIds = expenses.flatMap((expense) => (expense.card_transaction_id ? [expense.card_transaction_id] : []));
  const states = new Map((await listReceiptStates(db, companyId, transactionIds)).map((row) => [row.id, row]));
  const byExpense = new Map(
    expenses.map((expense): [string, ExpenseReceipt] => {
      if (expense.card_transaction_id) {
        const state = states.get(expense.card_transaction_id);
        return [expense.id, { state: state?.receipt_state ?? 'missing', receiptId: state?.receipt_id ?? null }];
      }
      if (expense.receipt_id) return [expense.id, { state: 'attached', receiptId: expense.receipt_id }];
      return [expense.id, { state: expense.kind === 'out_of_pocket' ? 'missing' : 'not_required', receiptId: null }];
    }),
  );
  return (id) => byExpense.get(id) ?? { state: 'not_required', receiptId: null };
}
