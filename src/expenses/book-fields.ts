// Checks of the fields the books are kept with, shared by the services of the settings, the
// chart of accounts, tax codes, tags and bank accounts.
import { DomainError } from '../shared/errors.js';

export function checkName(value: string, field: string, lengthMax: number): string {
  const text = value.trim();
  if (text.length === 0 || text.length > lengthMax) throw new DomainError('validation_failed', `${field} has 1 to ${lengthMax} characters`, field);
  return text;
}

const accountCodePattern = /^[0-9A-Za-z]{1,10}$/;
export function checkAccountCode(value: string, field: string): string {
  if (!accountCodePattern.test(value)) throw new DomainError('validation_failed', 'an account code has 1 to 10 letters or digits', field);
  return value;
}
