// The audit trail: written in the transaction of the change it records.
import type { Db } from '../db/database.js';
import { newId } from '../shared/ids.js';

/** Who caused a change: a person, an API key, or Outlay itself. */
export interface Actor {
  actorType: 'user' | 'api_key' | 'system';
  actorId: string | null;
}

/** Outlay acting on its own: sweeps, syncs, the demo. */
export const systemActor: Actor = { actorType: 'system', actorId: null };

export interface AuditEvent {
  companyId: string;
  actorType: 'user' | 'api_key' | 'system';
  actorId: string | null;
  action: string;
  subjectType: string;
  subjectId: string;
  details?: Record<string, unknown>;
}

export async function recordAudit(db: Db, event: AuditEvent): Promise<void> {
  await db
    .insertInto('audit_events')
    .values({
      company_id: event.companyId,
      id: newId('audit'),
      actor_type: event.actorType,
      actor_id: event.actorId,
      action: event.action,
      subject_type: event.subjectType,
      subject_id: event.subjectId,
      details: JSON.stringify(event.details ?? {}),
    })
    .execute();
}
