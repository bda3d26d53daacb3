// All SQL of the audit trail.
import type { Insertable } from 'kysely';
import type { Db } from '../db/database.js';
import type { AuditEventsTable } from '../db/schema.js';

export async function insertAuditEvent(db: Db, row: Insertable<AuditEventsTable>): Promise<void> {
  await db.insertInto('audit_events').values(row).execute();
}
