// A company's expense settings: the review threshold, the mileage rate, the account codes
// its books use for the card wallet and for what is owed to employees, the debtor account
// reimbursements are paid from, and the numbers SIE and DATEV files carry.
import type { Updateable } from 'kysely';
import { getCompany } from '../companies/companies.service.js';
import type { Db } from '../db/database.js';
import type { ExpenseSettingsTable } from '../db/schema.js';
import { parseAmount } from '../money/money.js';
import { checkBankAccount, type BankAccount } from './bank-account.js';
import { checkAccountCode, checkName } from './book-fields.js';
import * as repo from './books.repository.js';

export type { ExpenseSettingsRow } from './books.repository.js';

/** The settings with the company's currency, which their amounts are in. */
export interface ExpenseSettingsView {
  settings: repo.ExpenseSettingsRow;
  currency: string;
}

/** The company's settings; a company that never changed them has the defaults. */
export async function getExpenseSettings(db: Db, companyId: string): Promise<repo.ExpenseSettingsRow> {
  return repo.ensureSettings(db, companyId);
}

export async function expenseSettingsOf(db: Db, companyId: string): Promise<ExpenseSettingsView> {
  const [settings, company] = await Promise.all([getExpenseSettings(db, companyId), getCompany(db, companyId)]);
  return { settings, currency: company.currency };
}

export interface ExpenseSettingsPatch {
  reviewThreshold?: string | null;
  mileageRate?: string;
  walletAccountCode?: string;
  payableAccountCode?: string;
  debtor?: { name: string; iban: string; bic?: string | null } | null;
  organisationNumber?: string | null;
  datevConsultantNumber?: number | null;
  datevClientNumber?: number | null;
}

/** The columns a patch changes, each checked; amounts are in the company's currency. */
function settingsChanges(patch: ExpenseSettingsPatch, debtor: BankAccount | null | undefined, currency: string): Updateable<ExpenseSettingsTable> {
  return {
    ...(patch.reviewThreshold !== undefined
      ? { review_threshold: patch.reviewThreshold === null ? null : parseAmount(patch.reviewThreshold, currency, { field: 'reviewThreshold', allowZero: true }) }
      : {}),
    ...(patch.mileageRate !== undefined ? { mileage_rate: parseAmount(patch.mileageRate, currency, { field: 'mileageRate', allowZero: true }) } : {}),
    ...(patch.walletAccountCode !== undefined ? { wallet_account_code: checkAccountCode(patch.walletAccountCode, 'walletAccountCode') } : {}),
    ...(patch.payableAccountCode !== undefined ? { payable_account_code: checkAccountCode(patch.payableAccountCode, 'payableAccountCode') } : {}),
    ...(debtor !== undefined ? { debtor_name: debtor?.name ?? null, debtor_iban: debtor?.iban ?? null, debtor_bic: debtor?.bic ?? null } : {}),
    ...(patch.organisationNumber !== undefined ? { organisation_number: patch.organisationNumber === null ? null : checkName(patch.organisationNumber, 'organisationNumber', 20) } : {}),
    ...(patch.datevConsultantNumber !== undefined ? { datev_consultant_number: patch.datevConsultantNumber } : {}),
    ...(patch.datevClientNumber !== undefined ? { datev_client_number: patch.datevClientNumber } : {}),
  };
}

export async function updateExpenseSettings(db: Db, companyId: string, patch: ExpenseSettingsPatch): Promise<ExpenseSettingsView> {
  const company = await getCompany(db, companyId);
  const debtor = patch.debtor ? checkBankAccount(patch.debtor, 'debtor') : patch.debtor;
  await repo.ensureSettings(db, companyId);
  return { settings: await repo.updateSettings(db, companyId, settingsChanges(patch, debtor, company.currency)), currency: company.currency };
}
