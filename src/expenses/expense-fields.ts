// Checks of what people type into an expense: texts, its date, attendees, a distance and a
// comment. Each refuses with the field it is about.
import { DomainError } from '../shared/errors.js';
import { mileageMetersMax } from './expense-amounts.js';

export const noteLengthMax = 1000;
export const merchantLengthMax = 200;
export const routeLengthMax = 300;
export const attendeesMax = 50;
export const attendeeLengthMax = 100;
export const commentLengthMax = 1000;

/** The text trimmed, or null when nothing is left. */
export function checkText(value: string | null | undefined, field: string, lengthMax: number): string | null {
  const text = value?.trim() ?? '';
  if (text.length > lengthMax) throw new DomainError('validation_failed', `${field} has at most ${lengthMax} characters`, field);
  return text.length === 0 ? null : text;
}

const datePattern = /^\d{4}-\d{2}-\d{2}$/;
/** A calendar date, YYYY-MM-DD, at most a day after now (a day of slack for time zones ahead of UTC).
 * The year 0000 is refused here: JavaScript takes it, PostgreSQL's date does not (SQLSTATE 22008). */
export function checkDate(value: string, field: string, now: Date): string {
  const parsed = datePattern.test(value) && !value.startsWith('0000') ? new Date(`${value}T00:00:00Z`) : null;
  if (!parsed || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== value) throw new DomainError('validation_failed', `${field} is a date, YYYY-MM-DD`, field);
  if (parsed.getTime() > now.getTime() + 86_400_000) throw new DomainError('validation_failed', `${field} is in the future`, field);
  return value;
}

export function checkAttendees(attendees: readonly string[] | undefined): string[] | undefined {
  if (attendees === undefined) return undefined;
  if (attendees.length > attendeesMax) throw new DomainError('validation_failed', `at most ${attendeesMax} attendees`, 'attendees');
  return attendees.map((name, index) => {
    const text = name.trim();
    if (text.length === 0 || text.length > attendeeLengthMax) throw new DomainError('validation_failed', `an attendee's name has 1 to ${attendeeLengthMax} characters`, `attendees.${index}`);
    return text;
  });
}

/** "12.3" km → 12300 m: at most three decimals, never through a float. */
export function kilometresToMeters(value: string, field = 'distanceKm'): number {
  const match = /^(\d{1,5})(?:\.(\d{1,3}))?$/.exec(value);
  const meters = match ? Number(match[1]) * 1000 + Number((match[2] ?? '').padEnd(3, '0')) : 0;
  if (meters > mileageMetersMax) throw new DomainError('validation_failed', `one mileage claim covers at most ${mileageMetersMax / 1000} km`, field);
  if (!match || meters <= 0) throw new DomainError('validation_failed', `${field} is a distance in kilometres with at most three decimals, e.g. "12.3"`, field);
  return meters;
}

/** 12300 m → "12.3": kilometres without trailing zeros. */
export function metersToKilometres(meters: number): string {
  const fraction = String(meters % 1000).padStart(3, '0').replace(/0+$/, '');
  return fraction ? `${Math.trunc(meters / 1000)}.${fraction}` : String(Math.trunc(meters / 1000));
}

/** A comment on an expense; one that decides against the owner must say why. */
export function checkComment(comment: string | null | undefined, required: boolean): string | null {
  const text = comment?.trim() ?? '';
  if (text.length > commentLengthMax) throw new DomainError('validation_failed', `a comment has at most ${commentLengthMax} characters`, 'comment');
  if (required && text.length === 0) throw new DomainError('validation_failed', 'say why, so the person knows what to do', 'comment');
  return text.length === 0 ? null : text;
}
