// The company's calendar: what day, week, month and year an instant falls in where the
// company is (its IANA time zone), and when such a local day begins. Card limits reset, and
// purchases, expenses and exports are dated, by this calendar, never by UTC's.

export interface LocalTime {
  year: number;
  month: number;
  day: number;
  /** ISO weekday, 1 = Monday. */
  weekday: number;
  hour: number;
  minute: number;
}

const weekdayNumbers: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
const formatters = new Map<string, Intl.DateTimeFormat>();
const dayMs = 86_400_000;

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      weekday: 'short',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Whether `timeZone` is an IANA time zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock time in `timeZone` at the instant `at`. */
export function localTime(at: Date, timeZone: string): LocalTime {
  const parts = Object.fromEntries(formatterFor(timeZone).formatToParts(at).map((part) => [part.type, part.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: weekdayNumbers[parts.weekday!]!,
    hour: Number(parts.hour),
    minute: Number(parts.minute),
  };
}

/** The local date of `at` in `timeZone`, YYYY-MM-DD. */
export function localDateOf(at: Date, timeZone: string): string {
  const local = localTime(at, timeZone);
  return `${local.year}-${String(local.month).padStart(2, '0')}-${String(local.day).padStart(2, '0')}`;
}

/** The instant when the local wall-clock date `year-month-day 00:00` begins in `timeZone`. */
export function startOfLocalDay(year: number, month: number, day: number, timeZone: string): Date {
  const guess = Date.UTC(year, month - 1, day);
  // The zone's offset at the guess, corrected once more for a transition in between.
  let instant = guess;
  for (let i = 0; i < 2; i++) {
    const local = localTime(new Date(instant), timeZone);
    const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
    instant = guess - (asUtc - instant);
  }
  return new Date(instant);
}

/** When the local date `date` (YYYY-MM-DD) begins in `timeZone`. */
export function startOfLocalDate(date: string, timeZone: string): Date {
  return startOfLocalDay(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)), timeZone);
}

/** The date after `date`, both YYYY-MM-DD. */
export function nextDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + dayMs).toISOString().slice(0, 10);
}

/** The instants [start, end) of the local dates `from` to `to`, both included. */
export function localDateRange(from: string, to: string, timeZone: string): { start: Date; end: Date } {
  return { start: startOfLocalDate(from, timeZone), end: startOfLocalDate(nextDate(to), timeZone) };
}

export type CalendarUnit = 'day' | 'week' | 'month' | 'year';

/** When the local day, week (from Monday), month or year containing `at` began. */
export function startOf(unit: CalendarUnit, at: Date, timeZone: string): Date {
  const local = localTime(at, timeZone);
  if (unit === 'day') return startOfLocalDay(local.year, local.month, local.day, timeZone);
  if (unit === 'month') return startOfLocalDay(local.year, local.month, 1, timeZone);
  if (unit === 'year') return startOfLocalDay(local.year, 1, 1, timeZone);
  const monday = new Date(Date.UTC(local.year, local.month - 1, local.day - (local.weekday - 1)));
  return startOfLocalDay(monday.getUTCFullYear(), monday.getUTCMonth() + 1, monday.getUTCDate(), timeZone);
}
