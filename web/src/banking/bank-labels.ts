// How the bank rails' states and numbers read in the app.
import type { BankEntryState, StatementImport, StatementState } from '../api/types';

export const statementStateLabels: Record<StatementState, string> = {
  booked: 'Booked',
  held: 'Held',
  discarded: 'Discarded',
};

export const entryStateLabels: Record<BankEntryState, string> = {
  top_up: 'Top-up',
  suspense: 'In suspense',
  assigned: 'Assigned',
  returned: 'To return',
  payout: 'Payout',
  duplicate: 'Duplicate',
  other: 'Other',
  pending: 'Waiting',
};

/** "1 top-up", "2 in suspense": a count of entries in one state. */
const countPhrases: Record<BankEntryState, (count: number) => string> = {
  top_up: (count) => `${count} ${count === 1 ? 'top-up' : 'top-ups'}`,
  suspense: (count) => `${count} in suspense`,
  assigned: (count) => `${count} assigned`,
  returned: (count) => `${count} to return`,
  payout: (count) => `${count} ${count === 1 ? 'payout' : 'payouts'}`,
  duplicate: (count) => `${count} ${count === 1 ? 'duplicate' : 'duplicates'}`,
  other: (count) => `${count} other`,
  pending: (count) => `${count} waiting`,
};

/** The order counts are told in: what needs a person first, then what was booked. */
const countOrder: readonly BankEntryState[] = ['pending', 'suspense', 'top_up', 'assigned', 'returned', 'payout', 'duplicate', 'other'];

export type EntryCounts = StatementImport['statements'][number]['entries'];

export function countsOf(states: readonly BankEntryState[]): EntryCounts {
  const counts: EntryCounts = {};
  for (const state of states) counts[state] = (counts[state] ?? 0) + 1;
  return counts;
}

/** Each state with entries in it, as phrases: ["1 in suspense", "1 top-up"]. */
export function describeCounts(counts: EntryCounts): string[] {
  return countOrder.filter((state) => (counts[state] ?? 0) > 0).map((state) => countPhrases[state](counts[state]!));
}

/** An IBAN or a creditor reference in groups of four, as printed on paper (ISO 13616). */
export function inGroupsOfFour(text: string): string {
  return text.replace(/\s+/g, '').replace(/(.{4})(?=.)/g, '$1 ');
}

/** A reference as typed, compared without its spaces or case ("rf18 5390" is "RF185390"). */
export function compactReference(text: string): string {
  return text.replace(/\s+/g, '').toUpperCase();
}
