// Free text people give with a receipt (a file's name, what happened to a lost one).
import { DomainError } from '../shared/errors.js';

/** The text trimmed, or null when nothing is left; longer than `lengthMax` is refused. */
export function checkText(value: string | null | undefined, field: string, lengthMax: number): string | null {
  const text = value?.trim() ?? '';
  if (text.length > lengthMax) throw new DomainError('validation_failed', `${field} has at most ${lengthMax} characters`, field);
  return text.length === 0 ? null : text;
}
