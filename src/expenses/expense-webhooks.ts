// What the expenses module tells webhook endpoints: an expense submitted, approved or rejected,
// each in the transaction that wrote the event to its history.
import type { Db } from '../db/database.js';
import { toMoneyJson } from '../money/money.js';
import { recordWebhookEvents, type WebhookEventType } from '../webhooks/webhooks.service.js';
import type { ExpenseRow } from './expenses.repository.js';

/** History actions endpoints hear of; an expense approved by policy on submission is both. */
const expenseWebhooks: Partial<Record<string, readonly WebhookEventType[]>> = {
  submitted: ['expense.submitted'],
  approved_on_submit: ['expense.submitted', 'expense.approved'],
  approved: ['expense.approved'],
  rejected: ['expense.rejected'],
};

export function isExpenseWebhookAction(action: string): boolean {
  return expenseWebhooks[action] !== undefined;
}

export async function recordExpenseWebhooks(trx: Db, expense: ExpenseRow, action: string, comment: string | null, at: Date): Promise<void> {
  const types = expenseWebhooks[action] ?? [];
  const data = {
    id: expense.id,
    userId: expense.user_id,
    kind: expense.kind,
    state: expense.state,
    cardTransactionId: expense.card_transaction_id,
    spentOn: expense.spent_on,
    merchant: expense.merchant,
    amount: toMoneyJson(expense.amount, expense.currency),
    comment,
  };
  await recordWebhookEvents(trx, types.map((type) => ({ companyId: expense.company_id, type, data })), at);
}
