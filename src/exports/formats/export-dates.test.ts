import { describe, expect, it } from 'vitest';
import { compactDate, fiscalYearContaining, isIsoDate, previousFiscalYear } from './export-dates.js';

describe('export dates', () => {
  it('tells calendar dates from look-alikes', () => {
    expect(['2024-02-29', '2023-12-31', '2024-01-01'].map(isIsoDate)).toEqual([true, true, true]);
    expect(['2023-02-29', '2024-13-01', '2024-04-31', '2024-1-01', '20240101', ''].map(isIsoDate)).toEqual([false, false, false, false, false, false]);
  });

  it('writes YYYYMMDD', () => {
    expect(compactDate('2024-03-04')).toBe('20240304');
  });

  const years: [string, number, string, string][] = [
    ['2024-03-10', 1, '2024-01-01', '2024-12-31'],
    ['2024-03-10', 7, '2023-07-01', '2024-06-30'],
    ['2024-07-01', 7, '2024-07-01', '2025-06-30'],
    ['2024-06-30', 7, '2023-07-01', '2024-06-30'],
    ['2023-05-01', 3, '2023-03-01', '2024-02-29'],
    ['2024-12-31', 12, '2024-12-01', '2025-11-30'],
  ];
  for (const [date, startMonth, start, end] of years) {
    it(`puts ${date} in the fiscal year ${start}..${end} when it starts in month ${startMonth}`, () => {
      expect(fiscalYearContaining(date, startMonth)).toEqual({ start, end });
    });
  }

  it('finds the year before', () => {
    expect(previousFiscalYear({ start: '2023-07-01', end: '2024-06-30' }, 7)).toEqual({ start: '2022-07-01', end: '2023-06-30' });
    expect(previousFiscalYear({ start: '2024-01-01', end: '2024-12-31' }, 1)).toEqual({ start: '2023-01-01', end: '2023-12-31' });
  });
});
