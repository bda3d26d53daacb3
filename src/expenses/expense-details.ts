// The details of an expense that follow from its inputs, worked out inside the caller's
// transaction: the split lines with their VAT, its tags, its receipt checked against it, the
// policy flags, and what booking needs.
import type { Db } from '../db/database.js';
import { teamsOf } from '../people/people.service.js';
import { checkReceiptOfExpense, checkReceiptOfTransaction, transactionHasReceipt, transactionsWithReceipts, type Claim, type ReceiptCheck } from '../receipts/expense-receipts.service.js';
import { DomainError } from '../shared/errors.js';
import { normaliseMerchantName } from '../receipts/merchant-name.js';
import * as books from './books.repository.js';
import type { BooksLookup } from './books-lookup.js';
import type { BookingContext } from './expense-booking.js';
import { paidOf } from './expense-currency.js';
import { policyFlagsOf } from './expense-policy.js';
import * as repo from './expenses.repository.js';
import { splitVat } from './vat.js';

export const linesMax = 50;
export const tagsPerExpenseMax = 20;

export interface LineInput {
  /** Minor units, VAT included. */
  amount: bigint;
  categoryId: string | null;
  taxCodeId: string | null;
  note: string | null;
}

/**
 * Checks the lines against the books (categories and tax codes of the company, active ones
 * for new choices) and that they add up to the amount; computes each line's VAT.
 */
export function composeLines(amount: bigint, lines: readonly LineInput[], lookup: BooksLookup, currentLines: readonly repo.ExpenseLineRow[] = []): Omit<repo.ExpenseLineRow, 'company_id' | 'expense_id'>[] {
  if (lines.length === 0 || lines.length > linesMax) throw new DomainError('validation_failed', `an expense has 1 to ${linesMax} lines`, 'lines');
  const sum = lines.reduce((total, line) => total + line.amount, 0n);
  if (sum !== amount) throw new DomainError('validation_failed', `the lines add up to ${sum} minor units, the expense is ${amount}: they must add up to the amount`, 'lines');
  const keptCategories = new Set(currentLines.map((line) => line.category_id));
  const keptTaxCodes = new Set(currentLines.map((line) => line.tax_code_id));
  return lines.map((line, index) => {
    const field = `lines.${index}`;
    if (line.amount < 0n) throw new DomainError('validation_failed', 'a line amount is not negative', `${field}.amount`);
    const category = line.categoryId ? lookup.categories.get(line.categoryId) : null;
    if (line.categoryId && (!category || (!category.active && !keptCategories.has(line.categoryId)))) throw new DomainError('not_found', 'category was not found', `${field}.categoryId`);
    const taxCode = line.taxCodeId ? lookup.taxCodes.get(line.taxCodeId) : null;
    if (line.taxCodeId && (!taxCode || (!taxCode.active && !keptTaxCodes.has(line.taxCodeId)))) throw new DomainError('not_found', 'tax code was not found', `${field}.taxCodeId`);
    const split = taxCode ? splitVat(line.amount, taxCode.rate_bp, taxCode.deductible_bp) : { vat: 0n, deductible: 0n };
    const note = line.note?.trim() ?? '';
    if (note.length > 200) throw new DomainError('validation_failed', 'a line note has at most 200 characters', `${field}.note`);
    return {
      line: index + 1,
      amount: line.amount,
      category_id: category?.id ?? null,
      tax_code_id: taxCode?.id ?? null,
      vat_amount: split.vat,
      deductible_vat: split.deductible,
      note: note || null,
    };
  });
}

/**
 * Checks the tags against the company's: each exists (a retired one only if the expense has
 * it already) and is the only one of its group. Undefined leaves the tags as they are.
 */
