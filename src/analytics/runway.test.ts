import { describe, expect, it } from 'vitest';
import { burnRate, daysBefore } from './runway.js';

describe('burnRate', () => {
  it.each([
    // available, spent, window, daily average, runway days
    ['no spend: no end in sight', 100_000n, 0n, 30, 0n, null],
    ['exact days', 100_000n, 30_000n, 30, 1_000n, 100],
    ['rounds the days down', 100_000n, 9_000n, 30, 300n, 333],
    ['rounds the daily average down, not the runway', 1_000n, 100n, 30, 3n, 300],
    ['nothing available: no days', 0n, 9_000n, 30, 300n, 0],
    ['a wallet in debt: no days', -500n, 9_000n, 90, 100n, 0],
    ['stays exact past 2^53 minor units', 2n ** 60n + 1n, 2n ** 55n, 1, 2n ** 55n, 32],
    ['one minor unit short of a day more', 2n ** 60n - 1n, 2n ** 55n, 1, 2n ** 55n, 31],
  ])('%s', (_name, available, spent, windowDays, dailyAverage, runwayDays) => {
    expect(burnRate(available, spent, windowDays)).toEqual({ windowDays, spent, dailyAverage, runwayDays });
  });

  it('refuses a window that is not a positive whole number of days', () => {
    expect(() => burnRate(1n, 1n, 0)).toThrow(RangeError);
    expect(() => burnRate(1n, 1n, 1.5)).toThrow(RangeError);
  });
});

describe('daysBefore', () => {
  it('counts back across months, years and a leap day', () => {
    expect(daysBefore('2026-11-25', 29)).toBe('2026-10-27');
    expect(daysBefore('2026-01-05', 10)).toBe('2025-12-26');
    expect(daysBefore('2028-03-01', 1)).toBe('2028-02-29');
  });
});
