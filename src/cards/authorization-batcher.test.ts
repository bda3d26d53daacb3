// How the batcher groups purchases: one batch in flight, everything that arrived meanwhile in
// the next; another beside it only once it has run past stalledAfterMs; one that fails as a
// whole decided one purchase at a time. The batches here are functions, no database.
import { describe, expect, it } from 'vitest';
import { AuthorizationBatcher, type BatchMember, type MemberResult } from './authorization-batch.js';
import type { AuthorizationOutcome, CheckedRequest } from './authorization-parts.js';

const member = (networkId: string): BatchMember => ({
  request: { networkId, cardId: 'card_1', amount: '1.00', currency: 'EUR', merchant: { id: null, name: 'M', mcc: '5812', country: 'DK' }, channel: 'online', kind: 'purchase', occurredAt: new Date(0) } satisfies CheckedRequest,
  merchantAmount: 100n,
  now: new Date(0),
});
const approved = (id: string): AuthorizationOutcome => ({ approved: true, declineReason: null, declinePeriod: null, transaction: { id } as never });

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('the authorization batcher', () => {
  it('runs one batch at a time, the purchases that arrived meanwhile together in the next', async () => {
    const batches: string[][] = [];
    const first = gate();
    const batcher = new AuthorizationBatcher({
      maxBatch: 100,
      maxConcurrent: 4,
      stalledAfterMs: 60_000,
      runBatch: async (members) => {
        batches.push(members.map((m) => m.request.networkId));
        if (batches.length === 1) await first.opened;
        return members.map((m): MemberResult => ({ outcome: approved(m.request.networkId) }));
      },
      runAlone: () => Promise.reject(new Error('not expected')),
    });
    const a = batcher.submit(member('a'));
    await new Promise((resolve) => setImmediate(resolve));
    const rest = ['b', 'c', 'd'].map((id) => batcher.submit(member(id)));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(batcher.load).toEqual({ waiting: 3, running: 1 });
    first.open();
    const answers = await Promise.all([a, ...rest]);
    expect(answers.map((answer) => answer.transaction?.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(batches).toEqual([['a'], ['b', 'c', 'd']]);
  });

  it('starts another batch beside one that runs past stalledAfterMs', async () => {
    const stuck = gate();
    const batches: string[][] = [];
    const batcher = new AuthorizationBatcher({
      maxBatch: 100,
      maxConcurrent: 2,
      stalledAfterMs: 40,
      runBatch: async (members) => {
        batches.push(members.map((m) => m.request.networkId));
        if (members.some((m) => m.request.networkId === 'stuck')) await stuck.opened;
        return members.map((m): MemberResult => ({ outcome: approved(m.request.networkId) }));
      },
      runAlone: () => Promise.reject(new Error('not expected')),
    });
    const held = batcher.submit(member('stuck'));
    await new Promise((resolve) => setImmediate(resolve));
    // Answered while the first batch is still waiting on its lock.
    expect((await batcher.submit(member('next'))).transaction?.id).toBe('next');
    await new Promise((resolve) => setImmediate(resolve));
    expect(batcher.load).toEqual({ waiting: 0, running: 1 });
    stuck.open();
    expect((await held).transaction?.id).toBe('stuck');
    expect(batches).toEqual([['stuck'], ['next']]);
  });

  it('decides every purchase of a batch that failed as a whole on its own, and gives each its own error', async () => {
    const alone: string[] = [];
    const batcher = new AuthorizationBatcher({
      maxBatch: 100,
      maxConcurrent: 1,
      stalledAfterMs: 60_000,
      runBatch: async (members) => {
        if (members.length > 1) throw new Error('a repeat recorded meanwhile');
        return [{ error: new Error('network id reused') }];
      },
      runAlone: async (m) => {
        alone.push(m.request.networkId);
        return approved(m.request.networkId);
      },
    });
    const both = await Promise.all([batcher.submit(member('x')), batcher.submit(member('y'))]);
    expect(both.map((answer) => answer.transaction?.id)).toEqual(['x', 'y']);
    expect(alone.sort()).toEqual(['x', 'y']);
    await expect(batcher.submit(member('z'))).rejects.toThrow('network id reused');
  });
});
