import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { amountToleranceDefault, checkReceipt, mismatchFields, sameMerchant, type AmountTolerance, type Claim, type MismatchField, type ReceiptReading } from './receipt-check.js';

const purchase = (fields: Partial<Claim> = {}): Claim => ({
  noun: 'purchase',
  paid: { amount: 2350n, currency: 'EUR' },
  booked: { amount: 2350n, currency: 'EUR' },
  date: '2026-12-06',
  merchant: 'CAFE NORD',
  ...fields,
});
/** A purchase in US dollars that the wallet paid in euros, at about 0.935. */
const dollarPurchase = purchase({ paid: { amount: 1320n, currency: 'USD' }, booked: { amount: 1234n, currency: 'EUR' }, merchant: 'DINER 66' });
const expense = (fields: Partial<Claim> = {}): Claim => purchase({ noun: 'expense', paid: { amount: 1500n, currency: 'EUR' }, booked: { amount: 1500n, currency: 'EUR' }, merchant: 'Taxa 4x35', ...fields });
const reading = (fields: Partial<ReceiptReading> = {}): ReceiptReading => ({ total: '23.50', currency: 'EUR', date: '2026-12-06', merchant: 'Café Nord ApS', ...fields });

// The precedence table: rows in the order checkReceipt() checks, each naming what it changes
// from a reading that agrees with its claim, and the disagreements it expects in order.
describe('checkReceipt', () => {
  it.each<[string, ReceiptReading, Claim, [MismatchField, string][]]>([
    // Nothing read, nothing against.
    ['finds nothing where nothing was read', { total: null, currency: null, date: null, merchant: null }, purchase(), []],
    ['finds nothing when everything agrees', reading(), purchase(), []],
    ['finds nothing when only the currency was read', reading({ total: null, currency: 'MYR' }), purchase(), []],
    // Amount.
    ['a printed currency that is neither of the purchase\'s', reading({ total: '27.56', currency: 'MYR' }), purchase(), [['amount', 'the receipt says MYR 27.56, the purchase was EUR 23.50']]],
    ['a total below the purchase beyond the tolerance', reading({ total: '112.00' }), purchase({ paid: { amount: 12000n, currency: 'EUR' }, booked: { amount: 12000n, currency: 'EUR' } }), [['amount', 'the receipt says EUR 112.00, the purchase was EUR 120.00']]],
    ['an out-of-pocket expense far above its receipt, the currency not printed', reading({ total: '1.00', currency: null, merchant: 'Taxa' }), expense(), [['amount', 'the receipt says 1.00, the expense was EUR 15.00']]],
    ['a total with more decimals than the currency has', reading({ total: '23.505' }), purchase(), [['amount', 'the receipt says EUR 23.505, the purchase was EUR 23.50']]],
    ['a foreign total that is neither the merchant\'s nor the wallet\'s amount', reading({ total: '9.99', currency: 'USD', merchant: 'Diner 66' }), dollarPurchase, [['amount', 'the receipt says USD 9.99, the purchase was USD 13.20 (EUR 12.34)']]],
    ['agrees within 5 % of the amount (a tip)', reading({ total: '22.40' }), purchase(), []],
    ['agrees within the fixed amount on a small purchase', reading({ total: '3.40' }), purchase({ paid: { amount: 250n, currency: 'EUR' }, booked: { amount: 250n, currency: 'EUR' } }), []],
    ['agrees on the merchant\'s currency', reading({ total: '13.20', currency: 'USD', merchant: 'Diner 66' }), dollarPurchase, []],
    ['agrees on the wallet\'s currency', reading({ total: '12.34', currency: 'EUR', merchant: 'Diner 66' }), dollarPurchase, []],
    ['agrees on either currency when none was printed', reading({ total: '13.20', currency: null, merchant: 'Diner 66' }), dollarPurchase, []],
    // Date.
    ['a date years before the purchase', reading({ date: '2018-03-04' }), purchase(), [['date', 'the receipt is dated 2018-03-04, the purchase was on 2026-12-06']]],
    ['a date four days after', reading({ date: '2026-12-10' }), purchase(), [['date', 'the receipt is dated 2026-12-10, the purchase was on 2026-12-06']]],
    ['agrees on a date three days apart', reading({ date: '2026-12-03' }), purchase(), []],
    // Merchant.
    ['another merchant', reading({ merchant: 'Popular Book Co' }), purchase(), [['merchant', 'the receipt is from Popular Book Co, the purchase was made at CAFE NORD']]],
    ['another merchant than the expense names', reading({ total: '15.00', merchant: 'Hotel Nordlys' }), expense(), [['merchant', 'the receipt is from Hotel Nordlys, the expense names Taxa 4x35']]],
    ['agrees on a shortened descriptor', reading({ merchant: 'Uber B.V.' }), purchase({ merchant: 'UBER *TRIP HELP.UBER.COM' }), []],
    ['finds nothing when the expense names no merchant', reading({ total: '15.00' }), expense({ merchant: null }), []],
    // All at once, in order.
    [
      'everything at once, amount first, then date, then merchant',
      reading({ total: '27.56', currency: 'MYR', date: '2018-03-04', merchant: 'Tokyo Kitchen Sdn Bhd' }),
      purchase(),
      [
        ['amount', 'the receipt says MYR 27.56, the purchase was EUR 23.50'],
        ['date', 'the receipt is dated 2018-03-04, the purchase was on 2026-12-06'],
        ['merchant', 'the receipt is from Tokyo Kitchen Sdn Bhd, the purchase was made at CAFE NORD'],
      ],
    ],
  ])('%s', (_, read, claim, expected) => {
    expect(checkReceipt(read, claim, amountToleranceDefault).map((mismatch) => [mismatch.field, mismatch.reason])).toEqual(expected);
  });

  it('has a row for each field it checks', () => {
    expect(mismatchFields).toEqual(['amount', 'date', 'merchant']);
  });

  it('uses the company\'s tolerance: none at all, or a quarter of the amount', () => {
    const none: AmountTolerance = { basisPoints: 0, fixed: 0n };
    const quarter: AmountTolerance = { basisPoints: 2500, fixed: 0n };
    const tip = reading({ total: '23.49' });
    expect(checkReceipt(tip, purchase(), none).map((mismatch) => mismatch.field)).toEqual(['amount']);
    expect(checkReceipt(reading({ total: '17.63' }), purchase(), quarter)).toEqual([]);
    expect(checkReceipt(reading({ total: '17.62' }), purchase(), quarter).map((mismatch) => mismatch.field)).toEqual(['amount']);
  });

  it('carries the fixed amount over into the merchant\'s currency at the purchase\'s own rate', () => {
    // 1.00 EUR of slack is 1.06 USD (rounded down) on a purchase of USD 13.20 booked as EUR 12.34.
    const fixedOnly: AmountTolerance = { basisPoints: 0, fixed: 100n };
    expect(checkReceipt(reading({ total: '14.26', currency: 'USD', merchant: null }), dollarPurchase, fixedOnly)).toEqual([]);
    expect(checkReceipt(reading({ total: '14.27', currency: 'USD', merchant: null }), dollarPurchase, fixedOnly).map((mismatch) => mismatch.field)).toEqual(['amount']);
  });

  it('never finds the amount of a receipt printed with the claimed amount wrong (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 12n }), (minor) => {
        const claim = purchase({ paid: { amount: minor, currency: 'EUR' }, booked: { amount: minor, currency: 'EUR' } });
        const total = `${minor / 100n}.${String(minor % 100n).padStart(2, '0')}`;
        return checkReceipt(reading({ total }), claim, { basisPoints: 0, fixed: 0n }).length === 0;
      }),
    );
  });
});

describe('sameMerchant', () => {
  it.each([
    ['Café Nord ApS', 'CAFE NORD'],
    ['DSB Rejsebureau', 'DSB'],
    ['Scandic Hotels AB', 'SCANDIC KOEBENHAVN'],
    ['MR D.I.Y. (M) SDN BHD', 'MR DIY KLCC'],
    ['PETRODELI ENTERPRISE', 'PETRODELT ENTERPRISE'],
  ])('takes %j and %j for one merchant', (a, b) => {
    expect(sameMerchant(a, b)).toBe(true);
  });

  it.each([
    ['Popular Book Co', 'Shell Station'],
    ['Tokyo Kitchen', 'CAFE NORD'],
    ['Hotel Nordlys', 'Taxa 4x35'],
  ])('tells %j and %j apart', (a, b) => {
    expect(sameMerchant(a, b)).toBe(false);
  });
});
