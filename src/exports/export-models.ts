// Builds the export model (export-model.ts) from the database: the batch's approved expenses
// and refunds as vouchers, which every format writes (hledger as journal entries of them).
import { getCompany } from '../companies/companies.service.js';
import type { Db } from '../db/database.js';
import { getExpenseSettings } from '../expenses/expense-settings.service.js';
import { loadBooks } from '../expenses/books-lookup.js';
import { exportDetailsOf, separateRefundsOf, type ExpenseRefundRow } from '../expenses/expense-export-state.service.js';
import type { ExpenseRow } from '../expenses/expenses.service.js';
import { findTags, listTagGroups } from '../expenses/tags.service.js';
import { ratePercent, splitVat } from '../expenses/vat.js';
import { namesOf } from '../people/people.service.js';
import { DomainError } from '../shared/errors.js';
import type { ExportAccount, ExportCompany, LedgerExport, VoucherExport, VoucherLine } from './export-model.js';
import { voucherPostings } from './formats/voucher-postings.js';

export async function exportCompanyOf(db: Db, companyId: string): Promise<ExportCompany> {
  const [company, settings] = await Promise.all([getCompany(db, companyId), getExpenseSettings(db, companyId)]);
  return {
    id: company.id,
    name: company.name,
    currency: company.currency,
    organisationNumber: settings.organisation_number,
    datevConsultantNumber: settings.datev_consultant_number,
    datevClientNumber: settings.datev_client_number,
    fiscalYearStartMonth: 1,
  };
}

type Books = Awaited<ReturnType<typeof loadBooks>>;
type DetailLine = Awaited<ReturnType<typeof exportDetailsOf>>['lines'][number];

/** What the batch holds: its expenses, and refunds (of expenses exported before) with the expenses they refund. */
export interface ExportItems {
  expenses: readonly ExpenseRow[];
  refunds: readonly ExpenseRefundRow[];
  refundedExpenses: readonly ExpenseRow[];
}

interface VoucherContext {
  lookup: Books;
  accounts: Map<string, ExportAccount>;
}

function voucherLine(context: VoucherContext, expenseId: string, line: Pick<DetailLine, 'category_id' | 'tax_code_id' | 'note'>, gross: bigint, text: string): VoucherLine {
  const category = line.category_id ? context.lookup.categories.get(line.category_id) : undefined;
  if (!category) throw new DomainError('expense_incomplete', `expense ${expenseId} has a line without a category`);
  const taxCode = line.tax_code_id ? context.lookup.taxCodes.get(line.tax_code_id) : undefined;
  // A negative line (a refund) takes back the VAT of the same positive amount.
  const sign = gross < 0n ? -1n : 1n;
  const split = taxCode ? splitVat(sign * gross, taxCode.rate_bp, taxCode.deductible_bp) : { vat: 0n, deductible: 0n };
  context.accounts.set(category.account_code, { code: category.account_code, name: category.name, type: 'expense' });
  if (taxCode?.vat_account_code && split.deductible > 0n) context.accounts.set(taxCode.vat_account_code, { code: taxCode.vat_account_code, name: 'Input VAT', type: 'asset' });
  return {
    accountCode: category.account_code,
    gross,
    vat: sign * split.vat,
    deductibleVat: sign * split.deductible,
    vatAccountCode: split.deductible > 0n ? (taxCode?.vat_account_code ?? null) : null,
    taxCode: taxCode?.code ?? null,
    taxRatePercent: taxCode ? ratePercent(taxCode.rate_bp) : null,
    datevTaxKey: taxCode?.datev_tax_key ?? null,
    text: line.note ?? text,
  };
}

/** An expense's lines as the books get them: as stored, or (when some of its refunds go to the
 * books as vouchers of their own) with those added back to the first line, VAT worked out anew. */
function expenseLines(context: VoucherContext, expense: ExpenseRow, lines: readonly DetailLine[], addedBack: bigint, text: string): VoucherLine[] {
  return lines.map((line, index) => {
    if (index > 0 || addedBack === 0n) {
      const stored = voucherLine(context, expense.id, line, line.amount, text);
      return { ...stored, vat: line.vat_amount, deductibleVat: line.deductible_vat, vatAccountCode: line.deductible_vat > 0n ? stored.vatAccountCode ?? null : null };
    }
    return voucherLine(context, expense.id, line, line.amount + addedBack, text);
  });
}

/**
 * The batch's expenses and refunds as vouchers, in date order, numbered from 1. An expense's
 * voucher is its amount plus those of its refunds that go to the books on their own (so that
 * the two add up to its amount); a fully refunded expense with none is left out, as there is
 * nothing to book. A refund's voucher is negative, dated its own day, in the category (and
 * tax code) of the expense's first line, and names the expense it refunds.
 */
