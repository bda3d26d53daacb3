// A bank account given to Outlay: the company's debtor account that reimbursements are paid
// from, or a person's payee account they are paid to.
import { electronicFormatIBAN, isValidBIC, isValidIBAN } from 'ibantools';
import { DomainError } from '../shared/errors.js';
import { checkName } from './book-fields.js';

export interface BankAccount {
  name: string;
  iban: string;
  bic: string | null;
}

/** Checks an account holder, IBAN (ISO 13616 check digits) and optional BIC (ISO 9362). */
export function checkBankAccount(input: { name: string; iban: string; bic?: string | null }, field: string): BankAccount {
  const name = checkName(input.name, `${field}.name`, 70);
  const iban = electronicFormatIBAN(input.iban) ?? '';
  if (!isValidIBAN(iban)) throw new DomainError('validation_failed', `"${input.iban}" is not a valid IBAN`, `${field}.iban`);
  const bic = input.bic ? input.bic.replace(/\s+/g, '').toUpperCase() : null;
  if (bic !== null && !isValidBIC(bic)) throw new DomainError('validation_failed', `"${input.bic}" is not a valid BIC`, `${field}.bic`);
  return { name, iban, bic };
}
