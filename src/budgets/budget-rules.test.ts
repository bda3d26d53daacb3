import { describe, expect, it } from 'vitest';
import { percentUsed, periodRange, remainingOf, thresholdsReached } from './budget-rules.js';

describe('periodRange', () => {
  const zone = 'Europe/Copenhagen';
  it.each([
    // 2026-03-31 23:30 UTC is already 1 April in Copenhagen (UTC+2 in summer time).
    ['month', '2026-03-31T23:30:00Z', '2026-04-01', '2026-04-30', '2026-03-31T22:00:00.000Z', '2026-04-30T22:00:00.000Z'],
    ['month', '2026-02-10T12:00:00Z', '2026-02-01', '2026-02-28', '2026-01-31T23:00:00.000Z', '2026-02-28T23:00:00.000Z'],
    ['month', '2028-02-10T12:00:00Z', '2028-02-01', '2028-02-29', '2028-01-31T23:00:00.000Z', '2028-02-29T23:00:00.000Z'],
    ['quarter', '2026-05-15T12:00:00Z', '2026-04-01', '2026-06-30', '2026-03-31T22:00:00.000Z', '2026-06-30T22:00:00.000Z'],
    ['quarter', '2026-12-31T12:00:00Z', '2026-10-01', '2026-12-31', '2026-09-30T22:00:00.000Z', '2026-12-31T23:00:00.000Z'],
    ['quarter', '2026-01-01T00:30:00Z', '2026-01-01', '2026-03-31', '2025-12-31T23:00:00.000Z', '2026-03-31T22:00:00.000Z'],
    ['year', '2026-12-31T23:30:00Z', '2027-01-01', '2027-12-31', '2026-12-31T23:00:00.000Z', '2027-12-31T23:00:00.000Z'],
  ] as const)('%s containing %s runs %s to %s', (period, at, from, to, start, end) => {
    const range = periodRange(period, new Date(at), zone);
    expect(range).toEqual({ from, to, start: new Date(start), end: new Date(end) });
  });
});

describe('budget figures', () => {
  const figures = (spent: bigint, pending: bigint) => ({ amount: 100_000n, spent, pending });
  it('leaves the amount less what is spent and held, below zero when overspent', () => {
    expect(remainingOf(figures(30_000n, 20_000n))).toBe(50_000n);
    expect(remainingOf(figures(90_000n, 20_000n))).toBe(-10_000n);
  });
  it('counts the percent used rounded down', () => {
    expect(percentUsed(figures(79_999n, 0n))).toBe(79);
    expect(percentUsed(figures(40_000n, 40_000n))).toBe(80);
    expect(percentUsed(figures(-5n, 0n))).toBe(0);
  });
  it('reaches a threshold at exactly its share of the amount, not a unit before', () => {
    expect(thresholdsReached(figures(79_999n, 0n), [100, 80])).toEqual([]);
    expect(thresholdsReached(figures(79_999n, 1n), [100, 80, 80])).toEqual([80]);
    expect(thresholdsReached(figures(100_000n, 0n), [100, 80])).toEqual([80, 100]);
  });
});
