import { describe, expect, it } from 'vitest';
import { policyFlags, policyFlagsOf, type PolicyInput } from './expense-policy.js';
import { mileageAmount, perDiemAmount } from './expense-amounts.js';

const clean: PolicyInput = { kind: 'card', state: 'draft', amount: 5000n, hasReceipt: true, receiptDisagrees: false, categoryTeams: [null], personTeamId: 'team_a', reviewThreshold: 10000n, hasTwin: false };

describe('policyFlagsOf', () => {
  it.each<[string, Partial<PolicyInput>, string[]]>([
    ['nothing for a card purchase with its receipt under the threshold', {}, []],
    ['a card purchase without its receipt', { hasReceipt: false }, ['missing_receipt']],
    ['an out-of-pocket expense without a receipt', { kind: 'out_of_pocket', hasReceipt: false }, ['missing_receipt']],
    ['no receipt needed for mileage', { kind: 'mileage', hasReceipt: false }, []],
    ['no receipt needed once voided', { state: 'voided', hasReceipt: false }, []],
    ['a receipt that disagrees with the card purchase', { receiptDisagrees: true }, ['receipt_mismatch']],
    ['a receipt that disagrees with the out-of-pocket expense', { kind: 'out_of_pocket', receiptDisagrees: true }, ['receipt_mismatch']],
    ['no disagreement of a voided expense', { state: 'voided', receiptDisagrees: true }, []],
    ['a category of another team', { categoryTeams: [null, ['team_b']] }, ['category_not_allowed']],
    ['a team category for a person without a team', { categoryTeams: [['team_a']], personTeamId: null }, ['category_not_allowed']],
    ['a category of the person\'s team', { categoryTeams: [['team_a', 'team_b']] }, []],
    ['an amount above the threshold', { amount: 10001n }, ['over_threshold']],
    ['an amount at the threshold', { amount: 10000n }, []],
    ['no threshold', { amount: 10n ** 12n, reviewThreshold: null }, []],
    ['a twin expense', { hasTwin: true }, ['possible_duplicate']],
    ['everything at once, in order', { receiptDisagrees: true, categoryTeams: [['x']], amount: 20000n, hasTwin: true }, ['receipt_mismatch', 'category_not_allowed', 'over_threshold', 'possible_duplicate']],
    ['a missing receipt before everything else', { hasReceipt: false, categoryTeams: [['x']], amount: 20000n, hasTwin: true }, ['missing_receipt', 'category_not_allowed', 'over_threshold', 'possible_duplicate']],
  ])('flags %s', (_, change, flags) => {
    expect(policyFlagsOf({ ...clean, ...change })).toEqual(flags);
  });

  it('knows each flag, in the order it checks them', () => {
    expect(policyFlags).toEqual(['missing_receipt', 'receipt_mismatch', 'category_not_allowed', 'over_threshold', 'possible_duplicate']);
  });
});

describe('mileage and per diem amounts', () => {
  it.each([
    [12_300, 38n, 467n], // 12.3 km at 0.38/km = 4.674 → 4.67
    [12_350, 38n, 469n], // 4.693 → 4.69
    [1_255, 100n, 126n], // 1.255 km at 1.00/km = 1.255: the half cent rounds up
    [100_000, 379n, 37900n],
  ])('%s m at %s per km is %s', (meters, rate, amount) => {
    expect(mileageAmount(meters, rate)).toBe(amount);
  });

  it('multiplies days by the daily rate and refuses nonsense', () => {
    expect(perDiemAmount(3, 4500n)).toBe(13500n);
    expect(() => perDiemAmount(0, 4500n)).toThrow(RangeError);
    expect(() => mileageAmount(0, 38n)).toThrow(RangeError);
    expect(() => mileageAmount(1.5, 38n)).toThrow(RangeError);
  });
});
