import { createHash } from 'node:crypto';
import type { StatementEntry } from './statements/statement.js';
import { compactIban, realReference } from './statement-text.js';

const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');

/**
 * What names one transfer across statements (an intraday report, then the day's statement,
 * or the same day in CAMT and MT940): the account with the bank's own reference for it; else
 * a digest of everything the entry says, with how often that same content came before in the
 * statement (two identical transfers on one statement stay two).
 */
export function transferKeyOf(account: string | null, entry: StatementEntry, amount: bigint, currency: string, occurrence: number): string {
  const bankReference = realReference(entry.bankReference);
  if (bankReference) return `ref:${compactIban(account)}:${bankReference}`.slice(0, 200);
  const content = [compactIban(account), entry.bookingDate, entry.valueDate, String(amount), currency, realReference(entry.endToEndId), entry.remittanceInformation, entry.counterparty?.iban, entry.counterparty?.name].join('|');
  return `sha:${sha256(content).slice(0, 40)}#${occurrence}`;
}
