import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateRefund, merchantCreditReasons, splitWalletAmount, type RefundAllocation, type RefundAsk, type RefundOriginal } from './refund-allocation.js';

// A cleared purchase of 74.90 EUR on the refund's card, nothing refunded yet.
const purchase = (overrides: Partial<RefundOriginal> = {}): RefundOriginal => ({
  kind: 'purchase',
  state: 'settled',
  sameCard: true,
  merchantCurrency: 'EUR',
  clearedMerchantAmount: 7_490n,
  refundedMerchantAmount: 0n,
  ...overrides,
});

const ask = (overrides: Partial<RefundAsk> = {}): RefundAsk => ({ amount: 7_490n, currency: 'EUR', original: purchase(), ...overrides });

// One row per outcome, in the order allocateRefund() checks them. Each row's ask would also
// meet every later row's condition where it can, so the earlier reason must win.
const table: [name: string, ask: RefundAsk, expected: RefundAllocation][] = [
  ['names no original', ask({ original: undefined, currency: 'SEK' }), { refund: 0n, credit: 7_490n, creditReason: 'original_not_named' }],
  ['names an original that does not exist', ask({ original: null, currency: 'SEK' }), { refund: 0n, credit: 7_490n, creditReason: 'original_not_found' }],
  ['names a purchase of another card', ask({ original: purchase({ sameCard: false, state: 'pending' }), currency: 'SEK' }), { refund: 0n, credit: 7_490n, creditReason: 'original_not_found' }],
  ['names a purchase still pending', ask({ original: purchase({ state: 'pending', merchantCurrency: 'SEK' }) }), { refund: 0n, credit: 7_490n, creditReason: 'original_not_refundable' }],
  ['names a reversed purchase', ask({ original: purchase({ state: 'reversed' }) }), { refund: 0n, credit: 7_490n, creditReason: 'original_not_refundable' }],
  ['names another refund', ask({ original: purchase({ kind: 'refund' }) }), { refund: 0n, credit: 7_490n, creditReason: 'original_not_refundable' }],
  ['names an ATM withdrawal', ask({ original: purchase({ kind: 'atm_withdrawal' }) }), { refund: 0n, credit: 7_490n, creditReason: 'original_not_refundable' }],
  ['is in another currency than the purchase', ask({ currency: 'SEK', original: purchase({ refundedMerchantAmount: 7_490n }) }), { refund: 0n, credit: 7_490n, creditReason: 'currency_mismatch' }],
  ['comes after the purchase was fully refunded', ask({ original: purchase({ refundedMerchantAmount: 7_490n }) }), { refund: 0n, credit: 7_490n, creditReason: 'exceeds_refundable' }],
  ['is more than what is left to refund', ask({ amount: 5_000n, original: purchase({ refundedMerchantAmount: 4_490n }) }), { refund: 3_000n, credit: 2_000n, creditReason: 'exceeds_refundable' }],
  ['is more than the purchase cleared', ask({ amount: 8_000n }), { refund: 7_490n, credit: 510n, creditReason: 'exceeds_refundable' }],
  ['refunds exactly what is left', ask({ amount: 3_000n, original: purchase({ refundedMerchantAmount: 4_490n }) }), { refund: 3_000n, credit: 0n, creditReason: null }],
  ['refunds a force post in part', ask({ amount: 1_000n, original: purchase({ kind: 'force_post' }) }), { refund: 1_000n, credit: 0n, creditReason: null }],
  ['refunds the whole purchase', ask(), { refund: 7_490n, credit: 0n, creditReason: null }],
];

describe('allocateRefund', () => {
  it.each(table)('when the refund %s', (_name, input, expected) => {
    expect(allocateRefund(input)).toEqual(expected);
  });

  it('has a row for every reason', () => {
    const reasons = new Set(table.map(([, , expected]) => expected.creditReason));
    expect([...merchantCreditReasons, null].filter((reason) => !reasons.has(reason))).toEqual([]);
  });

  it('never refunds more than is left, and the parts add up to the amount', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.bigInt({ min: 0n, max: 10n ** 12n }), (amount, cleared, refunded) => {
        const allocation = allocateRefund(ask({ amount, original: purchase({ clearedMerchantAmount: cleared, refundedMerchantAmount: refunded }) }));
        expect(allocation.refund + allocation.credit).toBe(amount);
        expect(allocation.refund >= 0n && allocation.credit >= 0n).toBe(true);
        expect(refunded + allocation.refund <= (cleared > refunded ? cleared : refunded)).toBe(true);
        expect(allocation.creditReason === null).toBe(allocation.credit === 0n);
      }),
    );
  });
});

describe('splitWalletAmount', () => {
  const rows: [name: string, input: Parameters<typeof splitWalletAmount>[0], expected: { refund: bigint; credit: bigint }][] = [
    ['same currency: the refund part as it is', { walletAmount: 7_490n, refundQuoted: 5_000n, walletRefundable: 7_490n }, { refund: 5_000n, credit: 2_490n }],
    ['a better rate than the purchase had: the gain is credit', { walletAmount: 1_020n, refundQuoted: 1_020n, walletRefundable: 1_000n }, { refund: 1_000n, credit: 20n }],
    ['a worse rate: the refund is what the network gave', { walletAmount: 980n, refundQuoted: 980n, walletRefundable: 1_000n }, { refund: 980n, credit: 0n }],
    ['nothing left to refund', { walletAmount: 500n, refundQuoted: 0n, walletRefundable: 0n }, { refund: 0n, credit: 500n }],
  ];
  it.each(rows)('%s', (_name, input, expected) => {
    expect(splitWalletAmount(input)).toEqual(expected);
  });
});
