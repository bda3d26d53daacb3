/**
 * Policy checks: what flags an expense for a reviewer. Pure, in a fixed order:
 * - missing_receipt: a card purchase whose receipt is neither in nor declared lost, or an
 *   out-of-pocket expense without one (mileage and per diem need none, nor does a voided
 *   expense, which claims nothing);
 * - receipt_mismatch: the receipt's reading disagrees with the expense (amount, date or
 *   merchant: src/receipts/receipt-check.ts), whether or not its owner said why;
 * - category_not_allowed: a line's category is limited to teams the person is not in;
 * - over_threshold: the amount is above the company's review threshold;
 * - possible_duplicate: the person has another expense of the same amount on the same day
 *   with the same merchant.
 * A flagged expense waits for a reviewer; an unflagged one is approved when submitted.
 */
import type { ExpenseKind, ExpenseState } from '../db/schema.js';

export const policyFlags = ['missing_receipt', 'receipt_mismatch', 'category_not_allowed', 'over_threshold', 'possible_duplicate'] as const;
export type PolicyFlag = (typeof policyFlags)[number];

export interface PolicyInput {
  kind: ExpenseKind;
  state: ExpenseState;
  amount: bigint;
  /** Card: the transaction's receipt is attached or declared lost; others: a receipt is attached. */
  hasReceipt: boolean;
  /** The attached receipt's reading disagrees with the expense. */
  receiptDisagrees: boolean;
  /** For each line's category, the teams allowed (null: everyone). */
  categoryTeams: readonly (readonly string[] | null)[];
  personTeamId: string | null;
  reviewThreshold: bigint | null;
  /** Another expense of the person with the same amount, day and merchant. */
  hasTwin: boolean;
}

export function policyFlagsOf(input: PolicyInput): PolicyFlag[] {
  const flags: PolicyFlag[] = [];
  const needsReceipt = (input.kind === 'card' || input.kind === 'out_of_pocket') && input.state !== 'voided';
  if (needsReceipt && !input.hasReceipt) flags.push('missing_receipt');
  if (needsReceipt && input.hasReceipt && input.receiptDisagrees) flags.push('receipt_mismatch');
  if (input.categoryTeams.some((teams) => teams !== null && (input.personTeamId === null || !teams.includes(input.personTeamId)))) flags.push('category_not_allowed');
  if (input.reviewThreshold !== null && input.amount > input.reviewThreshold) flags.push('over_threshold');
  if (input.hasTwin) flags.push('possible_duplicate');
  return flags;
}
