import type { Selectable, Updateable } from 'kysely';
import type { Db } from '../db/database.js';
import type { CompaniesTable } from '../db/schema.js';

export type CompanyRow = Selectable<CompaniesTable>;

export async function insertCompany(db: Db, row: { id: string; name: string; currency: string; timeZone: string; isPlatform: boolean }): Promise<CompanyRow> {
  return db
    .insertInto('companies')
    .values({ id: row.id, name: row.name, currency: row.currency, time_zone: row.timeZone, is_platform: row.isPlatform })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findCompany(db: Db, id: string): Promise<CompanyRow | undefined> {
  return db.selectFrom('companies').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Locks the company's row for a change of its settings. */
export async function lockCompany(db: Db, id: string): Promise<CompanyRow | undefined> {
  return db.selectFrom('companies').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function updateCompany(db: Db, id: string, patch: Pick<Updateable<CompaniesTable>, 'name' | 'time_zone' | 'locale' | 'require_mfa_for_admins'>): Promise<CompanyRow> {
  return db.updateTable('companies').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

/** The platform itself, the one company marked so. */
export async function findPlatformCompany(db: Db): Promise<CompanyRow | undefined> {
  return db.selectFrom('companies').selectAll().where('is_platform', '=', true).executeTakeFirst();
}

/** The customer companies (not the platform itself), oldest first. */
export async function listCompanies(db: Db): Promise<CompanyRow[]> {
  return db.selectFrom('companies').selectAll().where('is_platform', '=', false).orderBy('created_at').orderBy('id').execute();
}

/** How many customer companies there are (the platform itself not counted). */
export async function countCompanies(db: Db): Promise<number> {
  const row = await db.selectFrom('companies').where('is_platform', '=', false).select((eb) => eb.fn.countAll<bigint>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}
