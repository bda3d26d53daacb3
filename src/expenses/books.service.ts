// What the books are kept with, managed by admins and bookkeepers (expenses:manage): the
// expense settings, the chart of accounts, tax codes, tag groups and tags, per diem rates,
// team reviewers and closed periods; and each person's own payee account (their IBAN).
import { electronicFormatIBAN, isValidBIC, isValidIBAN } from 'ibantools';
import type { Db } from '../db/database.js';
import { isUniqueViolation } from '../db/unique-violation.js';
import { getCompany } from '../companies/companies.service.js';
import { parseAmount } from '../money/money.js';
import { getPerson } from '../people/people.service.js';
import { DomainError, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import * as repo from './books.repository.js';

export type { CategoryRow, ExpenseSettingsRow, PayeeAccountRow, PerDiemRateRow, TagGroupRow, TagRow, TaxCodeRow } from './books.repository.js';

export const categoriesMax = 500;
export const taxCodesMax = 100;
export const tagGroupsMax = 20;
export const tagsPerGroupMax = 500;
export const reviewersPerTeamMax = 20;

function checkName(value: string, field: string, lengthMax: number): string {
  const text = value.trim();
  if (text.length === 0 || text.length > lengthMax) throw new DomainError('validation_failed', `${field} has 1 to ${lengthMax} characters`, field);
  return text;
}

const accountCodePattern = /^[0-9A-Za-z]{1,10}$/;
function checkAccountCode(value: string, field: string): string {
  if (!accountCodePattern.test(value)) throw new DomainError('validation_failed', 'an account code has 1 to 10 letters or digits', field);
  return value;
}

// --- Settings ---------------------------------------------------------------------------------

export async function getExpenseSettings(db: Db, companyId: string): Promise<repo.ExpenseSettingsRow> {
  return repo.ensureSettings(db, companyId);
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

export interface BankAccount {
  name: string;
  iban: string;
  bic: string | null;
}

/** Checks an account holder, IBAN (ISO 13616 check digits) and optional BIC (ISO 9362). */
export function checkBankAccount(input: { name: string; iban: string; bic?: string | null }, field: string): BankAccount {
  const name = checkName(input.name, `${field}.name`, 70);
  const iban = electronicFormatIBAN(input.iban) ?? '';
  if (!isValidIBAN(iban)) throw new DomainError('validation_failed', `"${input.iban}" is not a valid IBAN`, `${field}.iban`);
  const bic = input.bic ? input.bic.replace(/\s+/g, '').toUpperCase() : null;
  if (bic !== null && !isValidBIC(bic)) throw new DomainError('validation_failed', `"${input.bic}" is not a valid BIC`, `${field}.bic`);
  return { name, iban, bic };
}

export async function updateExpenseSettings(db: Db, companyId: string, patch: ExpenseSettingsPatch): Promise<repo.ExpenseSettingsRow> {
  const company = await getCompany(db, companyId);
  const debtor = patch.debtor ? checkBankAccount(patch.debtor, 'debtor') : patch.debtor;
  await repo.ensureSettings(db, companyId);
  return repo.updateSettings(db, companyId, {
    ...(patch.reviewThreshold !== undefined
      ? { review_threshold: patch.reviewThreshold === null ? null : parseAmount(patch.reviewThreshold, company.currency, { field: 'reviewThreshold', allowZero: true }) }
      : {}),
    ...(patch.mileageRate !== undefined ? { mileage_rate: parseAmount(patch.mileageRate, company.currency, { field: 'mileageRate', allowZero: true }) } : {}),
    ...(patch.walletAccountCode !== undefined ? { wallet_account_code: checkAccountCode(patch.walletAccountCode, 'walletAccountCode') } : {}),
    ...(patch.payableAccountCode !== undefined ? { payable_account_code: checkAccountCode(patch.payableAccountCode, 'payableAccountCode') } : {}),
    ...(debtor !== undefined ? { debtor_name: debtor?.name ?? null, debtor_iban: debtor?.iban ?? null, debtor_bic: debtor?.bic ?? null } : {}),
    ...(patch.organisationNumber !== undefined ? { organisation_number: patch.organisationNumber === null ? null : checkName(patch.organisationNumber, 'organisationNumber', 20) } : {}),
    ...(patch.datevConsultantNumber !== undefined ? { datev_consultant_number: patch.datevConsultantNumber } : {}),
    ...(patch.datevClientNumber !== undefined ? { datev_client_number: patch.datevClientNumber } : {}),
  });
}

// --- Chart of accounts ------------------------------------------------------------------------

export interface CategoryInput {
  accountCode: string;
  name: string;
  allowedTeamIds?: string[] | null;
}

async function checkTeams(db: Db, companyId: string, teamIds: readonly string[] | null | undefined): Promise<string[] | null> {
  if (teamIds === null || teamIds === undefined) return null;
  const unique = [...new Set(teamIds)];
  const known = await db.selectFrom('teams').select('id').where('company_id', '=', companyId).where('id', 'in', unique.length > 0 ? unique : ['-']).execute();
  const missing = unique.find((id) => !known.some((team) => team.id === id));
  if (missing) throw new DomainError('not_found', 'team was not found', 'allowedTeamIds');
  return unique;
}

export async function createCategory(db: Db, companyId: string, input: CategoryInput): Promise<repo.CategoryRow> {
  if ((await repo.listCategories(db, companyId)).length >= categoriesMax) throw new DomainError('validation_failed', `a chart of accounts holds at most ${categoriesMax} categories`);
  try {
    return await repo.insertCategory(db, {
      company_id: companyId,
      id: newId('category'),
      account_code: checkAccountCode(input.accountCode, 'accountCode'),
      name: checkName(input.name, 'name', 100),
      allowed_team_ids: await checkTeams(db, companyId, input.allowedTeamIds),
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError('conflict', `account ${input.accountCode} is in the chart already`, 'accountCode');
    throw error;
  }
}

export async function updateCategory(db: Db, companyId: string, id: string, patch: Partial<CategoryInput> & { active?: boolean }): Promise<repo.CategoryRow> {
  const updated = await repo.updateCategory(db, companyId, id, {
    ...(patch.name !== undefined ? { name: checkName(patch.name, 'name', 100) } : {}),
    ...(patch.allowedTeamIds !== undefined ? { allowed_team_ids: await checkTeams(db, companyId, patch.allowedTeamIds) } : {}),
    ...(patch.active !== undefined ? { active: patch.active } : {}),
  });
  if (!updated) throw notFound('category');
  return updated;
}

export const listCategories = repo.listCategories;

// --- Tax codes --------------------------------------------------------------------------------

export interface TaxCodeInput {
  code: string;
  name: string;
  /** Percent as a decimal string, e.g. "25" or "7.5". */
  rate: string;
  /** Percent of the VAT that may be deducted, e.g. "100" or "25". */
  deductible?: string;
  vatAccountCode?: string | null;
  datevTaxKey?: number | null;
}

/** "25" → 2500, "7.5" → 750: percentages with at most two decimals, as basis points. */
export function percentToBasisPoints(value: string, field: string): number {
  const match = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(value);
  const basisPoints = match ? Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0')) : Number.NaN;
  if (!(basisPoints >= 0 && basisPoints <= 10000)) throw new DomainError('validation_failed', `${field} is a percentage from 0 to 100 with at most two decimals, e.g. "25" or "7.5"`, field);
  return basisPoints;
}

export async function createTaxCode(db: Db, companyId: string, input: TaxCodeInput): Promise<repo.TaxCodeRow> {
  if (!/^[0-9A-Za-z_-]{1,20}$/.test(input.code)) throw new DomainError('validation_failed', 'a tax code has 1 to 20 letters, digits, _ or -', 'code');
  if ((await repo.listTaxCodes(db, companyId)).length >= taxCodesMax) throw new DomainError('validation_failed', `at most ${taxCodesMax} tax codes`);
  const rate = percentToBasisPoints(input.rate, 'rate');
  const deductible = percentToBasisPoints(input.deductible ?? '100', 'deductible');
  if (rate > 0 && deductible > 0 && !input.vatAccountCode) throw new DomainError('validation_failed', 'deductible VAT needs the account it is booked to', 'vatAccountCode');
  try {
    return await repo.insertTaxCode(db, {
      company_id: companyId,
      id: newId('taxCode'),
      code: input.code,
      name: checkName(input.name, 'name', 100),
      rate_bp: rate,
      deductible_bp: deductible,
      vat_account_code: input.vatAccountCode ? checkAccountCode(input.vatAccountCode, 'vatAccountCode') : null,
      datev_tax_key: input.datevTaxKey ?? null,
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError('conflict', `tax code ${input.code} exists already`, 'code');
    throw error;
  }
}

/** Tax codes are never changed in place (booked expenses refer to them): only retired. */
export async function setTaxCodeActive(db: Db, companyId: string, id: string, active: boolean): Promise<repo.TaxCodeRow> {
  const updated = await repo.updateTaxCode(db, companyId, id, { active });
  if (!updated) throw notFound('tax code');
  return updated;
}

export const listTaxCodes = repo.listTaxCodes;

// --- Tags -------------------------------------------------------------------------------------

export async function createTagGroup(db: Db, companyId: string, name: string): Promise<repo.TagGroupRow> {
  if ((await repo.listTagGroups(db, companyId)).length >= tagGroupsMax) throw new DomainError('validation_failed', `at most ${tagGroupsMax} tag groups`);
  try {
    return await repo.insertTagGroup(db, { company_id: companyId, id: newId('tagGroup'), name: checkName(name, 'name', 60) });
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError('conflict', `a tag group "${name}" exists already`, 'name');
    throw error;
  }
}

export async function createTag(db: Db, companyId: string, groupId: string, name: string): Promise<repo.TagRow> {
  const group = await repo.findTagGroup(db, companyId, groupId);
  if (!group) throw notFound('tag group');
  if ((await repo.listTags(db, companyId)).filter((tag) => tag.group_id === groupId).length >= tagsPerGroupMax) throw new DomainError('validation_failed', `at most ${tagsPerGroupMax} tags in a group`);
  try {
    return await repo.insertTag(db, { company_id: companyId, id: newId('tag'), group_id: groupId, name: checkName(name, 'name', 60) });
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError('conflict', `the group has a tag "${name}" already`, 'name');
    throw error;
  }
}

export async function setTagActive(db: Db, companyId: string, id: string, active: boolean): Promise<repo.TagRow> {
  const updated = await repo.updateTag(db, companyId, id, { active });
  if (!updated) throw notFound('tag');
  return updated;
}

export async function listTagGroups(db: Db, companyId: string): Promise<repo.TagGroupRow[]> {
  return repo.listTagGroups(db, companyId);
}

/** The tags with these ids (those of another company are not found). */
export async function findTags(db: Db, companyId: string, ids: readonly string[]): Promise<repo.TagRow[]> {
  return repo.findTags(db, companyId, ids);
}

export async function listTagGroupsWithTags(db: Db, companyId: string) {
  const [groups, tags] = await Promise.all([repo.listTagGroups(db, companyId), repo.listTags(db, companyId)]);
  return groups.map((group) => ({ group, tags: tags.filter((tag) => tag.group_id === group.id) }));
}

// --- Per diem rates ---------------------------------------------------------------------------

export async function setPerDiemRate(db: Db, companyId: string, country: string, dailyRate: string): Promise<repo.PerDiemRateRow> {
  if (!/^[A-Z]{2}$/.test(country)) throw new DomainError('validation_failed', 'a country is an ISO 3166-1 alpha-2 code such as DE', 'country');
  const company = await getCompany(db, companyId);
  return repo.upsertPerDiemRate(db, companyId, country, parseAmount(dailyRate, company.currency, { field: 'dailyRate' }));
}

export async function removePerDiemRate(db: Db, companyId: string, country: string): Promise<void> {
  if (!(await repo.deletePerDiemRate(db, companyId, country))) throw notFound('per diem rate');
}

export const listPerDiemRates = repo.listPerDiemRates;

// --- Team reviewers ---------------------------------------------------------------------------

/** Sets who reviews a team's expenses; each must be able to review (reviewer or admin). */
export async function setTeamReviewers(db: Db, companyId: string, teamId: string, userIds: readonly string[]): Promise<string[]> {
  const unique = [...new Set(userIds)];
  if (unique.length > reviewersPerTeamMax) throw new DomainError('validation_failed', `at most ${reviewersPerTeamMax} reviewers per team`, 'userIds');
  const team = await db.selectFrom('teams').select('id').where('company_id', '=', companyId).where('id', '=', teamId).executeTakeFirst();
  if (!team) throw notFound('team');
  for (const userId of unique) {
    const person = await getPerson(db, companyId, userId);
    if (!person.roles.some((role) => role === 'reviewer' || role === 'admin')) {
      throw new DomainError('validation_failed', `${person.name} is neither a reviewer nor an admin`, 'userIds');
    }
  }
  await db.transaction().execute((trx) => repo.replaceTeamReviewers(trx, companyId, teamId, unique));
  return unique;
}

export const listTeamReviewers = repo.listTeamReviewers;

// --- Closed periods ---------------------------------------------------------------------------

const periodPattern = /^\d{4}-(0[1-9]|1[0-2])$/;
export function checkPeriod(period: string): string {
  if (!periodPattern.test(period)) throw new DomainError('validation_failed', 'a period is a month, YYYY-MM', 'period');
  return period;
}

export async function closePeriod(db: Db, companyId: string, period: string, closedBy: string): Promise<void> {
  if (!(await repo.insertClosedPeriod(db, companyId, checkPeriod(period), closedBy))) throw new DomainError('conflict', `${period} is closed already`, 'period');
}

export async function reopenPeriod(db: Db, companyId: string, period: string): Promise<void> {
  if (!(await repo.deleteClosedPeriod(db, companyId, checkPeriod(period)))) throw notFound('closed period');
}

export const listClosedPeriods = repo.listClosedPeriods;

/** Refuses a change to an expense of a closed month. */
export async function checkPeriodOpen(db: Db, companyId: string, spentOn: string): Promise<void> {
  const period = spentOn.slice(0, 7);
  if (await repo.isPeriodClosed(db, companyId, period)) throw new DomainError('period_closed', `${period} is closed: its expenses cannot change`);
}

// --- Payee accounts ---------------------------------------------------------------------------

export async function setPayeeAccount(db: Db, companyId: string, userId: string, input: { holderName: string; iban: string; bic?: string | null }): Promise<repo.PayeeAccountRow> {
  const account = checkBankAccount({ name: input.holderName, iban: input.iban, bic: input.bic }, 'payeeAccount');
  return repo.upsertPayeeAccount(db, { company_id: companyId, user_id: userId, holder_name: account.name, iban: account.iban, bic: account.bic });
}

export const findPayeeAccount = repo.findPayeeAccount;

/** The bank accounts on file of these people (those without one are left out). */
export async function findPayeeAccounts(db: Db, companyId: string, userIds: readonly string[]): Promise<repo.PayeeAccountRow[]> {
  return repo.findPayeeAccounts(db, companyId, userIds);
}
