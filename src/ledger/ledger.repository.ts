// All SQL of the ledger. Balance updates are single conditional statements, so concurrent
// transactions (also from other server processes) serialise on the account rows.
import { sql, type Selectable } from 'kysely';
import type { Db } from '../db/database.js';
import type { LedgerAccountsTable, PendingTransfersTable, PostingsTable, JournalEntriesTable } from '../db/schema.js';

export type AccountRow = Selectable<LedgerAccountsTable>;
export type PendingTransferRow = Selectable<PendingTransfersTable>;
export type EntryRow = Selectable<JournalEntriesTable>;
export type PostingRow = Selectable<PostingsTable>;

type NewAccount = {
  companyId: string;
  id: string;
  code: string;
  name: string;
  type: AccountRow['type'];
  currency: string;
  noOverdraft: boolean;
};

function accountValues(row: NewAccount) {
  return {
    company_id: row.companyId,
    id: row.id,
    code: row.code,
    name: row.name,
    type: row.type,
    currency: row.currency,
    no_overdraft: row.noOverdraft,
  };
}

export async function insertAccount(db: Db, row: NewAccount): Promise<AccountRow> {
  return db.insertInto('ledger_accounts').values(accountValues(row)).returningAll().executeTakeFirstOrThrow();
}

/** Opens the account unless the company has one with that code already; either way returns it. */
export async function insertAccountIfMissing(db: Db, row: NewAccount): Promise<AccountRow> {
  await db
    .insertInto('ledger_accounts')
    .values(accountValues(row))
    .onConflict((oc) => oc.columns(['company_id', 'code']).doNothing())
    .execute();
  const account = await findAccountByCode(db, row.companyId, row.code);
  if (!account) throw new Error(`account ${row.code} vanished after insert`);
  return account;
}

/** Locks the accounts in id order (one order everywhere, so two entries never deadlock).
 * FOR NO KEY UPDATE: balances change, keys never do, so the key-share locks that inserting a
 * posting or a transfer takes on its accounts (their foreign keys) do not wait for it, and it
 * does not wait for them: with FOR UPDATE they did, in the postings' line order, and a posting
 * inserted while another transaction locked the same accounts deadlocked with it. */
export async function lockAccounts(db: Db, companyId: string, ids: readonly string[]): Promise<AccountRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('ledger_accounts')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('id', 'in', [...new Set(ids)].sort())
    .orderBy('id')
    .forNoKeyUpdate()
    .execute();
}

/** lockAccounts across several companies: the accounts with these ids of these companies. */
export async function lockAccountsOfCompanies(db: Db, companyIds: readonly string[], ids: readonly string[]): Promise<AccountRow[]> {
  if (companyIds.length === 0 || ids.length === 0) return [];
  return db
    .selectFrom('ledger_accounts')
    .selectAll()
    .where('company_id', 'in', [...new Set(companyIds)])
    .where('id', 'in', [...new Set(ids)])
    .orderBy('id')
    .forNoKeyUpdate()
    .execute();
}

/** The accounts with these codes of these companies. */
const accountsByCodes = (db: Db, companyIds: readonly string[], codes: readonly string[]) =>
  db.selectFrom('ledger_accounts').selectAll().where('company_id', 'in', [...new Set(companyIds)]).where('code', 'in', [...new Set(codes)]);

/** The accounts with these codes of these companies, locked in id order. */
export async function lockAccountsByCodes(db: Db, companyIds: readonly string[], codes: readonly string[]): Promise<AccountRow[]> {
  if (companyIds.length === 0 || codes.length === 0) return [];
  return accountsByCodes(db, companyIds, codes).orderBy('id').forNoKeyUpdate().execute();
}

/** The accounts with these codes of these companies, as they are (not locked). */
export async function findAccountsByCodes(db: Db, companyIds: readonly string[], codes: readonly string[]): Promise<AccountRow[]> {
  if (companyIds.length === 0 || codes.length === 0) return [];
  return accountsByCodes(db, companyIds, codes).execute();
}

