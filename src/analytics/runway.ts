// Runway at the current burn rate: how many whole days the wallet's available balance lasts if
// the company keeps spending what it spent per day over a trailing window. Exact bigint
// arithmetic on minor units; the days are rounded down, so the wallet lasts at least that long.

export interface BurnRate {
  /** Length of the trailing window, in days (today included). */
  windowDays: number;
  /** Spend within the window, in minor units. */
  spent: bigint;
  /** spent / windowDays, rounded down to the minor unit. */
  dailyAverage: bigint;
  /** Whole days the available balance lasts at that rate; null when nothing was spent (no
   * burn, no end); 0 when nothing is available. */
  runwayDays: number | null;
}

export function burnRate(available: bigint, spent: bigint, windowDays: number): BurnRate {
  if (!Number.isInteger(windowDays) || windowDays <= 0) throw new RangeError(`windowDays must be a positive whole number, not ${windowDays}`);
  const days = BigInt(windowDays);
  const dailyAverage = spent > 0n ? spent / days : 0n;
  let runwayDays: number | null = null;
  if (spent > 0n) runwayDays = available > 0n ? Number((available * days) / spent) : 0;
  return { windowDays, spent, dailyAverage, runwayDays };
}

/** The date (YYYY-MM-DD) `days` calendar days before `date`. */
export function daysBefore(date: string, days: number): string {
  const time = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)) - days);
  return new Date(time).toISOString().slice(0, 10);
}
