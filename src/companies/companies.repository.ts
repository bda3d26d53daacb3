import type { Selectable } from 'kysely';
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

/** The customer companies (not the platform itself), oldest first. */
export async function listCompanies(db: Db): Promise<(CompanyRow & { people: number })[]> {
  const rows = await db
    .selectFrom('companies')
    .leftJoin('users', 'users.company_id', 'companies.id')
    .where('companies.is_platform', '=', false)
    .selectAll('companies')
    .select((eb) => eb.fn.count<bigint>('users.id').as('people'))
    .groupBy('companies.id')
    .orderBy('companies.created_at')
    .execute();
  return rows.map((row) => ({ ...row, people: Number(row.people) }));
}

/** How many customer companies there are (the platform itself not counted). */
export async function countCompanies(db: Db): Promise<number> {
  const row = await db.selectFrom('companies').where('is_platform', '=', false).select((eb) => eb.fn.countAll<bigint>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}
