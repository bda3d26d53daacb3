// Expense words as people read them: kinds, states, flags, and the history's actions.
import { writeAmountInput } from '../amount-input';
import type { Expense, ExpenseFlag, ExpenseKind, ExpenseState } from '../api/types';
import { en } from '../i18n/en';
import { t } from '../i18n/i18n';
import { labelsOf } from '../i18n/labels';
import { formatLocale } from '../i18n/locale';

export const expenseKindLabels: Record<ExpenseKind, string> = labelsOf('expenses.kinds', en.expenses.kinds);

export const expenseStateLabels: Record<ExpenseState, string> = labelsOf('expenses.states', en.expenses.states);

export const expenseFlagLabels: Record<ExpenseFlag, string> = labelsOf('expenses.flags', en.expenses.flags);

export const reimbursementLabels: Record<Expense['reimbursement']['state'], string> = labelsOf('expenses.reimbursement', en.expenses.reimbursement);

export const exportStateLabels: Record<Expense['export']['state'], string> = labelsOf('expenses.exportStates', en.expenses.exportStates);

const actionLabels: Record<string, string> = labelsOf('expenses.actions', en.expenses.actions);

export const eventActionLabel = (action: string) => (Object.hasOwn(actionLabels, action) ? actionLabels[action]! : action.replaceAll('_', ' '));

/** What an expense is called in lists and headings: its merchant, else its kind. */
export function expenseTitle(expense: Expense): string {
  if (expense.merchant) return expense.merchant;
  if (expense.kind === 'mileage' && expense.mileage) {
    const { route, distanceKm } = expense.mileage;
    return route ? t('expenses.titles.mileageRoute', { route }) : t('expenses.titles.mileageDistance', { distance: writeAmountInput(distanceKm, formatLocale()) });
  }
  if (expense.kind === 'per_diem' && expense.perDiem) return t('expenses.titles.perDiem', { country: expense.perDiem.country });
  return expenseKindLabels[expense.kind];
}

/** The owner may change an expense while it is a draft or sent back (expense-lifecycle.ts). */
export const isEditableByOwner = (state: ExpenseState) => state === 'draft' || state === 'changes_requested';
