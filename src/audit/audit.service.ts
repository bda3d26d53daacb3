// The audit trail: one row for each change that matters, written in the transaction of the
// change it records, so a change and its record commit or roll back together.
import type { Actor } from '../auth/actor.js';
import type { Db } from '../db/database.js';
import { newId } from '../shared/ids.js';
import * as repo from './audit.repository.js';

export interface AuditEvent extends Actor {
  companyId: string;
  action: string;
  subjectType: string;
  subjectId: string;
  details?: Record<string, unknown>;
}

export async function recordAudit(db: Db, event: AuditEvent): Promise<void> {
  await repo.insertAuditEvent(db, {
    company_id: event.companyId,
    id: newId('audit'),
    actor_type: event.actorType,
    actor_id: event.actorId,
    action: event.action,
    subject_type: event.subjectType,
    subject_id: event.subjectId,
    details: JSON.stringify(event.details ?? {}),
  });
}
