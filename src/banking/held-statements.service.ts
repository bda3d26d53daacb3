// Statements held at import (their balances contradict their entries, or they are of another
// account or currency) wait for a person: accepted as they are, they are reconciled;
// discarded, nothing of them is booked.
import { recordAudit } from '../audit/audit.service.js';
import { actorOf, type Principal } from '../auth/principal.js';
import type { Db } from '../db/database.js';
import { DomainError, notFound } from '../shared/errors.js';
import * as repo from './bank.repository.js';
import type { StatementWithEntries } from './bank-statements.service.js';
import { reconcileStatement } from './reconcile-entries.js';
import { ownerFor, type StatementAccount, type StatementOwner } from './statement-owner.js';

async function lockHeld(trx: Db, owner: StatementOwner, id: string): Promise<repo.StatementRow> {
  const statement = await repo.lockStatement(trx, owner.companyId, id);
  if (!statement) throw notFound('bank statement');
  if (statement.state !== 'held') throw new DomainError('conflict', `the statement is ${statement.state}, not held`);
  return statement;
}

/** Accepts a held statement as it is (an operator checked it) and reconciles it. */
export async function acceptStatement(db: Db, principal: Principal, account: StatementAccount, id: string, now: Date): Promise<StatementWithEntries> {
  const owner = await ownerFor(db, principal, account);
  const actor = actorOf(principal);
  const statement = await db.transaction().execute(async (trx) => {
    await lockHeld(trx, owner, id);
    const booked = await repo.updateStatement(trx, owner.companyId, id, { state: 'booked', decided_by: actor.actorId, decided_at: now });
    await recordAudit(trx, { companyId: owner.companyId, ...actor, action: 'bank_statement.accepted', subjectType: 'bank_statement', subjectId: id });
    await reconcileStatement(trx, owner, booked, actor, now);
    return booked;
  });
  return { statement, entries: await repo.listEntriesOfStatement(db, owner.companyId, statement.id) };
}

export async function discardStatement(db: Db, principal: Principal, account: StatementAccount, id: string, now: Date): Promise<StatementWithEntries> {
  const owner = await ownerFor(db, principal, account);
  const statement = await db.transaction().execute(async (trx) => {
    await lockHeld(trx, owner, id);
    await recordAudit(trx, { companyId: owner.companyId, ...actorOf(principal), action: 'bank_statement.discarded', subjectType: 'bank_statement', subjectId: id });
    return repo.updateStatement(trx, owner.companyId, id, { state: 'discarded', decided_by: actorOf(principal).actorId, decided_at: now });
  });
  return { statement, entries: await repo.listEntriesOfStatement(db, owner.companyId, statement.id) };
}
