// Expense words as people read them: kinds, states, flags, and the history's actions.
import type { Expense, ExpenseFlag, ExpenseKind, ExpenseState } from '../api/types';

export const expenseKindLabels: Record<ExpenseKind, string> = {
  card: 'Card purchase',
  out_of_pocket: 'Out of pocket',
  mileage: 'Mileage',
  per_diem: 'Per diem',
};

export const expenseStateLabels: Record<ExpenseState, string> = {
  draft: 'Draft',
  in_review: 'In review',
  changes_requested: 'Changes requested',
  approved: 'Approved',
  rejected: 'Rejected',
  voided: 'Voided',
};

export const expenseFlagLabels: Record<ExpenseFlag, string> = {
  missing_receipt: 'Missing receipt',
  receipt_mismatch: 'Receipt disagrees',
  category_not_allowed: 'Category not for this team',
  over_threshold: 'Above review threshold',
  possible_duplicate: 'Possible duplicate',
};

export const reimbursementLabels: Record<Expense['reimbursement']['state'], string> = {
  none: 'Nothing to pay back',
  owed: 'To be paid back',
  in_batch: 'In a payout',
  paid: 'Paid back',
};

export const exportStateLabels: Record<Expense['export']['state'], string> = {
  not_exported: 'Not exported',
  queued: 'Queued for export',
  exporting: 'Exporting',
  exported: 'Exported',
  failed: 'Export failed',
};

const actionLabels: Record<string, string> = {
  filed: 'Filed',
  created_from_card: 'Made from the card purchase',
  updated: 'Changed',
  corrected: 'Corrected by the bookkeeper',
  submitted: 'Submitted for review',
  approved_on_submit: 'Submitted and approved',
  step_approved: 'Step approved',
  approved: 'Approved',
  rejected: 'Rejected',
  changes_requested: 'Changes requested',
  reopened: 'Reopened',
  commented: 'Comment',
  booked: 'Booked',
  unbooked: 'Booking removed',
  amount_changed: 'Amount changed',
  voided: 'Voided',
  exported: 'Exported',
  paid: 'Paid back',
};

export const eventActionLabel = (action: string) => actionLabels[action] ?? action.replaceAll('_', ' ');

/** What an expense is called in lists and headings: its merchant, else its kind. */
export function expenseTitle(expense: Expense): string {
  if (expense.merchant) return expense.merchant;
  if (expense.kind === 'mileage' && expense.mileage) return expense.mileage.route ? `Mileage: ${expense.mileage.route}` : `Mileage, ${expense.mileage.distanceKm} km`;
  if (expense.kind === 'per_diem' && expense.perDiem) return `Per diem, ${expense.perDiem.country}`;
  return expenseKindLabels[expense.kind];
}

/** The owner may change an expense while it is a draft or sent back (expense-lifecycle.ts). */
export const isEditableByOwner = (state: ExpenseState) => state === 'draft' || state === 'changes_requested';
