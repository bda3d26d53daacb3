import type { Actor } from '../auth/actor.js';
import type { Db } from '../db/database.js';
import * as repo from './bank.repository.js';
import { reconcileOwnAccountEntries } from './payout-reconciliation.js';
import type { StatementOwner } from './statement-owner.js';
import { reconcileTopUpAccountEntries } from './top-up-reconciliation.js';

/** Reconciles a booked statement's entries: the top-up account's as top-ups, a company's own as payouts. */
export async function reconcileStatement(trx: Db, owner: StatementOwner, statement: repo.StatementRow, actor: Actor, now: Date): Promise<void> {
  const entries = await repo.listEntriesOfStatement(trx, statement.company_id, statement.id);
  if (owner.isPlatform) await reconcileTopUpAccountEntries(trx, statement, entries, actor, now);
  else await reconcileOwnAccountEntries(trx, statement, entries, now);
}
