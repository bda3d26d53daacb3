// How the bank rails' states and numbers read in the app.
import type { BankEntryState, StatementImport, StatementState } from '../api/types';
import { en } from '../i18n/en';
import { t } from '../i18n/i18n';
import { labelsOf } from '../i18n/labels';

export const statementStateLabels: Record<StatementState, string> = labelsOf('banking.labels.statementStates', en.banking.labels.statementStates);

export const entryStateLabels: Record<BankEntryState, string> = labelsOf('banking.labels.entryStates', en.banking.labels.entryStates);

/** "1 top-up", "2 in suspense": a count of entries in one state, by the language's plural rules. */
const countPhrase = (state: BankEntryState, count: number): string => t(`banking.labels.counts.${state}`, { count });

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
  return countOrder.filter((state) => (counts[state] ?? 0) > 0).map((state) => countPhrase(state, counts[state]!));
}

/** An IBAN or a creditor reference in groups of four, as printed on paper (ISO 13616). */
export function inGroupsOfFour(text: string): string {
  return text.replace(/\s+/g, '').replace(/(.{4})(?=.)/g, '$1 ');
}

/** A reference as typed, compared without its spaces or case ("rf18 5390" is "RF185390"). */
export function compactReference(text: string): string {
  return text.replace(/\s+/g, '').toUpperCase();
}
