import { describe, expect, it } from 'vitest';
import { isTimeZone, localDateOf, localDateRange, localTime, startOf, startOfLocalDate } from './company-calendar.js';

const copenhagen = 'Europe/Copenhagen';

describe('the company calendar', () => {
  it('reads the local weekday, hour and date of an instant', () => {
    expect(localTime(new Date('2026-11-22T22:30:00Z'), copenhagen)).toMatchObject({ weekday: 7, hour: 23, day: 22 });
    // 23:30 UTC on the 31st is already 1 January in Copenhagen, still the 31st in New York.
    expect(localDateOf(new Date('2026-12-31T23:30:00Z'), copenhagen)).toBe('2027-01-01');
    expect(localDateOf(new Date('2026-12-31T23:30:00Z'), 'America/New_York')).toBe('2026-12-31');
  });

  it.each([
    ['day', '2026-11-18T09:30:00Z', '2026-11-17T23:00:00.000Z'],
    ['week', '2026-11-18T09:30:00Z', '2026-11-15T23:00:00.000Z'],
    ['month', '2026-11-18T09:30:00Z', '2026-10-31T23:00:00.000Z'],
    ['year', '2026-11-18T09:30:00Z', '2025-12-31T23:00:00.000Z'],
    // A week that began in the old year: Thursday 1 January 2026 is in the week of Monday 29 December.
    ['week', '2026-01-01T12:00:00Z', '2025-12-28T23:00:00.000Z'],
  ] as const)('the %s containing %s began at %s', (unit, at, start) => {
    expect(startOf(unit, new Date(at), copenhagen).toISOString()).toBe(start);
  });

  it('begins a local date at local midnight on both sides of a clock change', () => {
    expect(startOfLocalDate('2026-03-29', copenhagen).toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(startOfLocalDate('2026-03-30', copenhagen).toISOString()).toBe('2026-03-29T22:00:00.000Z');
    expect(startOfLocalDate('2026-10-25', copenhagen).toISOString()).toBe('2026-10-24T22:00:00.000Z');
    expect(startOfLocalDate('2026-10-26', copenhagen).toISOString()).toBe('2026-10-25T23:00:00.000Z');
  });

  it('gives the instants of a range of local dates, the last one included', () => {
    const range = localDateRange('2026-11-01', '2026-11-30', copenhagen);
    expect({ start: range.start.toISOString(), end: range.end.toISOString() }).toEqual({ start: '2026-10-31T23:00:00.000Z', end: '2026-11-30T23:00:00.000Z' });
    const leap = localDateRange('2028-02-29', '2028-02-29', 'UTC');
    expect(leap.end.getTime() - leap.start.getTime()).toBe(86_400_000);
  });

  it('knows IANA time zones and refuses made-up ones', () => {
    expect(isTimeZone('Asia/Kolkata')).toBe(true);
    expect(isTimeZone('Europe/Atlantis')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });
});
