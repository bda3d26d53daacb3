// Changing an expense's details: its owner while it is a draft or sent back; a bookkeeper
// (expenses:manage) corrects anyone else's at any time before it is voided or its period
// closed. A correction of an approved expense is booked anew; one of an exported expense goes
// to the books again with the next export. An out-of-pocket expense paid in another currency
// is converted again when what was paid, its currency or its day changes.
import { actorOf, type Principal } from '../auth/principal.js';
import type { Db } from '../db/database.js';
import { formatAmount, parseAmount } from '../money/money.js';
import { attachReceiptToExpense, detachReceiptFromExpense, noteOnExpenseReceipt, type Claim } from '../receipts/expense-receipts.service.js';
import { DomainError } from '../shared/errors.js';
import { loadBooks, type BooksLookup } from './books-lookup.js';
import { checkPeriodOpen } from './closed-periods.service.js';
import { ownerOf, visibleExpense } from './expense-access.js';
import { mileageAmount, perDiemAmount } from './expense-amounts.js';
import { convertedAmount, paidOf, type ConvertedAmount } from './expense-currency.js';
import { checkTags, claimOf, composeLines, type LineInput } from './expense-details.js';
import { checkAttendees, checkDate, checkText, kilometresToMeters, merchantLengthMax, noteLengthMax, routeLengthMax } from './expense-fields.js';
import { recordEvent } from './expense-history.service.js';
import { isEditableByOwner } from './expense-lifecycle.js';
import { settleExpense } from './expense-settlement.js';
import * as repo from './expenses.repository.js';

export interface ExpensePatch {
  spentOn?: string;
  merchant?: string | null;
  note?: string | null;
  /** Out of pocket: what was paid, in `currency` (or the currency it has). */
  amount?: string;
  currency?: string;
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
  /** Why the receipt belongs to the expense although its reading disagrees with it. */
  receiptNote?: string | null;
}

/**
 * Whether the change is a bookkeeper's correction (of someone else's expense); refuses one
 * that neither the owner nor a bookkeeper may make now.
 */
function checkChangeable(principal: Principal, expense: repo.ExpenseRow): { corrects: boolean } {
  const isOwner = ownerOf(principal) === expense.user_id;
  // Bookkeepers correct other people's expenses; their own go through review like anyone's.
  const corrects = principal.permissions.has('expenses:manage') && !isOwner;
  if (!corrects && !(isOwner && isEditableByOwner(expense.state))) {
    throw new DomainError(isOwner ? 'expense_state_invalid' : 'forbidden', isOwner ? `a ${expense.state.replace('_', ' ')} expense can no longer be changed` : 'only the owner or a bookkeeper changes an expense');
  }
  if (expense.state === 'voided') throw new DomainError('expense_state_invalid', 'a voided expense cannot be changed');
  if (expense.export_state === 'queued' || expense.export_state === 'exporting') throw new DomainError('expense_state_invalid', 'the expense is being exported right now; try again in a moment');
  return { corrects };
}

