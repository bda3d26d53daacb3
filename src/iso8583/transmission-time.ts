// Field 7, transmission date and time: MMDDhhmmss in UTC, without a year. The year is the one
// that puts the moment nearest to now, so a message sent just before New Year and read just
// after it still lands in the old year, and a repeat always lands where its original did.

const pattern = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;

function atYear(year: number, [month, day, hour, minute, second]: number[]): Date | null {
  const at = new Date(Date.UTC(year, month! - 1, day, hour, minute, second));
  // Date.UTC rolls 31 April over into May: a date that does not round-trip does not exist.
  const exists = at.getUTCMonth() === month! - 1 && at.getUTCDate() === day && at.getUTCHours() === hour && at.getUTCMinutes() === minute && at.getUTCSeconds() === second;
  return exists ? at : null;
}

/** The moment field 7 names, or null when it is not a date and time (or 29 February of no nearby year). */
export function readTransmissionTime(mmddhhmmss: string, now: Date): Date | null {
  const match = pattern.exec(mmddhhmmss);
  if (!match) return null;
  const parts = match.slice(1).map(Number);
  const year = now.getUTCFullYear();
  const candidates = [year - 1, year, year + 1].map((y) => atYear(y, parts)).filter((at): at is Date => at !== null);
  let nearest: Date | null = null;
  for (const at of candidates) {
    if (!nearest || Math.abs(at.getTime() - now.getTime()) < Math.abs(nearest.getTime() - now.getTime())) nearest = at;
  }
  return nearest;
}

const two = (n: number) => String(n).padStart(2, '0');

export function formatTransmissionTime(at: Date): string {
  return [at.getUTCMonth() + 1, at.getUTCDate(), at.getUTCHours(), at.getUTCMinutes(), at.getUTCSeconds()].map(two).join('');
}

/** The moment as YYYYMMDDhhmmss (UTC), the year made explicit, for keys that outlive a year. */
export function fullTimestamp(at: Date): string {
  return `${at.getUTCFullYear()}${formatTransmissionTime(at)}`;
}
