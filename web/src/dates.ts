// Calendar days as the forms fill them in (YYYY-MM-DD): today, and the first day of this
// month, in the company's time zone, so a late evening in Copenhagen is already tomorrow.
function partsIn(timeZone: string | undefined): { year: string; month: string; day: string } {
  const format = (zone: string | undefined) =>
    new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date());
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = format(timeZone);
  } catch {
    // An unknown zone name throws a RangeError; the browser's own zone is the next best.
    parts = format(undefined);
  }
  const part = (type: string) => parts.find((candidate) => candidate.type === type)?.value ?? '';
  return { year: part('year'), month: part('month'), day: part('day') };
}

export function todayIn(timeZone?: string): string {
  const { year, month, day } = partsIn(timeZone);
  return `${year}-${month}-${day}`;
}

export function monthStartIn(timeZone?: string): string {
  const { year, month } = partsIn(timeZone);
  return `${year}-${month}-01`;
}

/** "2025-02" → "2025-02-28". */
export function lastDayOf(month: string): string {
  const [year, monthNumber] = month.split('-').map(Number);
  return new Date(Date.UTC(year!, monthNumber!, 0)).toISOString().slice(0, 10);
}
