// Reconciling the platform's top-up account, which every company pays into with its own
// creditor reference: each credit becomes the named company's wallet top-up, or waits in
// suspense for an operator to assign or return it. A transfer reconciled before (on an
// intraday report, or the same day in the other format) is marked a duplicate.
import type { Actor } from '../auth/actor.js';
import { getCompany } from '../companies/companies.service.js';
import type { Db } from '../db/database.js';
import * as repo from './bank.repository.js';
import { matchTopUp, referencesOf } from './entry-matching.js';
import { bookEntryAsTopUp } from './entry-top-up.js';
import { lockForReconciliation, postPlatform } from './platform-accounts.js';

export async function reconcileTopUpAccountEntries(trx: Db, statement: repo.StatementRow, entries: readonly repo.EntryRow[], actor: Actor, now: Date): Promise<void> {
  const companyId = statement.company_id;
  const texts = entries.map((entry) => ({ amount: entry.amount, remittance: entry.remittance, endToEndId: entry.end_to_end_id, bankReference: entry.bank_reference, information: entry.note }));
  const known = await repo.findCompaniesByReferences(trx, [...new Set(texts.flatMap(referencesOf))]);
  const companyOf = new Map(known.map((row) => [row.reference, row.company_id]));
  const accountsOf = await lockForReconciliation(trx, companyId, entries.filter((entry) => entry.amount > 0n).map((entry) => entry.currency), [...companyOf.values()]);
  for (const [index, entry] of entries.entries()) {
    const match = matchTopUp(texts[index]!, new Set(companyOf.keys()));
    if (match.kind === 'other') {
      await repo.updateEntry(trx, companyId, entry.id, { state: 'other' });
      continue;
    }
    const earlier = await repo.findReconciledTransfer(trx, companyId, entry.transfer_key, entry.id);
    if (earlier) {
      await repo.updateEntry(trx, companyId, entry.id, { state: 'duplicate', target_company_id: earlier.target_company_id, note: `the same transfer as entry ${earlier.id}, reconciled before` });
      continue;
    }
    const accounts = accountsOf.get(entry.currency)!;
    const target = match.kind === 'top_up' ? companyOf.get(match.reference)! : null;
    const targetCurrency = target ? (await getCompany(trx, target)).currency : null;
    let reason = match.kind === 'suspense' ? match.reason : `the company's wallet is in ${targetCurrency}, the transfer in ${entry.currency}`;
    if (target && targetCurrency === entry.currency) {
      const booked = await bookEntryAsTopUp(trx, entry, target, actor, now);
      if ('id' in booked) {
        await postPlatform(trx, companyId, entry, accounts.bank.id, accounts.funds.id, 'top_up_received', `Top-up for ${target}`, now);
        await repo.updateEntry(trx, companyId, entry.id, { state: 'top_up', target_company_id: target, top_up_id: booked.id, note: null });
        continue;
      }
      reason = `the top-up for ${target} was refused: ${booked.refused}`;
    }
    await postPlatform(trx, companyId, entry, accounts.bank.id, accounts.suspense.id, 'suspense_received', `In suspense: ${reason}`, now);
    await repo.updateEntry(trx, companyId, entry.id, { state: 'suspense', target_company_id: target, note: reason.slice(0, 500) });
  }
}
