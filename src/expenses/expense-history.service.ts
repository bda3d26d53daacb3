// An expense's history: every change is an event with its actor, in the transaction of the
// change, and a line in the company's audit trail; the owner and reviewers read it back oldest
// first.
import type { Actor } from '../auth/actor.js';
import type { Principal } from '../auth/principal.js';
import { recordAudit, recordAudits } from '../audit/audit.service.js';
import type { Db } from '../db/database.js';
import { newId } from '../shared/ids.js';
import { recordExpenseWebhooks, isExpenseWebhookAction } from './expense-webhooks.js';
import { getExpense } from './expenses.service.js';
import * as repo from './expenses.repository.js';

export const historyEventsMax = 500;

interface NewEvent {
  expense: Pick<repo.ExpenseRow, 'company_id' | 'id'>;
  action: string;
  comment: string | null;
  details: Record<string, unknown>;
}

const auditOf = (actor: Actor, { expense, action, comment, details }: NewEvent) => ({ companyId: expense.company_id, ...actor, action: `expense.${action}`, subjectType: 'expense', subjectId: expense.id, details: comment === null ? details : { ...details, comment } });

const rowOf = (actor: Actor, { expense, action, comment, details }: NewEvent) => ({
  company_id: expense.company_id,
  id: newId('expenseEvent'),
  expense_id: expense.id,
  actor_type: actor.actorType,
  actor_id: actor.actorId,
  action,
  comment,
  details: JSON.stringify(details),
});

export async function recordEvent(trx: Db, expense: Pick<repo.ExpenseRow, 'company_id' | 'id'> | repo.ExpenseRow, actor: Actor, action: string, comment: string | null = null, details: Record<string, unknown> = {}) {
  const event: NewEvent = { expense, action, comment, details };
  await recordAudit(trx, auditOf(actor, event));
  const row = await repo.insertEvent(trx, rowOf(actor, event));
  if (isExpenseWebhookAction(action) && 'state' in expense) await recordExpenseWebhooks(trx, expense as repo.ExpenseRow, action, comment, row.created_at);
  return row;
}

/** Records events of many expenses with one insert each into the audit log and the history;
 * for actions that send no webhook (those that do go through recordEvent). */
export async function recordEvents(trx: Db, events: readonly Omit<NewEvent, 'comment'>[], actor: Actor): Promise<void> {
  if (events.length === 0) return;
  const webhookAction = events.find((event) => isExpenseWebhookAction(event.action));
  if (webhookAction) throw new Error(`recordEvents cannot send the webhooks of ${webhookAction.action}; use recordEvent`);
  const full = events.map((event) => ({ ...event, comment: null }));
  await recordAudits(trx, full.map((event) => auditOf(actor, event)));
  await repo.insertEvents(trx, full.map((event) => rowOf(actor, event)));
}

export async function expenseHistory(db: Db, principal: Principal, id: string): Promise<repo.ExpenseEventRow[]> {
  const expense = await getExpense(db, principal, id);
  return repo.listEvents(db, principal.companyId, expense.id, historyEventsMax);
}
