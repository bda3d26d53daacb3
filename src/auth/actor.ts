// Who caused a change, as the audit trail, card events and expense history record it: a
// person, an API key, or Outlay itself (sweeps, syncs, the demo).

export interface Actor {
  actorType: 'user' | 'api_key' | 'system';
  actorId: string | null;
}

/** Outlay acting on its own. */
export const systemActor: Actor = { actorType: 'system', actorId: null };
