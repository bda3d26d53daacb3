/**
 * What a statement entry is, decided from its text alone. Pure, for tables of cases:
 * - on the platform's top-up account, a credit carrying a company's creditor reference (in
 *   the remittance information, the end-to-end id or the bank's free text, however spaced or
 *   cased) is that company's top-up; a credit naming no company, or several, waits in
 *   suspense for an operator;
 * - on a company's own account, a debit naming one of its payout batches (the pain.001
 *   message id, or a transfer's end-to-end id) is that batch leaving the account.
 */
import { findCreditorReferences } from './creditor-reference.js';

export interface EntryText {
  amount: bigint;
  remittance: string | null;
  endToEndId: string | null;
  bankReference: string | null;
  information: string | null;
}

export type TopUpMatch = { kind: 'top_up'; reference: string } | { kind: 'suspense'; reason: string } | { kind: 'other' };

/** The creditor references an entry carries, each once, in the order found. */
export function referencesOf(entry: EntryText): string[] {
  const found = new Set<string>();
  for (const text of [entry.remittance, entry.endToEndId, entry.information, entry.bankReference]) {
    if (text) for (const reference of findCreditorReferences(text)) found.add(reference);
  }
  return [...found];
}

/** Decides a platform account entry, given which references belong to companies. */
export function matchTopUp(entry: EntryText, known: ReadonlySet<string>): TopUpMatch {
  if (entry.amount <= 0n) return { kind: 'other' };
  const references = referencesOf(entry).filter((reference) => known.has(reference));
  if (references.length === 1) return { kind: 'top_up', reference: references[0]! };
  if (references.length > 1) return { kind: 'suspense', reason: `the transfer names ${references.length} companies' references: ${references.join(', ')}` };
  return { kind: 'suspense', reason: 'no company\'s payment reference in the transfer' };
}

export interface PayoutCandidate {
  batchId: string;
  messageId: string;
  total: bigint;
  endToEndIds: readonly string[];
}

export type PayoutMatch = { kind: 'payout'; batchId: string } | { kind: 'other' };

const compact = (text: string | null) => (text ?? '').toUpperCase().replace(/\s+/g, '');

/** Decides a company account entry: a debit of a batch's total naming it, or of one of its transfers. */
export function matchPayout(entry: EntryText, batches: readonly PayoutCandidate[]): PayoutMatch {
  if (entry.amount >= 0n) return { kind: 'other' };
  const text = [entry.remittance, entry.endToEndId, entry.bankReference, entry.information].map(compact).join('|');
  for (const batch of batches) {
    if (text.includes(compact(batch.messageId)) && -entry.amount === batch.total) return { kind: 'payout', batchId: batch.batchId };
    if (entry.endToEndId && batch.endToEndIds.some((id) => compact(id) === compact(entry.endToEndId))) return { kind: 'payout', batchId: batch.batchId };
  }
  return { kind: 'other' };
}
