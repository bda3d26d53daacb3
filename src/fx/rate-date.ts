// Calendar dates of rates, as 'YYYY-MM-DD' strings: the form the database returns a date
// column in, so no time zone can move a rate to another day.

const calendarDatePattern = /^\d{4}-\d{2}-\d{2}$/;
const dayMs = 24 * 3600 * 1000;

/** True for a real calendar date written 'YYYY-MM-DD': '2026-02-28' yes, '2026-02-30' no. */
export function isCalendarDate(text: string): boolean {
  if (!calendarDatePattern.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/** The date `days` days before `date`: daysBefore('2026-03-02', 2) is '2026-02-28'. */
export function daysBefore(date: string, days: number): string {
  return new Date(new Date(`${date}T00:00:00Z`).getTime() - days * dayMs).toISOString().slice(0, 10);
}