export async function voucherExportOf(db: Db, companyId: string, items: ExportItems, from: string, to: string, now: Date): Promise<VoucherExport> {
  const [company, settings, lookup, groups] = await Promise.all([exportCompanyOf(db, companyId), getExpenseSettings(db, companyId), loadBooks(db, companyId), listTagGroups(db, companyId)]);
  const expenses = [...items.expenses, ...items.refundedExpenses];
  const ids = [...new Set(expenses.map((expense) => expense.id))];
  const [{ lines, tagLinks }, names, separate] = await Promise.all([
    exportDetailsOf(db, companyId, ids),
    namesOf(db, companyId, [...new Set(expenses.map((expense) => expense.user_id))]),
    separateRefundsOf(db, companyId, items.expenses.map((expense) => expense.id)),
  ]);
  const tags = new Map((await findTags(db, companyId, [...new Set(tagLinks.map((link) => link.tag_id))])).map((tag) => [tag.id, tag]));
  const groupNames = new Map(groups.map((group) => [group.id, group.name]));
  const context: VoucherContext = {
    lookup,
    accounts: new Map<string, ExportAccount>([
      [settings.wallet_account_code, { code: settings.wallet_account_code, name: 'Outlay card wallet', type: 'asset' }],
      [settings.payable_account_code, { code: settings.payable_account_code, name: 'Expenses owed to employees', type: 'liability' }],
    ]),
  };
  const byId = new Map(expenses.map((expense) => [expense.id, expense]));
  const linesOf = (id: string) => lines.filter((line) => line.expense_id === id);
  const base = (expense: ExpenseRow, text: string) => ({
    expenseId: expense.id,
    documentReference: expense.receipt_id ?? expense.card_transaction_id ?? expense.id,
    counterAccountCode: expense.kind === 'card' ? settings.wallet_account_code : settings.payable_account_code,
    person: names.get(expense.user_id) ?? expense.user_id,
    text,
    tags: tagLinks.filter((link) => link.expense_id === expense.id).flatMap((link) => {
      const tag = tags.get(link.tag_id);
      return tag ? [{ group: groupNames.get(tag.group_id) ?? '', name: tag.name }] : [];
    }),
  });
  const textOf = (expense: ExpenseRow) => `${expense.merchant ?? expense.kind.replace('_', ' ')} (${names.get(expense.user_id) ?? expense.user_id})`;
  const expenseVouchers = items.expenses.flatMap((expense) => {
    const addedBack = separate.get(expense.id) ?? 0n;
    const total = expense.amount + addedBack;
    if (total === 0n) return [];
    return [{ ...base(expense, textOf(expense)), date: expense.spent_on, total, lines: expenseLines(context, expense, linesOf(expense.id), addedBack, textOf(expense)) }];
  });
  const refundVouchers = items.refunds.map((refund) => {
    const expense = byId.get(refund.expense_id);
    const first = expense ? linesOf(expense.id)[0] : undefined;
    if (!expense || !first) throw new DomainError('expense_incomplete', `refund ${refund.transaction_id} names expense ${refund.expense_id}, which has no lines`);
    const text = `Refund: ${textOf(expense)}`;
    return { ...base(expense, text), date: refund.refunded_on, total: -refund.amount, lines: [voucherLine(context, expense.id, { ...first, note: null }, -refund.amount, text)] };
  });
  const ordered = [...expenseVouchers, ...refundVouchers].sort((a, b) => a.date.localeCompare(b.date) || a.expenseId.localeCompare(b.expenseId) || Number(a.total < b.total) - Number(b.total < a.total));
  const vouchers = ordered.map((voucher, index) => ({ number: index + 1, ...voucher }));
  return { company, from, to, generatedAt: now, accounts: [...context.accounts.values()].sort((a, b) => a.code.localeCompare(b.code)), vouchers };
}

/** The same vouchers as journal entries (for hledger): each voucher's postings as the books
 * take them (voucher-postings.ts), dated its day. No opening balances: the journal holds the
 * period's expenses and refunds, the same as every other format, not the ledger's entries. */
export function journalOfVouchers(model: VoucherExport): LedgerExport {
  return {
    company: model.company,
    from: model.from,
    to: model.to,
    generatedAt: model.generatedAt,
    accounts: model.accounts,
    openingBalances: [],
    entries: model.vouchers.map((voucher) => ({
      id: voucher.expenseId,
      date: voucher.date,
      description: voucher.text,
      postings: voucherPostings('hledger', voucher).map((posting) => ({ accountCode: posting.accountCode, amount: posting.amount })),
    })),
  };
}
