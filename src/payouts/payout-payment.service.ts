// A payout batch after its pain.001 file went to the bank: the admin marks it paid, which
// books each person's payable against the company's bank account exactly once; the company's
// bank statement later shows it executed (banking/payout-reconciliation.ts).
import { recordAudit } from '../audit/audit.service.js';
import { actorOf, principalId, type Principal } from '../auth/principal.js';
import type { Db } from '../db/database.js';
import * as reimbursement from '../expenses/expense-reimbursement.service.js';
import { companyBankAccount, payableAccount } from '../ledger/chart-of-accounts.js';
import { ensureAccount, postEntry } from '../ledger/ledger.service.js';
import { getPerson } from '../people/people.service.js';
import { DomainError, notFound } from '../shared/errors.js';
import * as repo from './payouts.repository.js';
import { recordWebhookEvent } from '../webhooks/webhooks.service.js';
import { toMoneyJson } from '../money/money.js';

/** Books the batch as paid: each person's payable against the company's bank account. */
export async function markBatchPaid(db: Db, principal: Principal, id: string, now: Date): Promise<repo.PayoutBatchRow> {
  return db.transaction().execute(async (trx) => {
    const batch = await repo.lockBatch(trx, principal.companyId, id);
    if (!batch) throw notFound('payout batch');
    if (batch.state !== 'created') throw new DomainError('payout_already_paid', `the batch was marked paid on ${batch.paid_at?.toISOString().slice(0, 10) ?? 'an earlier day'}`);
    const items = await repo.listItems(trx, principal.companyId, batch.id);
    const bank = await ensureAccount(trx, { companyId: principal.companyId, currency: batch.currency, ...companyBankAccount });
    const postings = [];
    for (const item of items) {
      const person = await getPerson(trx, principal.companyId, item.user_id);
      const payable = await ensureAccount(trx, { companyId: principal.companyId, currency: batch.currency, ...payableAccount(item.user_id, person.name) });
      postings.push({ accountId: payable.id, amount: item.amount });
    }
    postings.push({ accountId: bank.id, amount: -batch.total });
    const entry = await postEntry(trx, {
      companyId: principal.companyId,
      kind: 'reimbursement_paid',
      description: `Reimbursements paid: batch ${batch.id}`,
      cause: { type: 'payout_batch', id: batch.id },
      effectiveAt: now,
      postings,
      // The company's bank account lives outside Outlay: it may go below zero here.
      allowOverdraft: true,
    });
    const paid = await repo.updateBatch(trx, principal.companyId, batch.id, { state: 'paid', paid_by: principalId(principal), paid_at: now, entry_id: entry.id });
    await reimbursement.markBatchPaid(trx, principal.companyId, batch.id, actorOf(principal));
    await recordAudit(trx, { companyId: principal.companyId, ...actorOf(principal), action: 'payout_batch.marked_paid', subjectType: 'payout_batch', subjectId: batch.id, details: { entryId: entry.id } });
    await recordWebhookEvent(trx, principal.companyId, 'payout.paid', { id: paid.id, total: toMoneyJson(paid.total, paid.currency), itemCount: paid.item_count, paidAt: now.toISOString() }, now);
    return paid;
  });
}

/** Paid batches whose transfers the company's bank statements may still show leaving. */
export async function listPaidBatches(trx: Db, companyId: string) {
  return repo.listPaidBatches(trx, companyId);
}

/** The bank statement shows the batch's transfers left the account. */
export async function markBatchExecuted(trx: Db, companyId: string, batchId: string, now: Date): Promise<repo.PayoutBatchRow> {
  await recordAudit(trx, { companyId, actorType: 'system', actorId: null, action: 'payout_batch.executed', subjectType: 'payout_batch', subjectId: batchId, details: { seenOnStatement: true } });
  return repo.updateBatch(trx, companyId, batchId, { state: 'executed', executed_at: now });
}
