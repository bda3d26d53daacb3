// Reconciling a company's own bank account, which pays its reimbursements: a debit naming a
// paid payout batch (its pain.001 message id, or one of its transfers' end-to-end ids) is
// that batch leaving the account; once the statements show the whole batch paid, the batch
// is executed and the company's admins are told.
import type { Db } from '../db/database.js';
import { notify } from '../notifications/notifications.service.js';
import { listPaidBatches, markBatchExecuted } from '../payouts/payout-payment.service.js';
import { listActiveAdmins } from '../people/people.service.js';
import * as repo from './bank.repository.js';
import { matchPayout, type PayoutCandidate } from './entry-matching.js';

export async function reconcileOwnAccountEntries(trx: Db, statement: repo.StatementRow, entries: readonly repo.EntryRow[], now: Date): Promise<void> {
  const companyId = statement.company_id;
  const batches: PayoutCandidate[] = await listPaidBatches(trx, companyId);
  const touched = new Set<string>();
  for (const entry of entries) {
    const match = matchPayout({ amount: entry.amount, remittance: entry.remittance, endToEndId: entry.end_to_end_id, bankReference: entry.bank_reference, information: entry.note }, batches);
    const earlier = match.kind === 'payout' ? await repo.findReconciledTransfer(trx, companyId, entry.transfer_key, entry.id) : undefined;
    if (match.kind === 'other' || earlier) {
      await repo.updateEntry(trx, companyId, entry.id, earlier ? { state: 'duplicate', note: `the same transfer as entry ${earlier.id}` } : { state: 'other' });
      continue;
    }
    await repo.updateEntry(trx, companyId, entry.id, { state: 'payout', payout_batch_id: match.batchId });
    touched.add(match.batchId);
  }
  // A batch's transfers may leave the account over several days and statements.
  for (const batchId of touched) {
    const batch = batches.find((candidate) => candidate.batchId === batchId)!;
    if ((await repo.paidOfBatch(trx, companyId, batchId)) < batch.total) continue;
    await markBatchExecuted(trx, companyId, batchId, now);
    for (const admin of await listActiveAdmins(trx, companyId)) {
      await notify(trx, { companyId, userId: admin, kind: 'payout_executed', subject: { type: 'payout_batch', id: `${batchId}:${admin}` }, link: { type: 'payout_batch', id: batchId }, title: 'Reimbursements left the bank account', body: `The bank statement shows payout batch ${batchId} paid.` }, now);
    }
  }
}
