// Which card transactions changed in a way their expense must follow, told to this process's
// listeners (the expense sync, wired in src/server/listeners.ts) once the change is committed.
// The repository notes each change against the database transaction it is made in; the code
// that owns that transaction opens it with changingCardTransactions, which tells the listeners
// after the commit and never if it rolls back. Nothing here is on the change's path: listeners
// are called after the commit and do their work beside the caller's answer.
//
// A change made in a transaction opened otherwise is not told: the expense sync's safety-net
// sweep (once a minute) brings it in step, as it does after a process died before telling.
import type { Db } from '../db/database.js';

export interface CardTransactionChange {
  companyId: string;
  transactionId: string;
}

type Listener = (change: CardTransactionChange) => void;

const listeners = new Set<Listener>();
/** The changes noted in each open database transaction (the Kysely transaction is the key). */
const noted = new WeakMap<Db, CardTransactionChange[]>();

function tell(changes: readonly CardTransactionChange[]): void {
  for (const change of changes) for (const listener of listeners) listener(change);
}

/** Notes a change to the transaction's row; outside a database transaction, tells at once (it is committed). */
export function noteCardTransactionChange(db: Db, change: CardTransactionChange): void {
  if (!db.isTransaction) return tell([change]);
  const changes = noted.get(db);
  if (changes) changes.push(change);
  else noted.set(db, [change]);
}

/** Runs `work` in a database transaction, then tells the listeners what it changed. */
export async function changingCardTransactions<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  let opened: Db | undefined;
  const result = await db.transaction().execute((trx) => {
    opened = trx;
    return work(trx);
  });
  const changes = opened ? noted.get(opened) : undefined;
  if (changes) {
    noted.delete(opened!);
    // One tell per transaction row, however often it changed.
    const seen = new Set<string>();
    tell(changes.filter((change) => !seen.has(`${change.companyId}/${change.transactionId}`) && seen.add(`${change.companyId}/${change.transactionId}`)));
  }
  return result;
}

/** Listens until the function returned is called. A listener must not throw: it reports its own failures. */
export function onCardTransactionsChanged(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
