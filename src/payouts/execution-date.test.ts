import { describe, expect, it } from 'vitest';
import { decideExecutionDate, type ExecutionDateDecision } from './execution-date.js';

const today = '2026-12-01';

describe('a payout batch\'s execution date', () => {
  const cases: [string, string | undefined, ExecutionDateDecision][] = [
    ['is today when none is asked for', undefined, { ok: true, executionDate: today }],
    ['may be today', '2026-12-01', { ok: true, executionDate: '2026-12-01' }],
    ['may be a later day', '2027-01-15', { ok: true, executionDate: '2027-01-15' }],
    ['is refused when not written YYYY-MM-DD', '1.12.2026', { ok: false, reason: 'not_a_day' }],
    ['is refused when it is no day of the calendar', '2026-13-01', { ok: false, reason: 'not_a_day' }],
    ['is refused when it has passed', '2026-11-30', { ok: false, reason: 'in_the_past' }],
  ];
  it.each(cases)('%s', (_name, requested, decision) => {
    expect(decideExecutionDate(requested, today)).toEqual(decision);
  });
});
