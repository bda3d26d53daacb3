import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../shared/errors.js';
import {
  controlsToJson,
  minorUnitAmounts,
  parseCompleteControls,
  parseControls,
  readStoredControls,
  storedControlsJson,
  walletAmounts,
} from './controls-json.js';
import { merchantCategoryGroupNames } from './merchant-categories.js';
import { channels, noControls, periods, type SpendControls } from './spend-controls.js';

const eur = walletAmounts('EUR');

function errorOf(run: () => unknown): { code: string; field: string | undefined } {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return { code: error.code, field: error.field };
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('parsing controls from the API', () => {
  it('reads every control, with amounts in the wallet currency', () => {
    const parsed = parseControls(
      {
        perPurchaseMax: '250.00',
        limits: { daily: '500.00', monthly: '2000.50', weekly: null },
        categories: { allow: ['software', 'travel'], block: ['gambling'] },
        countries: { allow: null, block: ['RU'] },
        channels: ['online'],
        weekdays: [5, 1, 3],
        hours: { from: 8, to: 18 },
        validFrom: '2026-05-01T00:00:00+02:00',
        validUntil: '2026-06-01T00:00:00Z',
      },
      eur,
    );
    expect(parsed).toEqual({
      perPurchaseMax: 25000n,
      limits: { daily: 50000n, monthly: 200050n },
      categories: { allow: ['software', 'travel'], block: ['gambling'] },
      countries: { allow: null, block: ['RU'] },
      channels: ['online'],
      weekdays: [1, 3, 5],
      hours: { from: 8, to: 18 },
      validFrom: new Date('2026-04-30T22:00:00Z'),
      validUntil: new Date('2026-06-01T00:00:00Z'),
    });
  });

  it('returns only the fields given, so they merge over defaults', () => {
    expect(parseControls({ channels: null }, eur)).toEqual({ channels: null });
    expect(parseControls({}, eur)).toEqual({});
  });

  it('reads amounts in the currency\'s own minor unit (JPY has none, KWD three)', () => {
    expect(parseControls({ perPurchaseMax: '1500' }, walletAmounts('JPY')).perPurchaseMax).toBe(1500n);
    expect(parseControls({ perPurchaseMax: '1.005' }, walletAmounts('KWD')).perPurchaseMax).toBe(1005n);
  });

  // One row a case: the input and the field the error must name.
  const refused: [string, unknown, string, string?][] = [
    ['not an object', [], 'controls'],
    ['an unknown control', { colour: 'red' }, 'controls.colour'],
    ['a per-purchase cap as a number', { perPurchaseMax: 250 }, 'controls.perPurchaseMax', 'invalid_money'],
    ['a per-purchase cap of zero', { perPurchaseMax: '0.00' }, 'controls.perPurchaseMax', 'invalid_money'],
    ['a per-purchase cap with too many decimals', { perPurchaseMax: '1.001' }, 'controls.perPurchaseMax', 'invalid_money'],
    ['a negative monthly limit', { limits: { monthly: '-5.00' } }, 'controls.limits.monthly', 'invalid_money'],
    ['an unknown period', { limits: { fortnightly: '5.00' } }, 'controls.limits.fortnightly'],
    ['limits as a list', { limits: ['5.00'] }, 'controls.limits'],
    ['an unknown category group', { categories: { allow: ['software', 'yachts'] } }, 'controls.categories.allow.1'],
    ['an empty allow list', { categories: { allow: [] } }, 'controls.categories.allow'],
    ['a repeated group', { categories: { block: ['gambling', 'gambling'] } }, 'controls.categories.block'],
    ['an unknown key beside allow and block', { categories: { deny: ['gambling'] } }, 'controls.categories.deny'],
    ['a lower-case country', { countries: { allow: ['dk'] } }, 'controls.countries.allow.0'],
    ['a three-letter country', { countries: { block: ['DNK'] } }, 'controls.countries.block.0'],
    ['an unassigned country code', { countries: { block: ['XX'] } }, 'controls.countries.block.0'],
    ['an unknown channel', { channels: ['telepathy'] }, 'controls.channels.0'],
    ['no channels at all', { channels: [] }, 'controls.channels'],
    ['weekday 0', { weekdays: [0] }, 'controls.weekdays.0'],
    ['weekday 8', { weekdays: [1, 8] }, 'controls.weekdays.1'],
    ['a fractional weekday', { weekdays: [1.5] }, 'controls.weekdays.0'],
    ['hours beyond 24', { hours: { from: 8, to: 25 } }, 'controls.hours.to'],
    ['hours from after to', { hours: { from: 18, to: 8 } }, 'controls.hours'],
    ['hours from equal to', { hours: { from: 8, to: 8 } }, 'controls.hours'],
    ['hours without to', { hours: { from: 8 } }, 'controls.hours.to'],
    ['a date without offset', { validFrom: '2026-05-01T00:00:00' }, 'controls.validFrom'],
    ['year zero', { validFrom: '0000-01-01T00:00:00Z' }, 'controls.validFrom'],
    ['an instant before year 1 in UTC', { validUntil: '0001-01-01T00:30:00+01:00' }, 'controls.validUntil'],
    ['a date only', { validUntil: '2026-05-01' }, 'controls.validUntil'],
    ['an impossible date', { validUntil: '2026-13-01T00:00:00Z' }, 'controls.validUntil'],
  ];

  it.each(refused)('refuses %s, naming the field', (_name, input, field, code = 'validation_failed') => {
    expect(errorOf(() => parseControls(input, eur))).toEqual({ code, field });
  });

  it('refuses validUntil before or at validFrom once the set is complete', () => {
    const input = { validFrom: '2026-05-01T00:00:00Z', validUntil: '2026-05-01T00:00:00Z' };
    expect(errorOf(() => parseCompleteControls(input, eur))).toEqual({ code: 'validation_failed', field: 'controls.validUntil' });
  });

  it('names fields from the body root when the controls are the whole body', () => {
    expect(errorOf(() => parseControls({ limits: { monthly: '-5.00' } }, eur, ''))).toEqual({ code: 'invalid_money', field: 'limits.monthly' });
    expect(errorOf(() => parseCompleteControls({ validFrom: '2026-05-02T00:00:00Z', validUntil: '2026-05-01T00:00:00Z' }, eur, ''))).toEqual({ code: 'validation_failed', field: 'validUntil' });
  });

  it('says which field is wrong in the message too', () => {
    expect(() => parseControls({ limits: { fortnightly: '5.00' } }, eur)).toThrow(/controls\.limits\.fortnightly/);
  });
});

const controlsArbitrary: fc.Arbitrary<SpendControls> = fc.record({
  perPurchaseMax: fc.option(fc.bigInt({ min: 1n, max: 10n ** 12n }), { nil: null }),
  limits: fc.dictionary(fc.constantFrom(...periods), fc.bigInt({ min: 1n, max: 10n ** 12n })),
  categories: fc.record({
    allow: fc.option(fc.uniqueArray(fc.constantFrom(...merchantCategoryGroupNames), { minLength: 1 }), { nil: null }),
    block: fc.uniqueArray(fc.constantFrom(...merchantCategoryGroupNames)),
  }),
  countries: fc.record({
    allow: fc.option(fc.uniqueArray(fc.constantFrom('DK', 'DE', 'SE', 'US'), { minLength: 1 }), { nil: null }),
    block: fc.uniqueArray(fc.constantFrom('RU', 'KP', 'IR')),
  }),
  channels: fc.option(fc.uniqueArray(fc.constantFrom(...channels), { minLength: 1 }), { nil: null }),
  weekdays: fc.option(fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1 }).map((days) => days.sort((a, b) => a - b)), { nil: null }),
  hours: fc.option(fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 1, max: 24 })).filter(([from, to]) => from < to).map(([from, to]) => ({ from, to })), { nil: null }),
  validFrom: fc.constant(null),
  validUntil: fc.option(fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }), { nil: null }),
}) as fc.Arbitrary<SpendControls>;

