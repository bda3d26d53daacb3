// Builds the export models (export-model.ts) from the database: vouchers from approved
// expenses, and the ledger journal for hledger.
import { startOfLocalDay } from '../cards/spend-controls.js';
import { getCompany } from '../companies/companies.service.js';
import type { Db } from '../db/database.js';
import { ensureSettings, listTagGroups, findTags } from '../expenses/books.repository.js';
import { loadBooks } from '../expenses/expense-details.js';
import * as expensesRepo from '../expenses/expenses.repository.js';
import { ratePercent } from '../expenses/vat.js';
import { listAccounts, listEntriesBetween, listPostings, postedBalancesBefore } from '../ledger/ledger.repository.js';
import { listNames } from '../people/people.repository.js';
import { localDateOf } from '../receipts/receipt-matching.js';
import { DomainError } from '../shared/errors.js';
import type { ExportAccount, ExportCompany, LedgerExport, VoucherExport } from './export-model.js';

/** Journal entries one hledger export holds at most; a longer period is exported in parts. */
export const ledgerEntriesPerExportMax = 200_000;
const entriesPerQueryMax = 10_000;

export async function exportCompanyOf(db: Db, companyId: string): Promise<ExportCompany> {
  const [company, settings] = await Promise.all([getCompany(db, companyId), ensureSettings(db, companyId)]);
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
export async function voucherExportOf(db: Db, companyId: string, expenses: readonly expensesRepo.ExpenseRow[], from: string, to: string, now: Date): Promise<VoucherExport> {
  const [company, settings, lookup, groups] = await Promise.all([exportCompanyOf(db, companyId), ensureSettings(db, companyId), loadBooks(db, companyId), listTagGroups(db, companyId)]);
  const ordered = [...expenses].sort((a, b) => a.spent_on.localeCompare(b.spent_on) || a.id.localeCompare(b.id));
  const ids = ordered.map((expense) => expense.id);
  const [lines, tagLinks, people] = await Promise.all([
    expensesRepo.listLines(db, companyId, ids),
    expensesRepo.listTagIds(db, companyId, ids),
    listNames(db, companyId, [...new Set(ordered.map((expense) => expense.user_id))]),
  ]);
  const tags = new Map((await findTags(db, companyId, [...new Set(tagLinks.map((link) => link.tag_id))])).map((tag) => [tag.id, tag]));
  const groupNames = new Map(groups.map((group) => [group.id, group.name]));
  const names = new Map(people.map((person) => [person.id, person.name]));
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

const nextDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** The ledger's journal for the period, with each account's balance before it. */
export async function ledgerExportOf(db: Db, companyId: string, from: string, to: string, now: Date): Promise<LedgerExport> {
  const company = await exportCompanyOf(db, companyId);
  const { time_zone: timeZone } = await getCompany(db, companyId);
  const start = startOfLocalDay(Number(from.slice(0, 4)), Number(from.slice(5, 7)), Number(from.slice(8, 10)), timeZone);
  const endDay = nextDay(to);
  const end = startOfLocalDay(Number(endDay.slice(0, 4)), Number(endDay.slice(5, 7)), Number(endDay.slice(8, 10)), timeZone);
  const accounts = await listAccounts(db, companyId);
  const codeOf = new Map(accounts.map((account) => [account.id, account.code]));
  const entries = await listEntriesBetween(db, companyId, start, end, ledgerEntriesPerExportMax + 1);
  if (entries.length > ledgerEntriesPerExportMax) throw new DomainError('validation_failed', `the period holds more than ${ledgerEntriesPerExportMax} journal entries: export it in shorter parts`, 'to');
  const postings = new Map<string, { accountCode: string; amount: bigint }[]>();
  // Bound parameters are limited (65,535 in PostgreSQL's protocol): postings come in chunks.
  for (let start = 0; start < entries.length; start += entriesPerQueryMax) {
    for (const posting of await listPostings(db, companyId, entries.slice(start, start + entriesPerQueryMax).map((entry) => entry.id))) {
      const list = postings.get(posting.entry_id) ?? [];
      list.push({ accountCode: codeOf.get(posting.account_id)!, amount: posting.amount });
      postings.set(posting.entry_id, list);
    }
  }
  const opening = await postedBalancesBefore(db, companyId, start);
  return {
    company,
    from,
    to,
    generatedAt: now,
    accounts: accounts.map((account) => ({ code: account.code, name: account.name, type: account.type })),
    openingBalances: opening.map((row) => ({ accountCode: codeOf.get(row.account_id)!, amount: row.balance })),
    entries: entries.map((entry) => ({
      id: entry.id,
      date: localDateOf(entry.effective_at, timeZone),
      description: entry.description,
      postings: postings.get(entry.id) ?? [],
    })),
  };
}
