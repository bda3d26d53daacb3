// The audit trail: one row for each change that matters, written in the transaction of the
// change it records, so a change and its record commit or roll back together, with where the
// change came from (the request's client address and user agent). The table refuses updates
// and deletes (migration 0014): the trail is append-only.
import type { Actor } from '../auth/actor.js';
import type { Db } from '../db/database.js';
import { newId } from '../shared/ids.js';
import { currentOrigin } from '../shared/request-origin.js';
import * as repo from './audit.repository.js';

export interface AuditEvent extends Actor {
  companyId: string;
  action: string;
  subjectType: string;
  subjectId: string;
  details?: Record<string, unknown>;
}

export async function recordAudit(db: Db, event: AuditEvent): Promise<void> {
  await recordAudits(db, [event]);
}

/** Records many events with one insert. */
export async function recordAudits(db: Db, events: readonly AuditEvent[]): Promise<void> {
  const origin = currentOrigin();
  await repo.insertAuditEvents(
    db,
    events.map((event) => ({
      ip: origin?.ip ?? null,
      user_agent: origin?.userAgent ?? null,
      company_id: event.companyId,
      id: newId('audit'),
      actor_type: event.actorType,
      actor_id: event.actorId,
      action: event.action,
      subject_type: event.subjectType,
      subject_id: event.subjectId,
      details: JSON.stringify(event.details ?? {}),
    })),
  );
}
