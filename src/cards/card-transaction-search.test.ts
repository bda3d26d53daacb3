import { describe, expect, it } from 'vitest';
import type { Principal } from '../auth/principal.js';
import { asApiKey } from '../test-support/cards.js';
import { cardTransactionSearchOf } from './card-transaction-search.js';

const employee: Principal = { kind: 'user', companyId: 'cmp_a', userId: 'usr_emma', sessionId: 'ses_1', roles: ['employee'], permissions: new Set(['company:read']) };
const admin: Principal = { ...employee, userId: 'usr_ada', roles: ['admin'], permissions: new Set(['company:read', 'transactions:read']) };
const copenhagen = { currency: 'EUR', timeZone: 'Europe/Copenhagen' };

describe('cardTransactionSearchOf', () => {
  it('keeps a person without transactions:read to their own purchases', () => {
    expect(cardTransactionSearchOf(employee, { userId: 'usr_frank' }, copenhagen).userId).toBe('usr_emma');
    expect(cardTransactionSearchOf(asApiKey('cmp_a', ['cards:read']), {}, copenhagen).userId).toBe('-');
    expect(cardTransactionSearchOf(admin, { userId: 'usr_frank' }, copenhagen)).toMatchObject({ companyId: 'cmp_a', userId: 'usr_frank' });
  });

  it('turns the company\'s calendar dates into the instants they begin and end, summer time included', () => {
    const winter = cardTransactionSearchOf(admin, { from: '2026-01-10', to: '2026-01-10' }, copenhagen);
    expect([winter.occurredFrom?.toISOString(), winter.occurredUntil?.toISOString()]).toEqual(['2026-01-09T23:00:00.000Z', '2026-01-10T23:00:00.000Z']);
    const summer = cardTransactionSearchOf(admin, { from: '2026-07-01' }, copenhagen);
    expect([summer.occurredFrom?.toISOString(), summer.occurredUntil]).toEqual(['2026-06-30T22:00:00.000Z', undefined]);
  });

  it('reads amounts in the wallet\'s currency, the decline reason and the sort', () => {
    expect(cardTransactionSearchOf(admin, { amountMin: '9.99', declineReason: 'insufficient_funds', sort: 'person', order: 'asc' }, copenhagen)).toMatchObject({
      amountMin: 999n,
      declineReason: 'insufficient_funds',
      sort: { key: 'person', order: 'asc' },
    });
    expect(() => cardTransactionSearchOf(admin, { from: '2026-02-01', to: '2026-01-01' }, copenhagen)).toThrow('from is after to');
    expect(() => cardTransactionSearchOf(admin, { sort: 'colour' }, copenhagen)).toThrow('sort is one of');
  });
});
