import { describe, expect, it } from 'vitest';
import { DomainError } from '../shared/errors.js';
import { monthEnd, monthsBetween, monthStart, overviewPeriodDaysMax, readComparedMonth, readOverviewFilter } from './overview-filter.js';

const today = '2026-12-06';

function refusal(run: () => unknown): { code: string; field: string | undefined } {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return { code: error.code, field: error.field };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('the overview filter', () => {
  it('defaults to the twelve months up to today', () => {
    expect(readOverviewFilter({}, today)).toEqual({ from: '2026-01-01', to: today, teamId: null, categoryId: null, tagId: null, userId: null, cardId: null });
    expect(readOverviewFilter({ to: '2026-03-31' }, today).from).toBe('2025-04-01');
  });

  it.each([
    ['a date that is not one', { from: '2026-02-30' }, 'from'],
    ['text for a date', { to: 'yesterday' }, 'to'],
    ['a period that runs backwards', { from: '2026-12-01', to: '2026-11-30' }, 'from'],
    ['a period longer than the maximum', { from: '2020-01-01', to: '2026-12-31' }, 'from'],
  ])('refuses %s, naming the field', (_case, input, field) => {
    expect(refusal(() => readOverviewFilter(input, today))).toEqual({ code: 'validation_failed', field });
  });

  it('takes a period of exactly the maximum length', () => {
    const from = new Date(Date.UTC(2026, 11, 6) - (overviewPeriodDaysMax - 1) * 86_400_000).toISOString().slice(0, 10);
    expect(readOverviewFilter({ from, to: today }, today).from).toBe(from);
  });

  it('counts months across a year end and February of a leap year', () => {
    expect(monthStart('2026-01-15', 1)).toBe('2025-12-01');
    expect(monthEnd('2028-02-10')).toBe('2028-02-29');
    expect(monthsBetween('2025-11-20', '2026-02-01')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
  });

  it('reads the month to compare, by default this one', () => {
    expect(readComparedMonth(undefined, today)).toBe('2026-12-01');
    expect(readComparedMonth('2026-03', today)).toBe('2026-03-01');
    expect(refusal(() => readComparedMonth('2026-13', today))).toEqual({ code: 'validation_failed', field: 'month' });
  });
});
