// All SQL of the audit trail.
import type { Insertable, Selectable } from 'kysely';
import type { Db } from '../db/database.js';
import type { AuditEventsTable } from '../db/schema.js';

export async function insertAuditEvents(db: Db, rows: readonly Insertable<AuditEventsTable>[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('audit_events').values([...rows]).execute();
}

export type AuditEventRow = Selectable<AuditEventsTable>;

export interface AuditFilter {
  companyId: string;
  actorId?: string;
  action?: string;
  subjectType?: string;
  subjectId?: string;
  /** Instants: from inclusive, until exclusive. */
  from?: Date;
  until?: Date;
  before?: string;
  limit: number;
}

/** Newest first (ids are time-ordered), one page. */
export async function listAuditEvents(db: Db, filter: AuditFilter): Promise<AuditEventRow[]> {
  let query = db.selectFrom('audit_events').selectAll().where('company_id', '=', filter.companyId);
  if (filter.actorId) query = query.where('actor_id', '=', filter.actorId);
  if (filter.action) query = query.where('action', '=', filter.action);
  if (filter.subjectType) query = query.where('subject_type', '=', filter.subjectType);
  if (filter.subjectId) query = query.where('subject_id', '=', filter.subjectId);
  if (filter.from) query = query.where('created_at', '>=', filter.from);
  if (filter.until) query = query.where('created_at', '<', filter.until);
  if (filter.before) query = query.where('id', '<', filter.before);
  return query.orderBy('id', 'desc').limit(filter.limit).execute();
}
