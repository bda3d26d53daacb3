// Who hears a live event, and which streams a session's end closes. Pure, in precedence
// order: another company's event never, then the people it names, then those whose
// permissions show every such item.
import type { LiveEvent, SessionEnded } from '../shared/live-events.js';

export interface Listener {
  companyId: string;
  userId: string;
  sessionId: string;
  permissions: ReadonlySet<string>;
}

export type Hearing = { hears: false; reason: 'other_company' | 'not_for_you' } | { hears: true; reason: 'named' | 'permission' };

export function hearing(listener: Listener, event: LiveEvent): Hearing {
  if (event.companyId !== listener.companyId) return { hears: false, reason: 'other_company' };
  if (event.audience.userIds.includes(listener.userId)) return { hears: true, reason: 'named' };
  if (event.audience.permission !== null && listener.permissions.has(event.audience.permission)) return { hears: true, reason: 'permission' };
  return { hears: false, reason: 'not_for_you' };
}

/** Whether the end of a session (or of all of a person's) closes the listener's stream. */
export function endsStream(listener: Listener, ended: SessionEnded): boolean {
  if (ended.companyId !== listener.companyId) return false;
  return ended.sessionId === listener.sessionId || ended.userId === listener.userId;
}
