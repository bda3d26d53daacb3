import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchReceipt, merchantSimilarity, type MatchCandidate, type ReceiptEvidence } from './match-receipt.js';

const tx = (id: string, fields: Partial<MatchCandidate> = {}): MatchCandidate => ({
  id,
  merchantName: 'CAFE NORD',
  merchantAmount: 1250n,
  merchantCurrency: 'EUR',
  walletAmount: 1250n,
  walletCurrency: 'EUR',
  localDate: '2026-11-20',
  ...fields,
});
const receipt = (fields: Partial<ReceiptEvidence> = {}): ReceiptEvidence => ({ total: '12.50', currency: 'EUR', date: '2026-11-20', merchant: 'Café Nord ApS', ...fields });

describe('matchReceipt', () => {
  it.each<[string, ReceiptEvidence, MatchCandidate[], string]>([
    ['attaches the one purchase with the same amount on the same day', receipt(), [tx('a'), tx('b', { merchantAmount: 900n, walletAmount: 900n })], 'attach:a'],
    ['attaches on a foreign-currency receipt by the merchant amount', receipt({ total: '13.20', currency: 'USD' }), [tx('a', { merchantAmount: 1320n, merchantCurrency: 'USD', walletAmount: 1234n })], 'attach:a'],
    ['attaches by the wallet amount when the currency was not printed', receipt({ currency: null }), [tx('a', { merchantAmount: 9300n, merchantCurrency: 'DKK' })], 'attach:a'],
    ['attaches a receipt dated the day after (printed after midnight)', receipt({ date: '2026-11-21' }), [tx('a')], 'attach:a'],
    ['attaches without a readable date when amount and merchant agree', receipt({ date: null }), [tx('a')], 'attach:a'],
    ['only suggests when two purchases share the amount and the day', receipt({ merchant: null }), [tx('a'), tx('b')], 'suggest:a,b'],
    ['only suggests a total close to the card amount (a tip)', receipt({ total: '11.00' }), [tx('a')], 'suggest:a'],
    ['only suggests an exact amount three days away with an unlike merchant', receipt({ date: '2026-11-23', merchant: 'Hardware Store' }), [tx('a')], 'suggest:a'],
    ['ignores purchases more than a week from the printed date', receipt({ date: '2026-12-05' }), [tx('a')], 'none'],
    ['ignores a receipt in another currency than both sides of the purchase', receipt({ currency: 'GBP' }), [tx('a', { merchantName: 'Other Shop' })], 'none'],
    ['finds nothing without candidates', receipt(), [], 'none'],
    ['does not attach a total with more decimals than the currency has', receipt({ total: '1250.5', currency: 'JPY' }), [tx('a', { merchantAmount: 1250n, merchantCurrency: 'JPY', walletAmount: 800n })], 'suggest:a'],
  ])('%s', (_, evidence, candidates, expected) => {
    const decision = matchReceipt(evidence, candidates);
    const summary =
      decision.decision === 'attach'
        ? `attach:${decision.match.transactionId}`
        : decision.decision === 'suggest'
          ? `suggest:${decision.suggestions.map((s) => s.transactionId).join(',')}`
          : 'none';
    expect(summary).toBe(expected);
  });

  it('lets the merchant name decide between purchases of the same amount on the same day', () => {
    const decision = matchReceipt(receipt({ merchant: 'Tokyo Kitchen Sdn Bhd' }), [tx('a', { merchantName: 'SHELL 1234' }), tx('b', { merchantName: 'TOKYO KITCHEN KL' })]);
    expect(decision).toMatchObject({ decision: 'attach', match: { transactionId: 'b' } });
  });

  it('ranks suggestions best first', () => {
    const decision = matchReceipt(receipt({ merchant: null, total: '11.00' }), [tx('a', { localDate: '2026-11-21' }), tx('b')]);
    expect(decision).toMatchObject({ decision: 'suggest', suggestions: [{ transactionId: 'b' }, { transactionId: 'a' }] });
  });

  it('never attaches when another candidate is as good (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 0, max: 3 }), (minor, dayOffset) => {
        const date = new Date(Date.UTC(2026, 10, 20 + dayOffset)).toISOString().slice(0, 10);
        const both = [tx('a', { merchantAmount: BigInt(minor), walletAmount: BigInt(minor) }), tx('b', { merchantAmount: BigInt(minor), walletAmount: BigInt(minor) })];
        const total = (minor / 100).toFixed(2);
        return matchReceipt(receipt({ total, date }), both).decision !== 'attach';
      }),
    );
  });
});

describe('merchantSimilarity', () => {
  it.each([
    ['Café Nord ApS', 'CAFE NORD', 1],
    ['TOKYO KITCHEN SDN BHD', 'TOKYO KITCHEN', 1],
    ['Shell Leong Heng', 'SHELL', 1],
  ])('treats %j and %j as the same merchant', (a, b, expected) => {
    expect(merchantSimilarity(a, b)).toBe(expected);
  });

  it('scores unlike names low and OCR slips high', () => {
    expect(merchantSimilarity('Popular Book Co', 'Shell Station')).toBeLessThan(0.2);
    expect(merchantSimilarity('PETRODELI ENTERPRISE', 'PETRODELT ENTERPRISE')).toBeGreaterThan(0.7);
  });
});
