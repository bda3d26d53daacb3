// A company is the tenant: every other row belongs to one. Creating it opens its ledger.
import type { Db } from '../db/database.js';
import { openCompanyLedger } from '../ledger/ledger.service.js';
import { parseCurrency } from '../money/money.js';
import { DomainError, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { countPeopleByCompany } from '../people/people.service.js';
import { isTimeZone } from './company-calendar.js';
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

export async function createCompany(db: Db, input: CompanyInput): Promise<repo.CompanyRow> {
  const currency = parseCurrency(input.currency);
  const timeZone = checkTimeZone(input.timeZone ?? 'UTC');
  const name = input.name.trim();
  if (name.length === 0 || name.length > 200) throw new DomainError('validation_failed', 'a company name has 1 to 200 characters', 'name');
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

/** The customer companies (not the platform itself), oldest first, with how many people each has. */
export async function listCompanies(db: Db): Promise<(repo.CompanyRow & { people: number })[]> {
  const companies = await repo.listCompanies(db);
  const people = await countPeopleByCompany(db, companies.map((company) => company.id));
  return companies.map((company) => ({ ...company, people: people.get(company.id) ?? 0 }));
}
export const countCompanies = repo.countCompanies;
export const findPlatformCompany = repo.findPlatformCompany;
