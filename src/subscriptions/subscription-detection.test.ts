import { describe, expect, it } from 'vitest';
import { detectSubscriptions, merchantKeyOf, nextDue, subscriptionKey, type Charge } from './subscription-detection.js';

let sequence = 0;
function charge(day: string, amount: bigint, extra: Partial<Charge> = {}): Charge {
  sequence += 1;
  return { transactionId: `ctx_${String(sequence).padStart(4, '0')}`, cardId: 'crd_1', userId: 'usr_1', merchantId: null, merchantName: 'CloudHost', mcc: '5734', amount, currency: 'EUR', day, ...extra };
}

const monthly = (days: readonly string[], amount = 2_900n, extra: Partial<Charge> = {}) => days.map((day) => charge(day, amount, extra));

describe('merchant keys', () => {
  it.each([
    ['NETFLIX.COM 8873', 'Netflix.com*4411'],
    ['Slack Technologies', 'SLACK TECHNOLOGIES  '],
    ['Spotify P1F2E3', 'SPOTIFY'],
  ])('%s and %s are one merchant', (a, b) => {
    expect(merchantKeyOf({ merchantId: null, merchantName: a })).toBe(merchantKeyOf({ merchantId: null, merchantName: b }));
  });

  it('goes by the network merchant id when there is one, whatever the name', () => {
    expect(merchantKeyOf({ merchantId: 'M1', merchantName: 'A' })).toBe(merchantKeyOf({ merchantId: 'M1', merchantName: 'B' }));
    expect(merchantKeyOf({ merchantId: 'M1', merchantName: 'A' })).not.toBe(merchantKeyOf({ merchantId: null, merchantName: 'A' }));
  });

  it('keeps letters of other alphabets', () => {
    expect(merchantKeyOf({ merchantId: null, merchantName: 'Bäckerei Größe' })).toBe('name:bäckerei größe');
  });
});

describe('the next charge', () => {
  it.each([
    ['2026-01-15', 'monthly', '2026-02-15'],
    ['2026-01-31', 'monthly', '2026-02-28'],
    ['2028-01-31', 'monthly', '2028-02-29'],
    ['2026-12-05', 'monthly', '2027-01-05'],
    ['2026-03-10', 'yearly', '2027-03-10'],
    ['2028-02-29', 'yearly', '2029-02-28'],
  ] as const)('after %s (%s) is due on %s', (day, cadence, due) => {
    expect(nextDue(day, cadence)).toBe(due);
  });
});

