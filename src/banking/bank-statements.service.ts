// Reading imported statements and what became of each entry, for the top-up account's
// operators or for a company's own account.
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/database.js';
import { notFound } from '../shared/errors.js';
import * as repo from './bank.repository.js';
import { ownerFor, type StatementAccount } from './statement-owner.js';

export type { EntryRow, StatementFileRow, StatementRow } from './bank.repository.js';

export interface StatementWithEntries {
  statement: repo.StatementRow;
  entries: repo.EntryRow[];
  /** The file it came in, with what the reader noted of it. */
  file?: repo.StatementFileRow | undefined;
}

export async function listStatements(db: Db, principal: Principal, account: StatementAccount, filter: { state?: repo.StatementRow['state']; before?: string; limit: number }): Promise<repo.StatementRow[]> {
  const owner = await ownerFor(db, principal, account);
  return repo.listStatements(db, owner.companyId, filter);
}

export async function getStatement(db: Db, principal: Principal, account: StatementAccount, id: string): Promise<StatementWithEntries> {
  const owner = await ownerFor(db, principal, account);
  const statement = await repo.findStatement(db, owner.companyId, id);
  if (!statement) throw notFound('bank statement');
  const [entries, file] = await Promise.all([repo.listEntriesOfStatement(db, owner.companyId, statement.id), repo.findFile(db, owner.companyId, statement.file_id)]);
  return { statement, entries, file };
}
