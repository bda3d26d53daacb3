// A company is the tenant: every other row belongs to one. Creating it opens its ledger.
import type { Actor } from '../auth/actor.js';
import { recordAudit } from '../audit/audit.service.js';
import type { Db } from '../db/database.js';
import { openCompanyLedger } from '../ledger/ledger.service.js';
import { parseCurrency } from '../money/money.js';
import { DomainError, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { countPeopleByCompany } from '../people/people.service.js';
import { isTimeZone, localDateRange } from './company-calendar.js';
import { companyLocales, isCompanyLocale } from './company-locale.js';
import * as repo from './companies.repository.js';

export type { CompanyRow } from './companies.repository.js';

export interface CompanyInput {
  name: string;
  currency: string;
  timeZone?: string;
  /** The platform itself (one only): its people are the operators. */
  isPlatform?: boolean;
}

function checkTimeZone(timeZone: string): string {
  if (!isTimeZone(timeZone)) throw new DomainError('validation_failed', `"${timeZone}" is not an IANA time zone such as Europe/Copenhagen`, 'timeZone');
  return timeZone;
}

function checkName(raw: string): string {
  const name = raw.trim();
  if (name.length === 0 || name.length > 200) throw new DomainError('validation_failed', 'a company name has 1 to 200 characters', 'name');
  return name;
}

function checkLocale(locale: string): string {
  if (!isCompanyLocale(locale)) throw new DomainError('validation_failed', `"${locale}" is not a locale Outlay offers; choose one of ${companyLocales.join(', ')}`, 'locale');
  return locale;
}

export async function createCompany(db: Db, input: CompanyInput): Promise<repo.CompanyRow> {
  const currency = parseCurrency(input.currency);
  const timeZone = checkTimeZone(input.timeZone ?? 'UTC');
  const name = checkName(input.name);
  return db.transaction().execute(async (trx) => {
    const company = await repo.insertCompany(trx, { id: newId('company'), name, currency, timeZone, isPlatform: input.isPlatform ?? false });
    await openCompanyLedger(trx, company.id, currency);
    return company;
  });
}

export async function getCompany(db: Db, id: string): Promise<repo.CompanyRow> {
  const company = await repo.findCompany(db, id);
  if (!company) throw notFound('company');
  return company;
}

export interface CompanySettingsInput {
  name?: string;
  timeZone?: string;
  locale?: string;
  /** Admins and bookkeepers must sign in with a second factor. */
  requireMfaForAdmins?: boolean;
}

/** Changes the company's name, time zone, locale or second-factor rule; every field is checked before anything
 * is written, and the change is audited with the values before and after. */
export async function updateCompanySettings(db: Db, companyId: string, actor: Actor, input: CompanySettingsInput): Promise<repo.CompanyRow> {
  const patch = {
    ...(input.name !== undefined ? { name: checkName(input.name) } : {}),
    ...(input.timeZone !== undefined ? { time_zone: checkTimeZone(input.timeZone) } : {}),
    ...(input.locale !== undefined ? { locale: checkLocale(input.locale) } : {}),
    ...(input.requireMfaForAdmins !== undefined ? { require_mfa_for_admins: input.requireMfaForAdmins } : {}),
  };
  return db.transaction().execute(async (trx) => {
    const before = await repo.lockCompany(trx, companyId);
    if (!before) throw notFound('company');
    const changed = Object.entries(patch).filter(([key, value]) => before[key as keyof typeof patch] !== value);
    if (changed.length === 0) return before;
    const after = await repo.updateCompany(trx, companyId, patch);
    const details = Object.fromEntries(changed.map(([key, value]) => [key, { from: before[key as keyof typeof patch], to: value }]));
    await recordAudit(trx, { companyId, ...actor, action: 'company.updated', subjectType: 'company', subjectId: companyId, details });
    return after;
  });
}

/** The customer companies (not the platform itself), oldest first, with how many people each has. */
export async function listCompanies(db: Db): Promise<(repo.CompanyRow & { people: number })[]> {
  const companies = await repo.listCompanies(db);
  const people = await countPeopleByCompany(db, companies.map((company) => company.id));
  return companies.map((company) => ({ ...company, people: people.get(company.id) ?? 0 }));
}
/** The instants of the company's calendar dates from and to (both included, either left
 * out): [start, end). */
export async function companyDateRange(db: Db, companyId: string, from: string | undefined, to: string | undefined): Promise<{ start?: Date; end?: Date }> {
  if (!from && !to) return {};
  const { time_zone: timeZone } = await getCompany(db, companyId);
  return {
    ...(from ? { start: localDateRange(from, from, timeZone).start } : {}),
    ...(to ? { end: localDateRange(to, to, timeZone).end } : {}),
  };
}

export const countCompanies = repo.countCompanies;
export const findPlatformCompany = repo.findPlatformCompany;