/** What is in a payout batch, or paid, keeps its amount (and its rate, which a new day would change). */
function checkAmountChangeable(expense: repo.ExpenseRow, patch: ExpensePatch): void {
  const newRate = expense.original_currency !== null && patch.spentOn !== undefined && patch.spentOn !== expense.spent_on;
  if ((expense.reimbursement_state === 'in_batch' || expense.reimbursement_state === 'paid') && (patch.amount !== undefined || patch.currency !== undefined || newRate || patch.distanceKm !== undefined || patch.days !== undefined)) {
    throw new DomainError('expense_state_invalid', `the expense is ${expense.reimbursement_state === 'paid' ? 'paid' : 'in a payout batch'}: its amount can no longer change`);
  }
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

/** An out-of-pocket expense's amount after the patch, converted again when what was paid,
 * its currency or (paid in another currency) its day changed; nothing when none did. */
async function paidAfter(trx: Db, expense: repo.ExpenseRow, patch: ExpensePatch, spentOn: string): Promise<ConvertedAmount | Record<string, never>> {
  const paid = paidOf(expense);
  const newDay = paid.currency !== expense.currency && spentOn !== expense.spent_on;
  if (patch.amount === undefined && patch.currency === undefined && !newDay) return {};
  const amount = patch.amount ?? formatAmount(paid.amount, paid.currency);
  return convertedAmount(trx, { amount, currency: patch.currency ?? paid.currency }, expense.currency, spentOn);
}

async function amountsAfter(trx: Db, expense: repo.ExpenseRow, patch: ExpensePatch, spentOn: string) {
  const outOfPocket = expense.kind === 'out_of_pocket';
  if (patch.currency !== undefined && !outOfPocket) throw new DomainError('validation_failed', 'only an out-of-pocket expense is paid in a currency of its own', 'currency');
  if (patch.amount !== undefined && !outOfPocket) {
    throw new DomainError('validation_failed', `the amount of a ${expense.kind.replace('_', ' ')} expense follows from its ${expense.kind === 'card' ? 'card purchase' : 'inputs'}`, 'amount');
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
  return outOfPocket ? paidAfter(trx, expense, patch, spentOn) : {};
}

/**
 * The receipt the expense has after the patch: one given is attached (checked against what
 * the expense claims after the patch), the one replaced detached; a note alone is set on the
 * receipt the expense keeps.
 */
async function receiptAfter(trx: Db, expense: repo.ExpenseRow, patch: ExpensePatch, claim: Claim, now: Date): Promise<string | null> {
  if (patch.receiptId === undefined) {
    if (patch.receiptNote !== undefined && expense.receipt_id) await noteOnExpenseReceipt(trx, expense.company_id, expense.receipt_id, claim, patch.receiptNote);
    return expense.receipt_id;
  }
  if (expense.kind === 'card') throw new DomainError('validation_failed', 'a card expense has its purchase\'s receipt: attach it to the purchase', 'receiptId');
  if (expense.receipt_id && patch.receiptId !== expense.receipt_id) await detachReceiptFromExpense(trx, expense.company_id, expense.receipt_id);
  if (patch.receiptId && patch.receiptId !== expense.receipt_id) {
    await attachReceiptToExpense(trx, expense.company_id, patch.receiptId, { id: expense.id, userId: expense.user_id, claim, note: patch.receiptNote }, now);
  } else if (patch.receiptId && patch.receiptNote !== undefined) {
    await noteOnExpenseReceipt(trx, expense.company_id, patch.receiptId, claim, patch.receiptNote);
  }
  return patch.receiptId;
}

/** The texts the patch changes, checked. */
function textsAfter(patch: ExpensePatch) {
  return {
    ...(patch.merchant !== undefined ? { merchant: checkText(patch.merchant, 'merchant', merchantLengthMax) } : {}),
    ...(patch.note !== undefined ? { note: checkText(patch.note, 'note', noteLengthMax) } : {}),
    ...(patch.route !== undefined ? { route: checkText(patch.route, 'route', routeLengthMax) } : {}),
    ...(patch.attendees !== undefined ? { attendees: checkAttendees(patch.attendees) } : {}),
  };
}

/** Replaces the lines and tags the patch changes. */
async function replaceDetails(trx: Db, expense: repo.ExpenseRow, patch: ExpensePatch, amount: bigint, lookup: BooksLookup): Promise<void> {
  const currentLines = await repo.listLines(trx, expense.company_id, [expense.id]);
  const inputs = lineInputs(patch, amount, expense.currency, currentLines);
  if (inputs) await repo.replaceLines(trx, expense.company_id, expense.id, composeLines(amount, inputs, lookup, currentLines));
  const currentTags = (await repo.listTagIds(trx, expense.company_id, [expense.id])).map((row) => row.tag_id);
  const tags = await checkTags(trx, expense.company_id, patch.tagIds, currentTags);
  if (tags) await repo.replaceTags(trx, expense.company_id, expense.id, tags);
}

export async function updateExpenseDetails(db: Db, principal: Principal, id: string, patch: ExpensePatch, now: Date): Promise<repo.ExpenseRow> {
  return db.transaction().execute(async (trx) => {
    const expense = visibleExpense(principal, await repo.lockExpense(trx, principal.companyId, id));
    const { corrects } = checkChangeable(principal, expense);
    await checkPeriodOpen(trx, principal.companyId, expense.spent_on);
    checkAmountChangeable(expense, patch);
    const spentOn = patch.spentOn !== undefined ? checkDate(patch.spentOn, 'spentOn', now) : expense.spent_on;
    if (patch.spentOn !== undefined && expense.kind === 'card') throw new DomainError('validation_failed', 'a card expense is dated by its purchase', 'spentOn');
    if (spentOn !== expense.spent_on) await checkPeriodOpen(trx, principal.companyId, spentOn);

    const lookup = await loadBooks(trx, principal.companyId);
    const amounts = await amountsAfter(trx, expense, patch, spentOn);
    await replaceDetails(trx, expense, patch, amounts.amount ?? expense.amount, lookup);
    const texts = textsAfter(patch);
    const claim = claimOf({ ...expense, ...amounts, ...texts, spent_on: spentOn });
    const updated = await repo.updateExpense(trx, principal.companyId, id, {
      ...amounts,
      ...texts,
      spent_on: spentOn,
      receipt_id: await receiptAfter(trx, expense, patch, claim, now),
      // A correction of an exported expense goes to the books again with the next export.
      ...(corrects && expense.export_state === 'exported' ? { export_state: 'not_exported' as const, export_batch_id: null } : {}),
    });
    await recordEvent(trx, updated, actorOf(principal), corrects ? 'corrected' : 'updated', null, { fields: Object.keys(patch) });
    return settleExpense(trx, updated, lookup, actorOf(principal), now, { rebook: updated.state === 'approved' });
  });
}
