// An expense's history: every change is an event with its actor, in the transaction of the
// change, and a line in the company's audit trail; the owner and reviewers read it back oldest
// first.
import type { Actor } from '../auth/actor.js';
import type { Principal } from '../auth/principal.js';
import { recordAudit } from '../audit/audit.service.js';
import type { Db } from '../db/database.js';
import { newId } from '../shared/ids.js';
import { recordExpenseWebhooks, isExpenseWebhookAction } from './expense-webhooks.js';
import { getExpense } from './expenses.service.js';
import * as repo from './expenses.repository.js';

export const historyEventsMax = 500;

export async function recordEvent(trx: Db, expense: Pick<repo.ExpenseRow, 'company_id' | 'id'> | repo.ExpenseRow, actor: Actor, action: string, comment: string | null = null, details: Record<string, unknown> = {}) {
  await recordAudit(trx, { companyId: expense.company_id, ...actor, action: `expense.${action}`, subjectType: 'expense', subjectId: expense.id, details: comment === null ? details : { ...details, comment } });
  const event = await repo.insertEvent(trx, {
    company_id: expense.company_id,
    id: newId('expenseEvent'),
    expense_id: expense.id,
    actor_type: actor.actorType,
    actor_id: actor.actorId,
    action,
    comment,
    details: JSON.stringify(details),
  });
  if (isExpenseWebhookAction(action) && 'state' in expense) await recordExpenseWebhooks(trx, expense as repo.ExpenseRow, action, comment, event.created_at);
  return event;
}

export async function expenseHistory(db: Db, principal: Principal, id: string): Promise<repo.ExpenseEventRow[]> {
  const expense = await getExpense(db, principal, id);
  return repo.listEvents(db, principal.companyId, expense.id, historyEventsMax);
}
