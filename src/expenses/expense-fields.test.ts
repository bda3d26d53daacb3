import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../shared/errors.js';
import { checkDate, kilometresToMeters, metersToKilometres } from './expense-fields.js';

const refusal = (check: () => unknown) => {
  try {
    check();
    return null;
  } catch (error) {
    return error instanceof DomainError ? error.message : String(error);
  }
};

describe('checkDate', () => {
  const now = new Date('2030-05-14T18:00:00Z');
  it.each([
    // date, refusal (null: accepted)
    ['2030-05-14', null], // today
    ['2020-01-31', null], // any day in the past
    ['2030-05-15', null], // tomorrow: a day of slack for time zones ahead of UTC
    ['2030-05-16', 'spentOn is in the future'],
    ['2030-02-30', 'spentOn is a date, YYYY-MM-DD'],
    ['0000-01-01', 'spentOn is a date, YYYY-MM-DD'], // no year of the calendar (PostgreSQL refuses it)
    ['0001-01-01', null],
    ['14.05.2030', 'spentOn is a date, YYYY-MM-DD'],
    ['2030-5-14', 'spentOn is a date, YYYY-MM-DD'],
  ])('%s: %s', (date, expected) => {
    expect(refusal(() => checkDate(date, 'spentOn', now))).toBe(expected);
  });

  it('accepts the day after tomorrow from the day before it on, by the clock it is given', () => {
    expect(refusal(() => checkDate('2030-05-16', 'spentOn', new Date('2030-05-14T23:59:59.999Z')))).toBe('spentOn is in the future');
    expect(refusal(() => checkDate('2030-05-16', 'spentOn', new Date('2030-05-15T00:00:00Z')))).toBeNull();
  });
});

describe('kilometres', () => {
  it.each([
    // input, metres
    ['12.3', 12300],
    ['0.001', 1],
    ['40', 40000],
    ['10000', 10_000_000],
  ])('"%s" km is %i m', (input, metres) => {
    expect(kilometresToMeters(input)).toBe(metres);
  });

  it.each([['0'], ['-1'], ['1.2345'], ['1,5'], ['10000.001'], ['']])('refuses "%s"', (input) => {
    expect(() => kilometresToMeters(input)).toThrow(DomainError);
  });

  it('reads back every distance it writes', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 10_000_000 }), (metres) => kilometresToMeters(metersToKilometres(metres)) === metres));
  });
});
