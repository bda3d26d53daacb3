// SQL of export batches. The export state of expenses is the expenses module's
// (expense-export-state.service.ts).
import { type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Db } from '../db/database.js';
import type { ExportBatchesTable } from '../db/schema.js';

export type ExportBatchRow = Selectable<ExportBatchesTable>;

export async function insertBatch(db: Db, row: Insertable<ExportBatchesTable>): Promise<ExportBatchRow> {
  return db.insertInto('export_batches').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findBatch(db: Db, companyId: string, id: string): Promise<ExportBatchRow | undefined> {
  return db.selectFrom('export_batches').selectAll().where('company_id', '=', companyId).where('id', '=', id).executeTakeFirst();
}

/** The batch locked until the transaction ends: the one writer of its outcome. */
export async function lockBatch(db: Db, companyId: string, id: string): Promise<ExportBatchRow | undefined> {
  return db.selectFrom('export_batches').selectAll().where('company_id', '=', companyId).where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Batches of every company still being written that were asked for before `before`. */
export async function findStaleBatches(db: Db, before: Date, limit: number): Promise<Pick<ExportBatchRow, 'company_id' | 'id'>[]> {
  return db.selectFrom('export_batches').select(['company_id', 'id']).where('state', '=', 'exporting').where('created_at', '<', before).orderBy('created_at').limit(limit).execute();
}

export async function findLatestBatch(db: Db, companyId: string): Promise<ExportBatchRow | undefined> {
  return db.selectFrom('export_batches').selectAll().where('company_id', '=', companyId).orderBy('id', 'desc').limit(1).executeTakeFirst();
}

export async function updateBatch(db: Db, companyId: string, id: string, patch: Updateable<ExportBatchesTable>): Promise<ExportBatchRow> {
  return db.updateTable('export_batches').set(patch).where('company_id', '=', companyId).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function listBatches(db: Db, companyId: string, before: string | undefined, limit: number): Promise<ExportBatchRow[]> {
  let query = db.selectFrom('export_batches').selectAll().where('company_id', '=', companyId);
  if (before) query = query.where('id', '<', before);
  return query.orderBy('id', 'desc').limit(limit).execute();
}
