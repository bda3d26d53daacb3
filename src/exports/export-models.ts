// Builds the export models (export-model.ts) from the database: vouchers from approved
// expenses, and the ledger journal for hledger.
import { getCompany } from '../companies/companies.service.js';
import { localDateOf, localDateRange } from '../companies/company-calendar.js';
import type { Db } from '../db/database.js';
import { getExpenseSettings } from '../expenses/expense-settings.service.js';
import { loadBooks } from '../expenses/books-lookup.js';
import { exportDetailsOf } from '../expenses/expense-export-state.service.js';
import type { ExpenseRow } from '../expenses/expenses.service.js';
import { findTags, listTagGroups } from '../expenses/tags.service.js';
import { ratePercent } from '../expenses/vat.js';
import { journalOf } from '../ledger/ledger.service.js';
import { namesOf } from '../people/people.service.js';
import { DomainError } from '../shared/errors.js';
import type { ExportAccount, ExportCompany, LedgerExport, VoucherExport } from './export-model.js';

/** Journal entries one hledger export holds at most; a longer period is exported in parts. */
export const ledgerEntriesPerExportMax = 200_000;

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

/** The approved expenses of the batch as vouchers, in date order, numbered from 1. */
export async function voucherExportOf(db: Db, companyId: string, expenses: readonly ExpenseRow[], from: string, to: string, now: Date): Promise<VoucherExport> {
  const [company, settings, lookup, groups] = await Promise.all([exportCompanyOf(db, companyId), getExpenseSettings(db, companyId), loadBooks(db, companyId), listTagGroups(db, companyId)]);
  const ordered = [...expenses].sort((a, b) => a.spent_on.localeCompare(b.spent_on) || a.id.localeCompare(b.id));
  const ids = ordered.map((expense) => expense.id);
  const [{ lines, tagLinks }, names] = await Promise.all([
    exportDetailsOf(db, companyId, ids),
    namesOf(db, companyId, [...new Set(ordered.map((expense) => expense.user_id))]),
  ]);
  const tags = new Map((await findTags(db, companyId, [...new Set(tagLinks.map((link) => link.tag_id))])).map((tag) => [tag.id, tag]));
  const groupNames = new Map(groups.map((group) => [group.id, group.name]));
  const accounts = new Map<string, ExportAccount>([
    [settings.wallet_account_code, { code: settings.wallet_account_code, name: 'Outlay card wallet', type: 'asset' }],
    [settings.payable_account_code, { code: settings.payable_account_code, name: 'Expenses owed to employees', type: 'liability' }],
  ]);
  const vouchers = ordered.map((expense, index) => {
    const person = names.get(expense.user_id) ?? expense.user_id;
    const text = `${expense.merchant ?? expense.kind.replace('_', ' ')} (${person})`;
    return {
      number: index + 1,
      expenseId: expense.id,
      date: expense.spent_on,
      text,
      documentReference: expense.receipt_id ?? expense.card_transaction_id ?? expense.id,
      counterAccountCode: expense.kind === 'card' ? settings.wallet_account_code : settings.payable_account_code,
      total: expense.amount,
      person,
      tags: tagLinks.filter((link) => link.expense_id === expense.id).flatMap((link) => {
        const tag = tags.get(link.tag_id);
        return tag ? [{ group: groupNames.get(tag.group_id) ?? '', name: tag.name }] : [];
      }),
      lines: lines.filter((line) => line.expense_id === expense.id).map((line) => {
        const category = line.category_id ? lookup.categories.get(line.category_id) : undefined;
        if (!category) throw new DomainError('expense_incomplete', `expense ${expense.id} has a line without a category`);
        const taxCode = line.tax_code_id ? lookup.taxCodes.get(line.tax_code_id) : undefined;
        accounts.set(category.account_code, { code: category.account_code, name: category.name, type: 'expense' });
        if (taxCode?.vat_account_code && line.deductible_vat > 0n) accounts.set(taxCode.vat_account_code, { code: taxCode.vat_account_code, name: 'Input VAT', type: 'asset' });
        return {
          accountCode: category.account_code,
          gross: line.amount,
          vat: line.vat_amount,
          deductibleVat: line.deductible_vat,
          vatAccountCode: line.deductible_vat > 0n ? (taxCode?.vat_account_code ?? null) : null,
          taxCode: taxCode?.code ?? null,
          taxRatePercent: taxCode ? ratePercent(taxCode.rate_bp) : null,
          datevTaxKey: taxCode?.datev_tax_key ?? null,
          text: line.note ?? text,
        };
      }),
    };
  });
  return { company, from, to, generatedAt: now, accounts: [...accounts.values()].sort((a, b) => a.code.localeCompare(b.code)), vouchers };
}

/** The ledger's journal for the period, with each account's balance before it. */
export async function ledgerExportOf(db: Db, companyId: string, from: string, to: string, now: Date): Promise<LedgerExport> {
  const company = await exportCompanyOf(db, companyId);
  const { time_zone: timeZone } = await getCompany(db, companyId);
  const { start, end } = localDateRange(from, to, timeZone);
  const journal = await journalOf(db, companyId, start, end, ledgerEntriesPerExportMax);
  return {
    company,
    from,
    to,
    generatedAt: now,
    accounts: journal.accounts.map((account) => ({ code: account.code, name: account.name, type: account.type })),
    openingBalances: journal.openingBalances,
    entries: journal.entries.map((entry) => ({
      id: entry.id,
      date: localDateOf(entry.effective_at, timeZone),
      description: entry.description,
      postings: entry.postings,
    })),
  };
}