export async function checkTags(trx: Db, companyId: string, tagIds: readonly string[] | undefined, current: readonly string[]): Promise<string[] | undefined> {
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

/** What an out-of-pocket expense claims, for checking its receipt: as paid (in its own
 * currency when it was converted) and in the company's currency. */
export function claimOf(expense: Pick<repo.ExpenseRow, 'amount' | 'currency' | 'original_amount' | 'original_currency' | 'spent_on' | 'merchant'>): Claim {
  return { noun: 'expense', paid: paidOf(expense), booked: { amount: expense.amount, currency: expense.currency }, date: expense.spent_on, merchant: expense.merchant };
}

/** Whether the expense's receipt is in (the card purchase's, attached or declared lost, or
 * its own), and the receipt checked again against the expense as it is now. */
export async function receiptOf(db: Db, expense: repo.ExpenseRow): Promise<{ hasReceipt: boolean; check: ReceiptCheck | null }> {
  if (expense.kind === 'card' && expense.card_transaction_id) {
    const [hasReceipt, check] = await Promise.all([
      transactionHasReceipt(db, expense.company_id, expense.card_transaction_id),
      checkReceiptOfTransaction(db, expense.company_id, expense.card_transaction_id),
    ]);
    return { hasReceipt, check };
  }
  if (expense.receipt_id === null) return { hasReceipt: false, check: null };
  return { hasReceipt: true, check: await checkReceiptOfExpense(db, expense.company_id, expense.receipt_id, claimOf(expense)) };
}

/** For each line's category, the teams allowed to use it (null: everyone, or no category). */
const categoryTeamsOf = (lines: readonly { category_id: string | null }[], lookup: BooksLookup) =>
  lines.map((line) => (line.category_id ? (lookup.categories.get(line.category_id)?.allowed_team_ids ?? null) : null));

/** Whether one of the expenses (of the same person, amount and day) is the expense's twin: at
 * the same merchant, or one of the two names none. */
export function hasTwinAmong(expense: Pick<repo.ExpenseRow, 'id' | 'merchant'>, sameDayAndAmount: readonly Pick<repo.ExpenseRow, 'id' | 'merchant'>[]): boolean {
  const merchant = expense.merchant ? normaliseMerchantName(expense.merchant) : null;
  return sameDayAndAmount.some((twin) => twin.id !== expense.id && (merchant === null || twin.merchant === null || normaliseMerchantName(twin.merchant) === merchant));
}

/**
 * The policy flags of many card expenses of one company as they are now, with a few
 * statements for all (flagsOf reads each on its own): their lines, their people's teams, the
 * expenses that could be their twins and which of their purchases have a receipt. Only a
 * purchase whose receipt is attached has it checked again, one by one.
 */
export async function flagsOfCardExpenses(db: Db, companyId: string, expenses: readonly repo.ExpenseRow[], lookup: BooksLookup, reviewThreshold: bigint | null): Promise<Map<string, ReturnType<typeof policyFlagsOf>>> {
  if (expenses.length === 0) return new Map();
  if (expenses.some((expense) => expense.kind !== 'card' || !expense.card_transaction_id || expense.company_id !== companyId)) throw new Error('flagsOfCardExpenses takes card expenses of the one company');
  const transactionIds = expenses.map((expense) => expense.card_transaction_id!);
  const [lines, teams, candidates, withReceipts] = await Promise.all([
    repo.listLines(db, companyId, expenses.map((expense) => expense.id)),
    teamsOf(db, companyId, expenses.map((expense) => expense.user_id)),
    repo.listTwinCandidates(db, companyId, expenses),
    transactionsWithReceipts(db, companyId, transactionIds),
  ]);
  const flags = new Map<string, ReturnType<typeof policyFlagsOf>>();
  for (const expense of expenses) {
    const hasReceipt = withReceipts.has(expense.card_transaction_id!);
    // A receipt declared lost has nothing to check; an attached one is checked again.
    const check = hasReceipt ? await checkReceiptOfTransaction(db, companyId, expense.card_transaction_id!) : null;
    const twins = candidates.filter((candidate) => candidate.user_id === expense.user_id && String(candidate.amount) === String(expense.amount) && String(candidate.spent_on) === String(expense.spent_on));
    flags.set(
      expense.id,
      policyFlagsOf({
        kind: expense.kind,
        state: expense.state,
        amount: expense.amount,
        hasReceipt,
        receiptDisagrees: (check?.mismatches.length ?? 0) > 0,
        categoryTeams: categoryTeamsOf(lines.filter((line) => line.expense_id === expense.id), lookup),
        personTeamId: teams.get(expense.user_id) ?? null,
        reviewThreshold,
        hasTwin: hasTwinAmong(expense, twins),
      }),
    );
  }
  return flags;
}

/** The policy flags of the expense as it is now. */
export async function flagsOf(db: Db, expense: repo.ExpenseRow, lines: readonly { category_id: string | null }[], lookup: BooksLookup, teamId: string | null, reviewThreshold: bigint | null) {
  const hasTwin = hasTwinAmong(expense, await repo.listTwinCandidates(db, expense.company_id, [expense]));
  const receipt = await receiptOf(db, expense);
  return policyFlagsOf({
    kind: expense.kind,
    state: expense.state,
    amount: expense.amount,
    hasReceipt: receipt.hasReceipt,
    receiptDisagrees: (receipt.check?.mismatches.length ?? 0) > 0,
    categoryTeams: categoryTeamsOf(lines, lookup),
    personTeamId: teamId,
    reviewThreshold,
    hasTwin,
  });
}

/** Why the expense cannot be submitted yet, or null. */
export function incompleteness(expense: repo.ExpenseRow, lines: readonly repo.ExpenseLineRow[]): { detail: string; field: string } | null {
  if (expense.amount <= 0n) return { detail: 'the expense has no amount yet', field: 'amount' };
  const uncategorised = lines.findIndex((line) => line.category_id === null);
  if (lines.length === 0 || uncategorised >= 0) return { detail: 'every line needs a category', field: `lines.${Math.max(0, uncategorised)}.categoryId` };
  if (expense.kind === 'out_of_pocket' && !expense.merchant) return { detail: 'say where the money was spent', field: 'merchant' };
  return null;
}

export function bookingContextOf(lookup: BooksLookup, personName: string, transactionSettled: boolean): BookingContext {
  return { categories: lookup.categories, taxCodes: lookup.taxCodes, personName, transactionSettled };
}
