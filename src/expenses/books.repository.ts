// SQL of what the books are kept with: expense settings, the chart of accounts, tax codes,
// tags, per diem rates, team reviewers, closed periods and payee accounts. One service per
// kind of thing uses it (expense-settings.service.ts, categories.service.ts, ...).
import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Db } from '../db/database.js';
import type {
  ClosedPeriodsTable,
  ExpenseCategoriesTable,
  ExpenseSettingsTable,
  PayeeAccountsTable,
  PerDiemRatesTable,
  TagGroupsTable,
  TagsTable,
  TaxCodesTable,
} from '../db/schema.js';

export type ExpenseSettingsRow = Selectable<ExpenseSettingsTable>;
export type CategoryRow = Selectable<ExpenseCategoriesTable>;
export type TaxCodeRow = Selectable<TaxCodesTable>;
export type TagGroupRow = Selectable<TagGroupsTable>;
export type TagRow = Selectable<TagsTable>;
export type PerDiemRateRow = Selectable<PerDiemRatesTable>;
export type PayeeAccountRow = Selectable<PayeeAccountsTable>;
export type ClosedPeriodRow = Selectable<ClosedPeriodsTable>;

// --- Settings ---------------------------------------------------------------------------------

/** The company's expense settings, made with their defaults the first time they are asked for
 * (one statement when they exist, as they nearly always do). */
export async function ensureSettings(db: Db, companyId: string): Promise<ExpenseSettingsRow> {
  const existing = await db.selectFrom('expense_settings').selectAll().where('company_id', '=', companyId).executeTakeFirst();
  if (existing) return existing;
  await db.insertInto('expense_settings').values({ company_id: companyId }).onConflict((oc) => oc.column('company_id').doNothing()).execute();
  return db.selectFrom('expense_settings').selectAll().where('company_id', '=', companyId).executeTakeFirstOrThrow();
}

export async function updateSettings(db: Db, companyId: string, patch: Updateable<ExpenseSettingsTable>): Promise<ExpenseSettingsRow> {
  return db.updateTable('expense_settings').set({ ...patch, updated_at: sql<Date>`now()` }).where('company_id', '=', companyId).returningAll().executeTakeFirstOrThrow();
}

// --- Chart of accounts ------------------------------------------------------------------------

