// Whether a statement adds up: its balances are in the account's currency, and the opening
// balance plus the entries is the closing balance. A statement that does not add up is
// still returned (the bank sent it, and an operator has to see it), marked inconsistent
// with every reason found, in this order: currencies, the balance equation, entry totals.
import { formatExactAmount, negate, sameAmount, sumAmounts, type ExactAmount } from './statement-amount.js';

export interface BalanceFigure {
  /** How the statement calls it: "opening balance", "closing balance", "available balance (:64:)". */
  label: string;
  amount: ExactAmount;
  currency: string;
}

export interface EntryFigure {
  amount: ExactAmount;
  currency: string | null;
  /** Debit side (D and RC in MT940, DBIT in CAMT); a zero amount has no sign to tell it. */
  debit: boolean;
}

/** A total the bank states for one side, e.g. MT942 `:90D:` (number and sum of debits). */
export interface EntryTotal {
  label: string;
  debit: boolean;
  count: number;
  /** Unsigned, as the bank writes it. */
  amount: ExactAmount;
  currency: string;
}

export interface ReconcileInput {
  currency: string | null;
  opening: BalanceFigure | null;
  closing: BalanceFigure | null;
  otherBalances: BalanceFigure[];
  entries: EntryFigure[];
  totals: EntryTotal[];
}

export type Reconciliation = { consistent: true; inconsistency: null } | { consistent: false; inconsistency: string };

function currencyProblems(input: ReconcileInput): string[] {
  const account = input.currency;
  if (account === null) return [];
  const problems: string[] = [];
  for (const balance of [input.opening, input.closing, ...input.otherBalances]) {
    if (balance && balance.currency !== account) {
      problems.push(`the ${balance.label} ${formatExactAmount(balance.amount, balance.currency)} is in ${balance.currency}, the account in ${account}`);
    }
  }
  for (const total of input.totals) {
    if (total.currency !== account) problems.push(`${total.label} ${formatExactAmount(total.amount, total.currency)} is in ${total.currency}, the account in ${account}`);
  }
  const foreign = input.entries.map((entry, index) => ({ entry, index })).filter(({ entry }) => entry.currency !== null && entry.currency !== account);
  if (foreign.length > 0) {
    const first = foreign[0]!;
    problems.push(`entry ${first.index + 1} (${formatExactAmount(first.entry.amount, first.entry.currency)}) is in ${first.entry.currency}, the account in ${account}${foreign.length > 1 ? ` (${foreign.length - 1} more entries in another currency)` : ''}`);
  }
  return problems;
}

function balanceProblem(input: ReconcileInput): string | null {
  const { opening, closing } = input;
  if (!opening || !closing) return null;
  const movement = sumAmounts(input.entries.map((entry) => entry.amount));
  const expected = sumAmounts([opening.amount, movement]);
  if (sameAmount(expected, closing.amount)) return null;
  const show = (amount: ExactAmount) => formatExactAmount(amount, opening.currency);
  return (
    `the ${opening.label} ${show(opening.amount)} plus the ${input.entries.length} entries (${show(movement)}) is ${show(expected)}, ` +
    `but the ${closing.label} is ${show(closing.amount)} (a difference of ${show(sumAmounts([closing.amount, negate(expected)]))})`
  );
}

function totalProblems(input: ReconcileInput): string[] {
  return input.totals.flatMap((total) => {
    const side = input.entries.filter((entry) => entry.debit === total.debit);
    const sum = sumAmounts(side.map((entry) => (entry.debit ? negate(entry.amount) : entry.amount)));
    if (side.length === total.count && sameAmount(sum, total.amount)) return [];
    const what = total.debit ? 'debit' : 'credit';
    return [
      `${total.label} states ${total.count} ${what} entries of ${formatExactAmount(total.amount, total.currency)}, ` +
        `but the statement has ${side.length} of ${formatExactAmount(sum, total.currency)}`,
    ];
  });
}

export function reconcile(input: ReconcileInput): Reconciliation {
  const currencies = currencyProblems(input);
  // Sums across currencies mean nothing; the currency problem is the whole story then.
  const problems = currencies.length > 0 ? currencies : [balanceProblem(input), ...totalProblems(input)].filter((problem): problem is string => problem !== null);
  return problems.length === 0 ? { consistent: true, inconsistency: null } : { consistent: false, inconsistency: problems.join('; ') };
}
