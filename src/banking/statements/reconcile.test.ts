import { describe, expect, it } from 'vitest';
import { reconcile, type BalanceFigure, type ReconcileInput } from './reconcile.js';
import type { ExactAmount } from './statement-amount.js';

const eur = (units: bigint): ExactAmount => ({ units, scale: 2 });
const balance = (label: string, units: bigint, currency = 'EUR'): BalanceFigure => ({ label, amount: eur(units), currency });
const base: ReconcileInput = {
  currency: 'EUR',
  opening: balance('opening balance', 1000n),
  closing: balance('closing balance', 1500n),
  otherBalances: [],
  entries: [
    { amount: eur(700n), currency: 'EUR', debit: false },
    { amount: eur(-200n), currency: 'EUR', debit: true },
  ],
  totals: [],
};

describe('reconcile, in precedence order', () => {
  it.each<[string, Partial<ReconcileInput>, string | null]>([
    ['a balance in another currency', { closing: balance('closing balance', 1500n, 'SEK') }, 'the closing balance 15.00 is in SEK, the account in EUR'],
    ['an entry in another currency', { entries: [{ amount: eur(500n), currency: 'USD', debit: false }] }, 'entry 1 (5.00) is in USD, the account in EUR'],
    ['balances that do not add up', { closing: balance('closing balance', 1490n) }, 'the opening balance 10.00 plus the 2 entries (5.00) is 15.00, but the closing balance is 14.90 (a difference of -0.10)'],
    [
      'a stated total that does not match',
      { totals: [{ label: ':90D:', debit: true, count: 2, amount: eur(200n), currency: 'EUR' }] },
      ':90D: states 2 debit entries of 2.00, but the statement has 1 of 2.00',
    ],
    ['an opening balance without a closing one', { closing: null }, null],
    ['no balances and no currency', { currency: null, opening: null, closing: null }, null],
    ['balances that add up', {}, null],
  ])('%s', (_case, change, reason) => {
    const result = reconcile({ ...base, ...change });
    expect(result.inconsistency).toBe(reason);
    expect(result.consistent).toBe(reason === null);
  });

  it('reports only the currency problem when currencies differ, as sums across them mean nothing', () => {
    const result = reconcile({ ...base, closing: balance('closing balance', 9n, 'SEK') });
    expect(result.inconsistency).not.toMatch(/difference/);
  });

  it('gives every reason when several hold', () => {
    const result = reconcile({ ...base, closing: balance('closing balance', 0n), totals: [{ label: ':90C:', debit: false, count: 3, amount: eur(700n), currency: 'EUR' }] });
    expect(result.inconsistency?.split('; ')).toHaveLength(2);
  });
});
