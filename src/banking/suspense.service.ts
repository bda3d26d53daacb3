// The suspense queue of the top-up account: credits no company's reference names (or whose
// top-up was refused) wait here until an operator gives each to the company it was meant
// for, or marks it for return to its sender.
import { recordAudit } from '../audit/audit.service.js';
import { actorOf, type Principal } from '../auth/principal.js';
import { getCompany } from '../companies/companies.service.js';
import type { Db } from '../db/database.js';
import { DomainError, notFound } from '../shared/errors.js';
import * as repo from './bank.repository.js';
import { bookEntryAsTopUp } from './entry-top-up.js';
import { lockForReconciliation, postPlatform } from './platform-accounts.js';
import { platformOwnerOf } from './statement-owner.js';

/** A return's note, at most. */
const returnNoteCharsMax = 500;

/** Credits waiting in suspense, newest first. */
export async function listSuspense(db: Db, principal: Principal, page: { before?: string; limit: number }): Promise<repo.EntryRow[]> {
  const owner = await platformOwnerOf(db, principal);
  return repo.listEntriesInState(db, owner.companyId, 'suspense', page.before, page.limit);
}

async function lockSuspended(trx: Db, platformId: string, entryId: string): Promise<repo.EntryRow> {
  const entry = await repo.lockEntry(trx, platformId, entryId);
  if (!entry) throw notFound('bank entry');
  if (entry.state !== 'suspense') throw new DomainError('conflict', `the entry is ${entry.state}, not in suspense`);
  return entry;
}

/** Gives a credit in suspense to the company it was meant for, as that company's top-up. */
export async function assignSuspense(db: Db, principal: Principal, entryId: string, targetCompanyId: string, now: Date): Promise<repo.EntryRow> {
  const platformId = (await platformOwnerOf(db, principal)).companyId;
  const actor = actorOf(principal);
  return db.transaction().execute(async (trx) => {
    const entry = await lockSuspended(trx, platformId, entryId);
    if (targetCompanyId === platformId) throw new DomainError('validation_failed', 'a top-up goes to a company, not to the platform', 'companyId');
    const company = await getCompany(trx, targetCompanyId).catch(() => {
      throw new DomainError('not_found', 'company was not found', 'companyId');
    });
    if (company.currency !== entry.currency) throw new DomainError('currency_mismatch', `the company's wallet is in ${company.currency}, the transfer in ${entry.currency}`, 'companyId');
    const accounts = (await lockForReconciliation(trx, platformId, [entry.currency], [targetCompanyId])).get(entry.currency)!;
    const booked = await bookEntryAsTopUp(trx, entry, targetCompanyId, actor, now);
    if (!('id' in booked)) throw new DomainError('duplicate_top_up', booked.refused);
    await postPlatform(trx, platformId, entry, accounts.suspense.id, accounts.funds.id, 'suspense_assigned', `Suspense assigned to ${targetCompanyId}`, now);
    await recordAudit(trx, { companyId: platformId, ...actor, action: 'bank_entry.assigned', subjectType: 'bank_entry', subjectId: entryId, details: { companyId: targetCompanyId, topUpId: booked.id, amount: entry.amount.toString(), currency: entry.currency } });
    return repo.updateEntry(trx, platformId, entryId, { state: 'assigned', target_company_id: targetCompanyId, top_up_id: booked.id, decided_by: actor.actorId, decided_at: now });
  });
}

/** Marks a credit in suspense for return to its sender (the bank transfer back is made outside). */
export async function returnSuspense(db: Db, principal: Principal, entryId: string, note: string, now: Date): Promise<repo.EntryRow> {
  const platformId = (await platformOwnerOf(db, principal)).companyId;
  const text = note.trim();
  if (text.length === 0 || text.length > returnNoteCharsMax) throw new DomainError('validation_failed', `say why the transfer goes back (1 to ${returnNoteCharsMax} characters)`, 'note');
  return db.transaction().execute(async (trx) => {
    const entry = await lockSuspended(trx, platformId, entryId);
    const accounts = (await lockForReconciliation(trx, platformId, [entry.currency], [])).get(entry.currency)!;
    await postPlatform(trx, platformId, entry, accounts.suspense.id, accounts.bank.id, 'suspense_returned', `Returned to sender: ${text}`, now);
    await recordAudit(trx, { companyId: platformId, ...actorOf(principal), action: 'bank_entry.returned', subjectType: 'bank_entry', subjectId: entryId, details: { note: text, amount: entry.amount.toString(), currency: entry.currency } });
    return repo.updateEntry(trx, platformId, entryId, { state: 'returned', note: text, decided_by: actorOf(principal).actorId, decided_at: now });
  });
}
