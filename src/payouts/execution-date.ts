/**
 * The day a payout batch asks the bank to pay, decided from what the admin asked for and the
 * day it is (YYYY-MM-DD, UTC): today when nothing was asked; a day in the past is refused,
 * since a bank would reject (or silently move) a pain.001 order dated before it arrives.
 */
export type ExecutionDateDecision = { ok: true; executionDate: string } | { ok: false; reason: 'not_a_day' | 'in_the_past' };

export function decideExecutionDate(requested: string | undefined, today: string): ExecutionDateDecision {
  const executionDate = requested ?? today;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(executionDate) || Number.isNaN(Date.parse(executionDate))) return { ok: false, reason: 'not_a_day' };
  if (executionDate < today) return { ok: false, reason: 'in_the_past' };
  return { ok: true, executionDate };
}