export async function findAccount(db: Db, companyId: string, id: string): Promise<AccountRow | undefined> {
  return db.selectFrom('ledger_accounts').selectAll().where('company_id', '=', companyId).where('id', '=', id).executeTakeFirst();
}

export async function findAccountByCode(db: Db, companyId: string, code: string): Promise<AccountRow | undefined> {
  return db
    .selectFrom('ledger_accounts')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('code', '=', code)
    .executeTakeFirst();
}

export async function listAccounts(db: Db, companyId: string): Promise<AccountRow[]> {
  return db.selectFrom('ledger_accounts').selectAll().where('company_id', '=', companyId).orderBy('code').execute();
}

export async function addPosted(db: Db, companyId: string, accountId: string, debits: bigint, credits: bigint): Promise<void> {
  await db
    .updateTable('ledger_accounts')
    .set({
      debits_posted: sql<bigint>`debits_posted + ${debits}`,
      credits_posted: sql<bigint>`credits_posted + ${credits}`,
    })
    .where('company_id', '=', companyId)
    .where('id', '=', accountId)
    .execute();
}

/**
 * Adds (or with a negative delta, releases) a reservation. With `guardAvailable`, the
 * update happens only if the account's available funds cover it: the one statement that
 * keeps a wallet from being overspent, however many holds race for it.
 */
