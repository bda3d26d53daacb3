// SQL of bank statements, their entries, payment references and wallet alerts.
import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Db } from '../db/database.js';
import type { BankEntriesTable, BankStatementFilesTable, BankStatementsTable, BankEntryState } from '../db/schema.js';
import { walletAccount } from '../ledger/chart-of-accounts.js';

export type StatementFileRow = Selectable<BankStatementFilesTable>;
export type StatementRow = Selectable<BankStatementsTable>;
export type EntryRow = Selectable<BankEntriesTable>;

// --- Payment references -----------------------------------------------------------------------

export async function findReferenceOfCompany(db: Db, companyId: string): Promise<string | undefined> {
  return (await db.selectFrom('payment_references').select('reference').where('company_id', '=', companyId).executeTakeFirst())?.reference;
}

export async function insertReference(db: Db, companyId: string, reference: string): Promise<boolean> {
  const inserted = await db.insertInto('payment_references').values({ company_id: companyId, reference }).onConflict((oc) => oc.doNothing()).returning('reference').executeTakeFirst();
  return inserted !== undefined;
}

export async function findCompaniesByReferences(db: Db, references: readonly string[]): Promise<{ reference: string; company_id: string }[]> {
  if (references.length === 0) return [];
  return db.selectFrom('payment_references').select(['reference', 'company_id']).where('reference', 'in', references).execute();
}

// --- Wallet alerts ----------------------------------------------------------------------------

export async function findAlert(db: Db, companyId: string) {
  return db.selectFrom('wallet_alerts').selectAll().where('company_id', '=', companyId).executeTakeFirst();
}