describe('detecting subscriptions', () => {
  it('finds a monthly charge with its next date, yearly cost and state', () => {
    const [found, ...rest] = detectSubscriptions(monthly(['2026-08-03', '2026-09-03', '2026-10-04', '2026-11-03']), '2026-11-20');
    expect(rest).toEqual([]);
    expect(found).toMatchObject({ cadence: 'monthly', charges: 4, firstDay: '2026-08-03', lastDay: '2026-11-03', nextExpectedOn: '2026-12-03', yearlyCost: 34_800n, state: 'active', increased: false, usualAmount: 2_900n });
    expect(found!.key).toBe(subscriptionKey('usr_1', 'name:cloudhost'));
  });

  it('needs three monthly charges, and two yearly ones', () => {
    expect(detectSubscriptions(monthly(['2026-09-03', '2026-10-03']), '2026-10-10')).toEqual([]);
    const yearly = detectSubscriptions([charge('2025-04-02', 49_900n), charge('2026-04-02', 52_900n)], '2026-10-10');
    expect(yearly).toMatchObject([{ cadence: 'yearly', charges: 2, nextExpectedOn: '2027-04-02', yearlyCost: 52_900n, state: 'active' }]);
  });

  it('tolerates drift, and says when the last charge came in higher', () => {
    const [drifting] = detectSubscriptions([charge('2026-07-01', 1_000n), charge('2026-08-01', 1_050n), charge('2026-09-01', 980n), charge('2026-10-01', 1_040n)], '2026-10-02');
    expect(drifting).toMatchObject({ charges: 4, increased: false });
    const [raised] = detectSubscriptions([charge('2026-07-01', 1_000n), charge('2026-08-01', 1_000n), charge('2026-09-01', 1_000n), charge('2026-10-01', 1_200n)], '2026-10-02');
    expect(raised).toMatchObject({ charges: 4, increased: true, lastAmount: 1_200n, usualAmount: 1_000n });
    // A rise beyond the drift is still the subscription's charge when it comes on time.
    const [doubled] = detectSubscriptions([charge('2026-07-01', 1_000n), charge('2026-08-01', 1_000n), charge('2026-09-01', 1_000n), charge('2026-10-01', 2_000n)], '2026-10-02');
    expect(doubled).toMatchObject({ charges: 4, increased: true, lastAmount: 2_000n, yearlyCost: 24_000n, nextExpectedOn: '2026-11-01', state: 'active' });
  });

  it('leaves out purchases at the same merchant that are not the subscription', () => {
    const charges = [...monthly(['2026-07-05', '2026-08-05', '2026-09-05']), charge('2026-08-19', 45_000n), charge('2026-09-06', 700n)];
    expect(detectSubscriptions(charges, '2026-09-10')).toMatchObject([{ charges: 3, lastDay: '2026-09-05', lastAmount: 2_900n }]);
  });

  it('is late past the grace after the expected day, and lapsed once two charges did not come', () => {
    const days = ['2026-05-10', '2026-06-10', '2026-07-10'];
    expect(detectSubscriptions(monthly(days), '2026-08-15')[0]!.state).toBe('active');
    expect(detectSubscriptions(monthly(days), '2026-08-16')[0]!.state).toBe('late');
    expect(detectSubscriptions(monthly(days), '2026-09-16')[0]!.state).toBe('lapsed');
  });

  it('takes the latest unbroken run: a pause starts the count again', () => {
    const charges = monthly(['2025-01-10', '2025-02-10', '2025-03-10', '2026-06-10', '2026-07-10', '2026-08-10', '2026-09-10']);
    expect(detectSubscriptions(charges, '2026-09-12')).toMatchObject([{ charges: 4, firstDay: '2026-06-10' }]);
  });

  it('keeps people, merchants and currencies apart', () => {
    const charges = [
      ...monthly(['2026-07-01', '2026-08-01', '2026-09-01']),
      ...monthly(['2026-07-02', '2026-08-02', '2026-09-02'], 1_500n, { userId: 'usr_2', cardId: 'crd_2' }),
      ...monthly(['2026-07-03', '2026-08-03', '2026-09-03'], 999n, { merchantName: 'Design Tool Inc' }),
      charge('2026-07-04', 100n, { currency: 'DKK' }),
      charge('2026-08-04', 100n),
      charge('2026-09-04', 100n, { currency: 'DKK' }),
    ];
    const found = detectSubscriptions(charges, '2026-09-05');
    expect(found.map((s) => [s.userId, s.merchantKey, s.lastDay])).toEqual([
      ['usr_1', 'name:design tool inc', '2026-09-03'],
      ['usr_2', 'name:cloudhost', '2026-09-02'],
      ['usr_1', 'name:cloudhost', '2026-09-01'],
    ]);
  });

  it('does not take irregular purchases, several a day, or refunds for a subscription', () => {
    expect(detectSubscriptions(monthly(['2026-07-01', '2026-07-09', '2026-07-20', '2026-08-02', '2026-08-30']), '2026-09-01')).toEqual([]);
    expect(detectSubscriptions(monthly(['2026-09-01', '2026-09-01', '2026-09-01', '2026-09-01']), '2026-09-02')).toEqual([]);
    expect(detectSubscriptions(monthly(['2026-07-01', '2026-08-01', '2026-09-01'], -500n), '2026-09-02')).toEqual([]);
  });
});
