// Closed periods: a month the bookkeepers have closed. Its expenses can no longer change
// (filed, edited, reviewed) until it is reopened.
import type { Db } from '../db/database.js';
import { DomainError, notFound } from '../shared/errors.js';
import * as repo from './books.repository.js';

export type { ClosedPeriodRow } from './books.repository.js';

// Year 0000 is no year (ISO 8601 calendar dates start at 0001 here, as the date format's do).
const periodPattern = /^(?!0000)\d{4}-(0[1-9]|1[0-2])$/;
function checkPeriod(period: string): string {
  if (!periodPattern.test(period)) throw new DomainError('validation_failed', 'a period is a month, YYYY-MM', 'period');
  return period;
}

export async function closePeriod(db: Db, companyId: string, period: string, closedBy: string): Promise<repo.ClosedPeriodRow> {
  const closed = await repo.insertClosedPeriod(db, companyId, checkPeriod(period), closedBy);
  if (!closed) throw new DomainError('conflict', `${period} is closed already`, 'period');
  return closed;
}

export async function reopenPeriod(db: Db, companyId: string, period: string): Promise<void> {
  if (!(await repo.deleteClosedPeriod(db, companyId, checkPeriod(period)))) throw notFound('closed period');
}

export const listClosedPeriods = repo.listClosedPeriods;

/** Refuses a change to an expense of a closed month. */
export async function checkPeriodOpen(db: Db, companyId: string, spentOn: string): Promise<void> {
  const period = spentOn.slice(0, 7);
  if (await repo.isPeriodClosed(db, companyId, period)) throw new DomainError('period_closed', `${period} is closed: its expenses cannot change`);
}