describe('controls as JSON', () => {
  it('round-trip through the stored form and the API form unchanged', () => {
    fc.assert(
      fc.property(controlsArbitrary, (controls) => {
        expect(readStoredControls(JSON.parse(storedControlsJson(controls)))).toEqual(controls);
        expect(parseCompleteControls(controlsToJson(controls, eur), eur)).toEqual(controls);
      }),
    );
  });

  it('stores minor units and shows decimals in the wallet currency', () => {
    const controls: SpendControls = { ...noControls, perPurchaseMax: 25000n, limits: { monthly: 100000n } };
    expect(JSON.parse(storedControlsJson(controls))).toMatchObject({ perPurchaseMax: '25000', limits: { monthly: '100000' } });
    expect(controlsToJson(controls, eur)).toMatchObject({ perPurchaseMax: '250.00', limits: { monthly: '1000.00' } });
  });

  it('reads the column default {} as no restriction', () => {
    expect(readStoredControls({})).toEqual(noControls);
  });

  it('refuses a stored amount that is not whole minor units', () => {
    expect(() => minorUnitAmounts.parse('12.50', 'controls.perPurchaseMax')).toThrow(DomainError);
    expect(() => minorUnitAmounts.parse(1250, 'controls.perPurchaseMax')).toThrow(DomainError);
  });
});