export async function addPending(
  db: Db,
  params: { companyId: string; accountId: string; side: 'debit' | 'credit'; delta: bigint; guardAvailable: boolean },
): Promise<boolean> {
  const column = params.side === 'debit' ? 'debits_pending' : 'credits_pending';
  let query = db
    .updateTable('ledger_accounts')
    .set({ [column]: sql<bigint>`${sql.ref(column)} + ${params.delta}` })
    .where('company_id', '=', params.companyId)
    .where('id', '=', params.accountId);
  if (params.guardAvailable) {
    // A credit reserves against a debit-normal account's funds, and a debit against a
    // credit-normal one's; either way the guard is "balance less reservations >= delta".
    query =
      params.side === 'credit'
        ? query.where(sql<boolean>`debits_posted - credits_posted - credits_pending >= ${params.delta}`)
        : query.where(sql<boolean>`credits_posted - debits_posted - debits_pending >= ${params.delta}`);
  }
  const result = await query.executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

export interface PendingChange {
  companyId: string;
  accountId: string;
  debits: bigint;
  credits: bigint;
  /** Which side's reservation must stay covered by the account's funds, if any. */
  guard: 'debit' | 'credit' | null;
}

/**
 * addPending for several accounts in one statement, each account once. Returns how many rows
 * changed: fewer than given when an account is missing or a guard refused, and then the
 * caller must roll back.
 */
export async function addPendingMany(db: Db, changes: readonly PendingChange[]): Promise<number> {
  if (changes.length === 0) return 0;
  const values = changes.map(
    (change) => sql`(${change.companyId}::text, ${change.accountId}::text, ${change.debits}::bigint, ${change.credits}::bigint, ${change.guard}::text)`,
  );
  const result = await sql`
    update ledger_accounts a
    set debits_pending = a.debits_pending + v.debits, credits_pending = a.credits_pending + v.credits
    from (values ${sql.join(values)}) as v(company_id, id, debits, credits, guard)
    where a.company_id = v.company_id and a.id = v.id
      and (v.guard is null
        or (v.guard = 'credit' and a.debits_posted - a.credits_posted - a.credits_pending >= v.credits)
        or (v.guard = 'debit' and a.credits_posted - a.debits_posted - a.debits_pending >= v.debits))`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}

export async function insertPendingTransfers(
  db: Db,
  rows: readonly Omit<PendingTransferRow, 'created_at' | 'resolved_at' | 'entry_id' | 'posted_amount' | 'state'>[],
): Promise<PendingTransferRow[]> {
  if (rows.length === 0) return [];
  const inserted = await db.insertInto('pending_transfers').values(rows.map((row) => ({ ...row, state: 'pending' as const }))).returningAll().execute();
  const byId = new Map(inserted.map((row) => [row.id, row]));
  return rows.map((row) => byId.get(row.id)!);
}

/** How a pending transfer leaves 'pending' in resolvePendingTransfers. */
export interface TransferResolution {
  companyId: string;
  id: string;
  state: 'posted' | 'voided' | 'expired';
  postedAmount: bigint | null;
  entryId: string | null;
}

/** Moves many pending transfers out of 'pending' in one statement; returns those that were
 * still pending (fewer than given when one had left it already). */
export async function resolvePendingTransfers(db: Db, resolutions: readonly TransferResolution[], now: Date): Promise<PendingTransferRow[]> {
  if (resolutions.length === 0) return [];
  const values = resolutions.map(
    (row) => sql`(${row.companyId}::text, ${row.id}::text, ${row.state}::text, ${row.postedAmount}::bigint, ${row.entryId}::text)`,
  );
  const result = await sql<PendingTransferRow>`
    update pending_transfers t
    set state = v.state, posted_amount = v.posted_amount, entry_id = v.entry_id, resolved_at = ${now}
    from (values ${sql.join(values)}) as v(company_id, id, state, posted_amount, entry_id)
    where t.company_id = v.company_id and t.id = v.id and t.state = 'pending'
    returning t.*`.execute(db);
  return result.rows;
}

/** What one statement of moveBalances adds to an account's four figures. */
export interface BalanceChange {
  companyId: string;
  accountId: string;
  debitsPending: bigint;
  creditsPending: bigint;
  debitsPosted: bigint;
  creditsPosted: bigint;
}

/** Changes many accounts' balances in one statement, each account once; returns the rows as
 * they are after it. The caller holds the accounts locked (in id order). */
export async function moveBalances(db: Db, changes: readonly BalanceChange[]): Promise<AccountRow[]> {
  if (changes.length === 0) return [];
  const values = changes.map(
    (change) =>
      sql`(${change.companyId}::text, ${change.accountId}::text, ${change.debitsPending}::bigint, ${change.creditsPending}::bigint, ${change.debitsPosted}::bigint, ${change.creditsPosted}::bigint)`,
  );
  const result = await sql<AccountRow>`
    update ledger_accounts a
    set debits_pending = a.debits_pending + v.dpe, credits_pending = a.credits_pending + v.cpe,
      debits_posted = a.debits_posted + v.dpo, credits_posted = a.credits_posted + v.cpo
    from (values ${sql.join(values)}) as v(company_id, id, dpe, cpe, dpo, cpo)
    where a.company_id = v.company_id and a.id = v.id
    returning a.*`.execute(db);
  return result.rows;
}

/** insertEntry for many entries: the entries in one statement, all their postings in another. */
export async function insertEntries(
  db: Db,
  entries: readonly { entry: Omit<EntryRow, 'created_at'>; postings: readonly Omit<PostingRow, 'company_id' | 'entry_id'>[] }[],
): Promise<void> {
  if (entries.length === 0) return;
  await db.insertInto('journal_entries').values(entries.map(({ entry }) => entry)).execute();
  await db
    .insertInto('postings')
    .values(entries.flatMap(({ entry, postings }) => postings.map((posting) => ({ ...posting, company_id: entry.company_id, entry_id: entry.id }))))
    .execute();
}

export async function insertEntry(
  db: Db,
  entry: Omit<EntryRow, 'created_at'>,
  postings: readonly Omit<PostingRow, 'company_id' | 'entry_id'>[],
): Promise<EntryRow> {
  const inserted = await db.insertInto('journal_entries').values(entry).returningAll().executeTakeFirstOrThrow();
  await db
    .insertInto('postings')
    .values(postings.map((posting) => ({ ...posting, company_id: entry.company_id, entry_id: entry.id })))
    .execute();
  return inserted;
}

export async function insertPendingTransfer(db: Db, row: Omit<PendingTransferRow, 'created_at' | 'resolved_at' | 'entry_id' | 'posted_amount' | 'state'>): Promise<PendingTransferRow> {
  return db
    .insertInto('pending_transfers')
    .values({ ...row, state: 'pending' })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Moves a pending transfer out of 'pending'; returns nothing if it already left it. */
export async function resolvePendingTransfer(
  db: Db,
  params: { companyId: string; id: string; state: 'posted' | 'voided' | 'expired'; postedAmount: bigint | null; now: Date },
): Promise<PendingTransferRow | undefined> {
  return db
    .updateTable('pending_transfers')
    .set({ state: params.state, posted_amount: params.postedAmount, resolved_at: params.now })
    .where('company_id', '=', params.companyId)
    .where('id', '=', params.id)
    .where('state', '=', 'pending')
    .returningAll()
    .executeTakeFirst();
}

/** Posts a pending transfer: 'pending' to 'posted' with its entry, in one statement; returns
 * nothing if it already left 'pending'. */
export async function postPendingTransfer(
  db: Db,
  params: { companyId: string; id: string; postedAmount: bigint; entryId: string; now: Date },
): Promise<PendingTransferRow | undefined> {
  return db
    .updateTable('pending_transfers')
    .set({ state: 'posted', posted_amount: params.postedAmount, resolved_at: params.now, entry_id: params.entryId })
    .where('company_id', '=', params.companyId)
    .where('id', '=', params.id)
    .where('state', '=', 'pending')
    .returningAll()
    .executeTakeFirst();
}

/** Moves one side of a posted transfer on its account: the reservation given back and the
 * posted amount added, in one statement. */
export async function settleReservation(db: Db, params: { companyId: string; accountId: string; side: 'debit' | 'credit'; reserved: bigint; posted: bigint }): Promise<boolean> {
  const [pending, posted] = params.side === 'debit' ? (['debits_pending', 'debits_posted'] as const) : (['credits_pending', 'credits_posted'] as const);
  const result = await db
    .updateTable('ledger_accounts')
    .set({ [pending]: sql<bigint>`${sql.ref(pending)} - ${params.reserved}`, [posted]: sql<bigint>`${sql.ref(posted)} + ${params.posted}` })
    .where('company_id', '=', params.companyId)
    .where('id', '=', params.accountId)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}


export async function findPendingTransfer(db: Db, companyId: string, id: string): Promise<PendingTransferRow | undefined> {
  return db
    .selectFrom('pending_transfers')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function listDuePendingTransfers(db: Db, causeType: string, now: Date, limit: number): Promise<{ company_id: string; cause_id: string }[]> {
  return db
    .selectFrom('pending_transfers')
    .select(['company_id', 'cause_id'])
    .where('state', '=', 'pending')
    .where('expires_at', '<=', now)
    .where('cause_type', '=', causeType)
    .where('cause_id', 'is not', null)
    .$narrowType<{ cause_id: string }>()
    .orderBy('expires_at')
    .limit(limit)
    .execute();
}

export async function listEntries(
  db: Db,
  params: { companyId: string; accountId?: string; before?: string; limit: number },
): Promise<EntryRow[]> {
  let query = db.selectFrom('journal_entries').selectAll().where('company_id', '=', params.companyId);
  if (params.before) query = query.where('id', '<', params.before);
  if (params.accountId) {
    const accountId = params.accountId;
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('postings')
          .select('line')
          .whereRef('postings.company_id', '=', 'journal_entries.company_id')
          .whereRef('postings.entry_id', '=', 'journal_entries.id')
          .where('postings.account_id', '=', accountId),
      ),
    );
  }
  return query.orderBy('id', 'desc').limit(params.limit).execute();
}

export async function findEntry(db: Db, companyId: string, id: string): Promise<EntryRow | undefined> {
  return db.selectFrom('journal_entries').selectAll().where('company_id', '=', companyId).where('id', '=', id).executeTakeFirst();
}

export async function listPostings(db: Db, companyId: string, entryIds: readonly string[]): Promise<PostingRow[]> {
  if (entryIds.length === 0) return [];
  return db
    .selectFrom('postings')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('entry_id', 'in', entryIds)
    .orderBy('entry_id')
    .orderBy('line')
    .execute();
}