export async function insertCategory(db: Db, row: Insertable<ExpenseCategoriesTable>): Promise<CategoryRow> {
  return db.insertInto('expense_categories').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateCategory(db: Db, companyId: string, id: string, patch: Updateable<ExpenseCategoriesTable>): Promise<CategoryRow | undefined> {
  return db.updateTable('expense_categories').set(patch).where('company_id', '=', companyId).where('id', '=', id).returningAll().executeTakeFirst();
}

export async function listCategories(db: Db, companyId: string): Promise<CategoryRow[]> {
  return db.selectFrom('expense_categories').selectAll().where('company_id', '=', companyId).orderBy('account_code').execute();
}

// --- Tax codes --------------------------------------------------------------------------------

export async function insertTaxCode(db: Db, row: Insertable<TaxCodesTable>): Promise<TaxCodeRow> {
  return db.insertInto('tax_codes').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateTaxCode(db: Db, companyId: string, id: string, patch: Updateable<TaxCodesTable>): Promise<TaxCodeRow | undefined> {
  return db.updateTable('tax_codes').set(patch).where('company_id', '=', companyId).where('id', '=', id).returningAll().executeTakeFirst();
}

export async function listTaxCodes(db: Db, companyId: string): Promise<TaxCodeRow[]> {
  return db.selectFrom('tax_codes').selectAll().where('company_id', '=', companyId).orderBy('code').execute();
}

// --- Tags -------------------------------------------------------------------------------------

export async function insertTagGroup(db: Db, row: Insertable<TagGroupsTable>): Promise<TagGroupRow> {
  return db.insertInto('tag_groups').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findTagGroup(db: Db, companyId: string, id: string): Promise<TagGroupRow | undefined> {
  return db.selectFrom('tag_groups').selectAll().where('company_id', '=', companyId).where('id', '=', id).executeTakeFirst();
}

export async function listTagGroups(db: Db, companyId: string): Promise<TagGroupRow[]> {
  return db.selectFrom('tag_groups').selectAll().where('company_id', '=', companyId).orderBy('name').execute();
}

export async function insertTag(db: Db, row: Insertable<TagsTable>): Promise<TagRow> {
  return db.insertInto('tags').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateTag(db: Db, companyId: string, id: string, patch: Updateable<TagsTable>): Promise<TagRow | undefined> {
  return db.updateTable('tags').set(patch).where('company_id', '=', companyId).where('id', '=', id).returningAll().executeTakeFirst();
}

export async function listTags(db: Db, companyId: string): Promise<TagRow[]> {
  return db.selectFrom('tags').selectAll().where('company_id', '=', companyId).orderBy('name').execute();
}

export async function findTags(db: Db, companyId: string, ids: readonly string[]): Promise<TagRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('tags').selectAll().where('company_id', '=', companyId).where('id', 'in', ids).execute();
}

// --- Per diem rates ---------------------------------------------------------------------------

export async function upsertPerDiemRate(db: Db, companyId: string, country: string, dailyRate: bigint): Promise<PerDiemRateRow> {
  return db
    .insertInto('per_diem_rates')
    .values({ company_id: companyId, country, daily_rate: dailyRate })
    .onConflict((oc) => oc.columns(['company_id', 'country']).doUpdateSet({ daily_rate: dailyRate, updated_at: sql<Date>`now()` }))
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deletePerDiemRate(db: Db, companyId: string, country: string): Promise<boolean> {
  const result = await db.deleteFrom('per_diem_rates').where('company_id', '=', companyId).where('country', '=', country).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function listPerDiemRates(db: Db, companyId: string): Promise<PerDiemRateRow[]> {
  return db.selectFrom('per_diem_rates').selectAll().where('company_id', '=', companyId).orderBy('country').execute();
}

export async function findPerDiemRate(db: Db, companyId: string, country: string): Promise<PerDiemRateRow | undefined> {
  return db.selectFrom('per_diem_rates').selectAll().where('company_id', '=', companyId).where('country', '=', country).executeTakeFirst();
}

// --- Team reviewers ---------------------------------------------------------------------------

export async function replaceTeamReviewers(db: Db, companyId: string, teamId: string, userIds: readonly string[]): Promise<void> {
  await db.deleteFrom('team_reviewers').where('company_id', '=', companyId).where('team_id', '=', teamId).execute();
  if (userIds.length > 0) await db.insertInto('team_reviewers').values(userIds.map((userId) => ({ company_id: companyId, team_id: teamId, user_id: userId }))).execute();
}

export async function listTeamReviewers(db: Db, companyId: string): Promise<{ team_id: string; user_id: string }[]> {
  return db.selectFrom('team_reviewers').select(['team_id', 'user_id']).where('company_id', '=', companyId).orderBy('team_id').orderBy('user_id').execute();
}

// --- Closed periods ---------------------------------------------------------------------------

/** The period closed now, or undefined when it was closed already. */
export async function insertClosedPeriod(db: Db, companyId: string, period: string, closedBy: string): Promise<ClosedPeriodRow | undefined> {
  return db
    .insertInto('closed_periods')
    .values({ company_id: companyId, period, closed_by: closedBy })
    .onConflict((oc) => oc.columns(['company_id', 'period']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function deleteClosedPeriod(db: Db, companyId: string, period: string): Promise<boolean> {
  const result = await db.deleteFrom('closed_periods').where('company_id', '=', companyId).where('period', '=', period).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function listClosedPeriods(db: Db, companyId: string): Promise<ClosedPeriodRow[]> {
  return db.selectFrom('closed_periods').selectAll().where('company_id', '=', companyId).orderBy('period', 'desc').execute();
}

export async function isPeriodClosed(db: Db, companyId: string, period: string): Promise<boolean> {
  const row = await db.selectFrom('closed_periods').select('period').where('company_id', '=', companyId).where('period', '=', period).executeTakeFirst();
  return row !== undefined;
}

// --- Payee accounts ---------------------------------------------------------------------------

export async function upsertPayeeAccount(db: Db, row: Insertable<PayeeAccountsTable>): Promise<PayeeAccountRow> {
  return db
    .insertInto('payee_accounts')
    .values(row)
    .onConflict((oc) => oc.columns(['company_id', 'user_id']).doUpdateSet({ holder_name: row.holder_name, iban: row.iban, bic: row.bic ?? null, updated_at: sql<Date>`now()` }))
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findPayeeAccount(db: Db, companyId: string, userId: string): Promise<PayeeAccountRow | undefined> {
  return db.selectFrom('payee_accounts').selectAll().where('company_id', '=', companyId).where('user_id', '=', userId).executeTakeFirst();
}

export async function findPayeeAccounts(db: Db, companyId: string, userIds: readonly string[]): Promise<PayeeAccountRow[]> {
  if (userIds.length === 0) return [];
  return db.selectFrom('payee_accounts').selectAll().where('company_id', '=', companyId).where('user_id', 'in', userIds).execute();
}
