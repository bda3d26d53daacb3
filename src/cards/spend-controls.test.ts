import { describe, expect, it } from 'vitest';
import { periodStart } from './spend-controls.js';

describe('calendar periods in the company time zone', () => {
  const zone = 'Europe/Copenhagen';

  it.each([
    ['daily', '2026-11-18T09:30:00Z', '2026-11-17T23:00:00.000Z'],
    ['weekly', '2026-11-18T09:30:00Z', '2026-11-15T23:00:00.000Z'],
    ['monthly', '2026-11-18T09:30:00Z', '2026-10-31T23:00:00.000Z'],
    ['yearly', '2026-11-18T09:30:00Z', '2025-12-31T23:00:00.000Z'],
    ['lifetime', '2026-11-18T09:30:00Z', '1970-01-01T00:00:00.000Z'],
    // Sunday 23:30 in Copenhagen still belongs to the week that began on Monday the 16th;
    // half past midnight on Monday the 23rd begins a new one.
    ['weekly', '2026-11-22T22:30:00Z', '2026-11-15T23:00:00.000Z'],
    ['weekly', '2026-11-22T23:30:00Z', '2026-11-22T23:00:00.000Z'],
    // Summer time: the month of July starts at 22:00 UTC the day before.
    ['monthly', '2026-07-15T12:00:00Z', '2026-06-30T22:00:00.000Z'],
  ] as const)('the %s period containing %s began at %s', (period, at, start) => {
    expect(periodStart(period, new Date(at), zone).toISOString()).toBe(start);
  });

  it('starts the day at local midnight across the spring-forward change', () => {
    // 29 March 2026: clocks jump from 02:00 to 03:00 in Copenhagen; the day began at 23:00 UTC.
    expect(periodStart('daily', new Date('2026-03-29T12:00:00Z'), zone).toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(periodStart('daily', new Date('2026-03-30T12:00:00Z'), zone).toISOString()).toBe('2026-03-29T22:00:00.000Z');
  });

  it('handles zones west of UTC and without daylight saving', () => {
    expect(periodStart('daily', new Date('2026-11-18T03:00:00Z'), 'America/New_York').toISOString()).toBe('2026-11-17T05:00:00.000Z');
    expect(periodStart('monthly', new Date('2026-11-18T03:00:00Z'), 'Asia/Kolkata').toISOString()).toBe('2026-10-31T18:30:00.000Z');
  });
});
