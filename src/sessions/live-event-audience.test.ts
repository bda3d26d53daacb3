import { describe, expect, it } from 'vitest';
import type { LiveEvent } from '../shared/live-events.js';
import { endsStream, hearing, type Hearing, type Listener } from './live-event-audience.js';

const emma: Listener = { companyId: 'cmp_a', userId: 'usr_emma', sessionId: 'ses_emma', permissions: new Set(['company:read']) };
const admin: Listener = { companyId: 'cmp_a', userId: 'usr_admin', sessionId: 'ses_admin', permissions: new Set(['company:read', 'transactions:read']) };
const stranger: Listener = { ...admin, companyId: 'cmp_b' };
const purchase = (companyId: string, userIds: string[], permission: string | null): LiveEvent => ({
  companyId,
  type: 'card_transaction.authorized',
  subject: { type: 'card_transaction', id: 'ctx_1' },
  audience: { userIds, permission },
});

describe('hearing', () => {
  // One row a case, in precedence order.
  const table: [string, Listener, LiveEvent, Hearing][] = [
    ['another company\'s event, even one naming the same person id', { ...emma, companyId: 'cmp_b' }, purchase('cmp_a', ['usr_emma'], null), { hears: false, reason: 'other_company' }],
    ['another company\'s event for a permission the listener holds', stranger, purchase('cmp_a', [], 'transactions:read'), { hears: false, reason: 'other_company' }],
    ['the cardholder named by the event', emma, purchase('cmp_a', ['usr_emma'], 'transactions:read'), { hears: true, reason: 'named' }],
    ['an admin through transactions:read', admin, purchase('cmp_a', ['usr_emma'], 'transactions:read'), { hears: true, reason: 'permission' }],
    ['a colleague neither named nor permitted', emma, purchase('cmp_a', ['usr_frank'], 'transactions:read'), { hears: false, reason: 'not_for_you' }],
    ['an admin, for an event for its person alone', admin, purchase('cmp_a', ['usr_emma'], null), { hears: false, reason: 'not_for_you' }],
  ];
  it.each(table)('%s', (_name, listener, event, expected) => {
    expect(hearing(listener, event)).toEqual(expected);
  });
});

describe('endsStream', () => {
  it('closes the streams of the session that ended, or of every session of the person', () => {
    expect(endsStream(emma, { companyId: 'cmp_a', sessionId: 'ses_emma' })).toBe(true);
    expect(endsStream(emma, { companyId: 'cmp_a', userId: 'usr_emma' })).toBe(true);
    expect(endsStream(emma, { companyId: 'cmp_a', sessionId: 'ses_admin' })).toBe(false);
    expect(endsStream(emma, { companyId: 'cmp_b', userId: 'usr_emma' })).toBe(false);
  });
});