export async function upsertAlertThreshold(db: Db, companyId: string, below: bigint | null) {
  return db
    .insertInto('wallet_alerts')
    .values({ company_id: companyId, low_balance_below: below })
    .onConflict((oc) => oc.column('company_id').doUpdateSet({ low_balance_below: below, alerted_at: null, updated_at: sql<Date>`now()` }))
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Companies with a threshold, with their wallet's available balance, after a company id. */
export async function listAlertCandidates(db: Db, after: string, limit: number) {
  // The ledger's wallet accounts are joined, read only: one query per page of the sweep, not one per company.
  const rows = await sql<{ company_id: string; low_balance_below: string; alerted_at: Date | null; available: string; currency: string }>`
    select w.company_id, w.low_balance_below, w.alerted_at,
           a.debits_posted - a.credits_posted - a.credits_pending as available, a.currency
    from wallet_alerts w
    join ledger_accounts a on a.company_id = w.company_id and a.code = ${walletAccount.code}
    where w.low_balance_below is not null and w.company_id > ${after}
    order by w.company_id
    limit ${limit}`.execute(db);
  return rows.rows.map((row) => ({ companyId: row.company_id, below: BigInt(row.low_balance_below), alertedAt: row.alerted_at, available: BigInt(row.available), currency: row.currency }));
}

export async function setAlerted(db: Db, companyId: string, at: Date | null): Promise<void> {
  await db.updateTable('wallet_alerts').set({ alerted_at: at }).where('company_id', '=', companyId).execute();
}

/** Claims the alert for this sweep: true in exactly one process. */
export async function claimAlert(db: Db, companyId: string, at: Date): Promise<boolean> {
  const row = await db.updateTable('wallet_alerts').set({ alerted_at: at }).where('company_id', '=', companyId).where('alerted_at', 'is', null).returning('company_id').executeTakeFirst();
  return row !== undefined;
}

// --- Statement files and statements -----------------------------------------------------------

export async function findFile(db: Db, companyId: string, id: string): Promise<StatementFileRow | undefined> {
  return db.selectFrom('bank_statement_files').selectAll().where('company_id', '=', companyId).where('id', '=', id).executeTakeFirst();
}

export async function findFileBySha(db: Db, companyId: string, sha256: string): Promise<StatementFileRow | undefined> {
  return db.selectFrom('bank_statement_files').selectAll().where('company_id', '=', companyId).where('sha256', '=', sha256).executeTakeFirst();
}

export async function markFileComplete(db: Db, companyId: string, id: string, at: Date): Promise<void> {
  await db.updateTable('bank_statement_files').set({ completed_at: at }).where('company_id', '=', companyId).where('id', '=', id).execute();
}

export async function insertFile(db: Db, row: Insertable<BankStatementFilesTable>): Promise<StatementFileRow> {
  return db.insertInto('bank_statement_files').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findStatementByFingerprint(db: Db, companyId: string, fingerprint: string): Promise<StatementRow | undefined> {
  return db.selectFrom('bank_statements').selectAll().where('company_id', '=', companyId).where('fingerprint', '=', fingerprint).executeTakeFirst();
}

export async function insertStatement(db: Db, row: Insertable<BankStatementsTable>): Promise<StatementRow> {
  return db.insertInto('bank_statements').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function lockStatement(db: Db, companyId: string, id: string): Promise<StatementRow | undefined> {
  return db.selectFrom('bank_statements').selectAll().where('company_id', '=', companyId).where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function findStatement(db: Db, companyId: string, id: string): Promise<StatementRow | undefined> {
  return db.selectFrom('bank_statements').selectAll().where('company_id', '=', companyId).where('id', '=', id).executeTakeFirst();
}

export async function updateStatement(db: Db, companyId: string, id: string, patch: Updateable<BankStatementsTable>): Promise<StatementRow> {
  return db.updateTable('bank_statements').set(patch).where('company_id', '=', companyId).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function listStatements(db: Db, companyId: string, filter: { state?: StatementRow['state']; before?: string; limit: number }): Promise<StatementRow[]> {
  let query = db.selectFrom('bank_statements').selectAll().where('company_id', '=', companyId);
  if (filter.state) query = query.where('state', '=', filter.state);
  if (filter.before) query = query.where('id', '<', filter.before);
  return query.orderBy('id', 'desc').limit(filter.limit).execute();
}

// --- Entries ----------------------------------------------------------------------------------

export async function insertEntries(db: Db, rows: readonly Insertable<BankEntriesTable>[]): Promise<void> {
  for (let start = 0; start < rows.length; start += 1_000) await db.insertInto('bank_entries').values(rows.slice(start, start + 1_000)).execute();
}

export async function listEntriesOfStatement(db: Db, companyId: string, statementId: string): Promise<EntryRow[]> {
  return db.selectFrom('bank_entries').selectAll().where('company_id', '=', companyId).where('statement_id', '=', statementId).orderBy('line').execute();
}

/** Another entry of the same transfer already reconciled (not held, not itself a duplicate). */
export async function findReconciledTransfer(db: Db, companyId: string, transferKey: string, exceptId: string): Promise<EntryRow | undefined> {
  return db
    .selectFrom('bank_entries')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('transfer_key', '=', transferKey)
    .where('id', '<>', exceptId)
    .where('state', 'not in', ['pending', 'duplicate'])
    .orderBy('id')
    .executeTakeFirst();
}

/** What the bank statements show paid of a payout batch so far (as a positive amount). */
export async function paidOfBatch(db: Db, companyId: string, batchId: string): Promise<bigint> {
  const row = await db
    .selectFrom('bank_entries')
    .select(sql<string>`coalesce(-sum(amount), 0)`.as('paid'))
    .where('company_id', '=', companyId)
    .where('payout_batch_id', '=', batchId)
    .where('state', '=', 'payout')
    .executeTakeFirstOrThrow();
  return BigInt(row.paid);
}

export async function lockEntry(db: Db, companyId: string, id: string): Promise<EntryRow | undefined> {
  return db.selectFrom('bank_entries').selectAll().where('company_id', '=', companyId).where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function updateEntry(db: Db, companyId: string, id: string, patch: Updateable<BankEntriesTable>): Promise<EntryRow> {
  return db.updateTable('bank_entries').set(patch).where('company_id', '=', companyId).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function listEntriesInState(db: Db, companyId: string, state: BankEntryState, before: string | undefined, limit: number): Promise<EntryRow[]> {
  let query = db.selectFrom('bank_entries').selectAll().where('company_id', '=', companyId).where('state', '=', state);
  if (before) query = query.where('id', '<', before);
  return query.orderBy('id', 'desc').limit(limit).execute();
}

/** A statement's entries by state, for its summary. */
export async function countEntriesByState(db: Db, companyId: string, statementIds: readonly string[]) {
  if (statementIds.length === 0) return [];
  const rows = await db
    .selectFrom('bank_entries')
    .select(['statement_id', 'state', sql<string>`count(*)`.as('count')])
    .where('company_id', '=', companyId)
    .where('statement_id', 'in', statementIds)
    .groupBy(['statement_id', 'state'])
    .execute();
  return rows.map((row) => ({ statementId: row.statement_id, state: row.state, count: Number(row.count) }));
}

