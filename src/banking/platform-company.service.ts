// The platform itself is a company: its people are the operators who import the top-up
// account's statements and keep its suspense queue, and its ledger holds the top-up account.
import { createCompany, findPlatformCompany, type CompanyRow } from '../companies/companies.service.js';
import type { Db } from '../db/database.js';
import { isUniqueViolation } from '../db/unique-violation.js';

const platformCompanyName = 'Outlay platform';

/** The platform company, made on first start (by whichever process gets there first). */
export async function ensurePlatformCompany(db: Db, currency: string): Promise<CompanyRow> {
  const existing = await findPlatformCompany(db);
  if (existing) return existing;
  try {
    return await createCompany(db, { name: platformCompanyName, currency, isPlatform: true });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const raced = await findPlatformCompany(db);
    if (!raced) throw error;
    return raced;
  }
}
