// The double-entry ledger. Every function takes the caller's transaction: money moves in the
// same transaction as the change that causes it, or not at all.
import type { Db } from '../db/database.js';
import { currencyExponent } from '../money/money.js';
import { DomainError, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { companyOpeningAccounts, walletAccount, walletFundingAccount, type AccountSpec } from './chart-of-accounts.js';
import { applyPosted, availableBalance, checkEntry, isDebitNormal, overdraws, postedBalance, type AccountBalances, type PostingLine } from './entry-rules.js';
import * as repo from './ledger.repository.js';

export type { AccountRow, EntryRow, PendingTransferRow, PostingRow } from './ledger.repository.js';

export interface Cause {
  type: string;
  id: string;
}

export interface EntryInput {
  companyId: string;
  kind: string;
  description: string;
  cause?: Cause;
  /** When the money moved, as the books date it; the time of its cause. */
  effectiveAt: Date;
  /** Positive amounts debit, negative amounts credit, in the account's minor units. */
  postings: readonly { accountId: string; amount: bigint }[];
  /** A network-forced card clearing is booked even beyond the wallet's funds. */
  allowOverdraft?: boolean;
}

function assertTransaction(db: Db): void {
  if (!db.isTransaction) throw new Error('ledger writes must run inside the transaction of their cause');
}

export function toBalances(row: repo.AccountRow): AccountBalances {
  return {
    type: row.type,
    noOverdraft: row.no_overdraft,
    debitsPosted: row.debits_posted,
    creditsPosted: row.credits_posted,
    debitsPending: row.debits_pending,
    creditsPending: row.credits_pending,
  };
}

/** The balances once a change of moveBalances is added to them. */
function movedBy(balances: AccountBalances, change: repo.BalanceChange): AccountBalances {
  return {
    ...balances,
    debitsPending: balances.debitsPending + change.debitsPending,
    creditsPending: balances.creditsPending + change.creditsPending,
    debitsPosted: balances.debitsPosted + change.debitsPosted,
    creditsPosted: balances.creditsPosted + change.creditsPosted,
  };
}

type NewAccount = AccountSpec & { companyId: string; currency: string };

export async function openAccount(db: Db, params: NewAccount): Promise<repo.AccountRow> {
  currencyExponent(params.currency);
  return repo.insertAccount(db, { ...params, id: newId('account'), noOverdraft: params.noOverdraft ?? false });
}

/** Opens the accounts every company starts with (chart-of-accounts.ts), in its transaction. */
export async function openCompanyLedger(trx: Db, companyId: string, currency: string): Promise<void> {
  assertTransaction(trx);
  for (const account of companyOpeningAccounts) await openAccount(trx, { companyId, currency, ...account });
}

/** The account with this code, opened on first use (accounts added after a company began). */
export async function ensureAccount(db: Db, params: NewAccount): Promise<repo.AccountRow> {
  const existing = await repo.findAccountByCode(db, params.companyId, params.code);
  if (existing) return existing;
  return repo.insertAccountIfMissing(db, { ...params, id: newId('account'), noOverdraft: params.noOverdraft ?? false });
}

export async function findAccountByCode(db: Db, companyId: string, code: string): Promise<repo.AccountRow | undefined> {
  return repo.findAccountByCode(db, companyId, code);
}

/** The accounts with these codes of these companies (not locked), keyed company/code. */
export async function findAccountsByCodes(db: Db, companyIds: readonly string[], codes: readonly string[]): Promise<Map<string, repo.AccountRow>> {
  return new Map((await repo.findAccountsByCodes(db, companyIds, codes)).map((row) => [`${row.company_id}/${row.code}`, row]));
}

export async function findAccount(db: Db, companyId: string, id: string): Promise<repo.AccountRow | undefined> {
  return repo.findAccount(db, companyId, id);
}

export async function listAccounts(db: Db, companyId: string): Promise<repo.AccountRow[]> {
  return repo.listAccounts(db, companyId);
}

/**
 * Locks the accounts for the rest of the caller's transaction, in id order: every writer
 * takes account rows in that one order, so two transactions never wait on each other in a
 * circle.
 */
export async function lockAccounts(trx: Db, companyId: string, ids: readonly string[]): Promise<repo.AccountRow[]> {
  assertTransaction(trx);
  return repo.lockAccounts(trx, companyId, ids);
}

export async function getAccount(db: Db, companyId: string, id: string): Promise<repo.AccountRow> {
  const account = await repo.findAccount(db, companyId, id);
  if (!account) throw notFound('ledger account');
  return account;
}

/** An entry as read back: its postings, each with its account's code and name. */
export type EntryWithPostings = repo.EntryRow & { postings: (repo.PostingRow & { account_code: string; account_name: string })[] };

async function withPostings(db: Db, companyId: string, entries: readonly repo.EntryRow[]): Promise<EntryWithPostings[]> {
  const postings = await repo.listPostings(db, companyId, entries.map((entry) => entry.id));
  const accounts = new Map((await repo.listAccounts(db, companyId)).map((account) => [account.id, account]));
  return entries.map((entry) => ({
    ...entry,
    postings: postings
      .filter((posting) => posting.entry_id === entry.id)
      .map((posting) => ({ ...posting, account_code: accounts.get(posting.account_id)?.code ?? '', account_name: accounts.get(posting.account_id)?.name ?? '' })),
  }));
}

/** Entries newest first, optionally only those touching one account; `limit` of them at most. */
export async function listEntries(db: Db, params: { companyId: string; accountId?: string; before?: string; limit: number }): Promise<EntryWithPostings[]> {
  return withPostings(db, params.companyId, await repo.listEntries(db, params));
}

export async function getEntry(db: Db, companyId: string, id: string): Promise<EntryWithPostings> {
  const entry = await repo.findEntry(db, companyId, id);
  if (!entry) throw notFound('journal entry');
  return (await withPostings(db, companyId, [entry]))[0]!;
}

// --- The wallet ------------------------------------------------------------------------------

export interface Wallet {
  account: repo.AccountRow;
  currency: string;
  /** Posted: what the bank transfers in less what cleared purchases took. */
  balance: bigint;
  /** Posted less what holds have reserved: what a new hold may take. */
  available: bigint;
  reserved: bigint;
}

function walletOf(account: repo.AccountRow): Wallet {
  const balances = toBalances(account);
  const balance = postedBalance(balances);
  const available = availableBalance(balances);
  return { account, currency: account.currency, balance, available, reserved: balance - available };
}

/**
 * The wallets of several companies, locked, with each company's account of `otherCode` (such
 * as card spend) locked beside it; all in account id order, the ledger's one lock order. A
 * company without a wallet is left out; one without the other account has none in `others`.
 */
export async function lockWallets(trx: Db, companyIds: readonly string[], otherCode: string): Promise<{ wallets: Map<string, Wallet>; others: Map<string, repo.AccountRow> }> {
  assertTransaction(trx);
  const rows = await repo.lockAccountsByCodes(trx, companyIds, [walletAccount.code, otherCode]);
  const wallets = new Map<string, Wallet>();
  const others = new Map<string, repo.AccountRow>();
  for (const row of rows) {
    if (row.code === walletAccount.code) wallets.set(row.company_id, walletOf(row));
    else others.set(row.company_id, row);
  }
  return { wallets, others };
}

/** The company's wallet and its balances as they are now (not locked). */
export async function getWallet(db: Db, companyId: string): Promise<Wallet> {
  const account = await repo.findAccountByCode(db, companyId, walletAccount.code);
  if (!account) throw notFound('wallet');
  return walletOf(account);
}

/**
 * Locks the wallet and its funding account (in id order) for a top-up: top-ups of a company
 * take turns on these rows. Returns null when the company has no wallet.
 */
export async function lockWalletForFunding(trx: Db, companyId: string): Promise<{ wallet: repo.AccountRow; funding: repo.AccountRow } | null> {
  const wallet = await repo.findAccountByCode(trx, companyId, walletAccount.code);
  const funding = await repo.findAccountByCode(trx, companyId, walletFundingAccount.code);
  if (!wallet || !funding) return null;
  await lockAccounts(trx, companyId, [wallet.id, funding.id]);
  return { wallet, funding };
}

/** The entry's postings in their accounts' currencies, checked to balance. `accounts` holds the
 * entry's accounts (keyed company/id); one missing, or of another company, is not found. */
function entryLines(input: EntryInput, accounts: ReadonlyMap<string, repo.AccountRow>): PostingLine[] {
  const lines = input.postings.map((posting) => {
    const account = accounts.get(`${input.companyId}/${posting.accountId}`);
    if (!account) throw notFound(`ledger account ${posting.accountId}`);
    return { accountId: posting.accountId, amount: posting.amount, currency: account.currency };
  });
  const check = checkEntry(lines);
  if (!check.ok) throw new DomainError('unbalanced_entry', check.detail);
  return lines;
}

function entryRow(input: EntryInput, id: string) {
  return {
    company_id: input.companyId,
    id,
    kind: input.kind,
    description: input.description,
    cause_type: input.cause?.type ?? null,
    cause_id: input.cause?.id ?? null,
    effective_at: input.effectiveAt,
  };
}

const postingRows = (lines: readonly PostingLine[]) => lines.map((line, index) => ({ line: index + 1, account_id: line.accountId, amount: line.amount, currency: line.currency }));

/** Writes a balanced entry and moves the accounts' posted balances with it. */
export async function postEntry(db: Db, input: EntryInput): Promise<repo.EntryRow> {
  assertTransaction(db);
  const accounts = await repo.lockAccounts(db, input.companyId, input.postings.map((p) => p.accountId));
  const byId = new Map(accounts.map((account) => [account.id, account]));
  const lines = entryLines(input, new Map(accounts.map((account) => [`${account.company_id}/${account.id}`, account])));

  const after = new Map(accounts.map((account) => [account.id, toBalances(account)]));
  for (const line of lines) after.set(line.accountId, applyPosted(after.get(line.accountId)!, line.amount));
  if (!input.allowOverdraft) {
    for (const [accountId, balances] of after) {
      if (overdraws(toBalances(byId.get(accountId)!), balances)) {
        throw new DomainError('insufficient_funds', `account ${byId.get(accountId)!.code} has too little available`);
      }
    }
  }

  for (const [accountId, balances] of after) {
    const before = byId.get(accountId)!;
    await repo.addPosted(
      db,
      input.companyId,
      accountId,
      balances.debitsPosted - before.debits_posted,
      balances.creditsPosted - before.credits_posted,
    );
  }
  return repo.insertEntry(db, entryRow(input, newId('entry')), postingRows(lines));
}

export interface PendingInput {
  companyId: string;
  debitAccountId: string;
  creditAccountId: string;
  amount: bigint;
  description: string;
  cause?: Cause;
  expiresAt?: Date;
}

interface TransferSides {
  companyId: string;
  debitAccountId: string;
  creditAccountId: string;
}

function sidesOf(row: repo.PendingTransferRow): TransferSides {
  return { companyId: row.company_id, debitAccountId: row.debit_account_id, creditAccountId: row.credit_account_id };
}

/** Only the side that takes funds away is guarded: a credit on a debit-normal account or a
 * debit on a credit-normal one. Funds on their way in never make an account overdrawn. */
const isGuarded = (account: repo.AccountRow, side: 'debit' | 'credit') => account.no_overdraft && (side === 'credit') === isDebitNormal(account.type);

/** Gives back what a pending transfer reserved, on both of its accounts. */
async function releaseReservation(db: Db, { companyId, debitAccountId, creditAccountId }: TransferSides, amount: bigint) {
  // One lock order for every writer: the lower account id first.
  const sides = [
    { accountId: debitAccountId, side: 'debit' as const },
    { accountId: creditAccountId, side: 'credit' as const },
  ].sort((a, b) => (a.accountId < b.accountId ? -1 : 1));
  for (const { accountId, side } of sides) {
    const changed = await repo.addPending(db, { companyId, accountId, side, delta: -amount, guardAvailable: false });
    if (!changed) throw notFound(`ledger account ${accountId}`);
  }
}

/** The row of a new pending transfer. */
function transferRowOf(input: PendingInput, currency: string) {
  return {
    company_id: input.companyId,
    id: newId('pendingTransfer'),
    debit_account_id: input.debitAccountId,
    credit_account_id: input.creditAccountId,
    amount: input.amount,
    currency,
    description: input.description,
    cause_type: input.cause?.type ?? null,
    cause_id: input.cause?.id ?? null,
    expires_at: input.expiresAt ?? null,
  };
}

/** A pending transfer is made, or the guard of the account it would overdraw refused it. */
export type PendingResult =
  | { reserved: true; transfer: repo.PendingTransferRow }
  | { reserved: false; reason: 'insufficient_funds'; detail: string };

/**
 * Reserves funds: the first phase of a two-phase transfer, such as a card hold. When the
 * guarded account has too little available, nothing is written and the result says so, so
 * the caller can record its decline in the same transaction.
 */
export async function createPending(db: Db, input: PendingInput): Promise<PendingResult> {
  assertTransaction(db);
  if (input.amount <= 0n) throw new DomainError('invalid_money', 'a pending transfer needs a positive amount');
  if (input.debitAccountId === input.creditAccountId) {
    throw new DomainError('unbalanced_entry', 'a transfer needs two different accounts');
  }
  const locked = await repo.lockAccounts(db, input.companyId, [input.debitAccountId, input.creditAccountId]);
  const debit = locked.find((account) => account.id === input.debitAccountId);
  const credit = locked.find((account) => account.id === input.creditAccountId);
  if (!debit) throw notFound(`ledger account ${input.debitAccountId}`);
  if (!credit) throw notFound(`ledger account ${input.creditAccountId}`);
  if (debit.currency !== credit.currency) {
    throw new DomainError('currency_mismatch', `accounts are in ${debit.currency} and ${credit.currency}`);
  }
  // Both rows are locked: the guarded side goes first, so a refusal leaves nothing changed.
  const sides = [
    { account: debit, side: 'debit' as const },
    { account: credit, side: 'credit' as const },
  ].sort((a, b) => Number(isGuarded(b.account, b.side)) - Number(isGuarded(a.account, a.side)));
  for (const { account, side } of sides) {
    const guarded = isGuarded(account, side);
    const changed = await repo.addPending(db, { companyId: input.companyId, accountId: account.id, side, delta: input.amount, guardAvailable: guarded });
    if (changed) continue;
    if (guarded) return { reserved: false, reason: 'insufficient_funds', detail: `account ${account.code} has too little available` };
    throw notFound(`ledger account ${account.id}`);
  }
  const transfer = await repo.insertPendingTransfer(db, transferRowOf(input, debit.currency));
  return { reserved: true, transfer };
}

/**
 * createPending for many transfers at once, all or none: each account's reservations are
 * added up and changed in one statement, and the transfers written in another. The caller
 * has decided them against balances it holds locked (lockWallets), so a guard that refuses
 * means its figures were wrong: the result says so and the caller rolls back.
 */
export async function createPendingMany(db: Db, inputs: readonly PendingInput[]): Promise<{ reserved: true; transfers: repo.PendingTransferRow[] } | { reserved: false; detail: string }> {
  assertTransaction(db);
  if (inputs.length === 0) return { reserved: true, transfers: [] };
  const accountIds = new Set<string>();
  for (const input of inputs) {
    if (input.amount <= 0n) throw new DomainError('invalid_money', 'a pending transfer needs a positive amount');
    if (input.debitAccountId === input.creditAccountId) throw new DomainError('unbalanced_entry', 'a transfer needs two different accounts');
    accountIds.add(input.debitAccountId).add(input.creditAccountId);
  }
  const companyIds = [...new Set(inputs.map((input) => input.companyId))];
  const accounts = await repo.lockAccountsOfCompanies(db, companyIds, [...accountIds]);
  const byKey = new Map(accounts.map((account) => [`${account.company_id}/${account.id}`, account]));
  const changes = new Map<string, repo.PendingChange>();
  const change = (account: repo.AccountRow, side: 'debit' | 'credit', amount: bigint) => {
    const key = `${account.company_id}/${account.id}`;
    const entry = changes.get(key) ?? { companyId: account.company_id, accountId: account.id, debits: 0n, credits: 0n, guard: null };
    if (side === 'debit') entry.debits += amount;
    else entry.credits += amount;
    if (isGuarded(account, side)) entry.guard = side;
    changes.set(key, entry);
  };
  const rows = inputs.map((input) => {
    const debit = byKey.get(`${input.companyId}/${input.debitAccountId}`);
    const credit = byKey.get(`${input.companyId}/${input.creditAccountId}`);
    if (!debit) throw notFound(`ledger account ${input.debitAccountId}`);
    if (!credit) throw notFound(`ledger account ${input.creditAccountId}`);
    if (debit.currency !== credit.currency) throw new DomainError('currency_mismatch', `accounts are in ${debit.currency} and ${credit.currency}`);
    change(debit, 'debit', input.amount);
    change(credit, 'credit', input.amount);
    return transferRowOf(input, debit.currency);
  });
  const changed = await repo.addPendingMany(db, [...changes.values()]);
  if (changed !== changes.size) return { reserved: false, detail: 'an account has too little available for the reservations together' };
  return { reserved: true, transfers: await repo.insertPendingTransfers(db, rows) };
}

async function resolve(
  db: Db,
  companyId: string,
  id: string,
  state: 'posted' | 'voided' | 'expired',
  postedAmount: bigint | null,
  now: Date,
): Promise<repo.PendingTransferRow> {
  assertTransaction(db);
  const resolved = await repo.resolvePendingTransfer(db, { companyId, id, state, postedAmount, now });
  if (!resolved) {
    const existing = await repo.findPendingTransfer(db, companyId, id);
    if (!existing) throw notFound(`pending transfer ${id}`);
    throw new DomainError('transfer_already_resolved', `pending transfer ${id} is already ${existing.state}`);
  }
  await releaseReservation(db, sidesOf(resolved), resolved.amount);
  return resolved;
}

/**
 * Second phase: books `amount` (all of it by default) and releases the rest. The entry is
 * written and the transfer marked posted first; its two accounts are changed last, each in
 * one statement (reservation back, posting on) in id order, so a busy account such as a
 * company's wallet is locked for as short a time as the caller's transaction allows. The
 * funds were reserved when the transfer was made, so no overdraft check is due.
 */
export async function postPending(
  db: Db,
  params: { companyId: string; id: string; amount?: bigint; description?: string; now: Date },
): Promise<{ transfer: repo.PendingTransferRow; entry: repo.EntryRow }> {
  assertTransaction(db);
  const existing = await repo.findPendingTransfer(db, params.companyId, params.id);
  if (!existing) throw notFound(`pending transfer ${params.id}`);
  const amount = params.amount ?? existing.amount;
  if (amount <= 0n) throw new DomainError('invalid_money', 'a posted amount must be positive');
  if (amount > existing.amount) {
    throw new DomainError('transfer_amount_exceeds_pending', `cannot post ${amount} of a pending ${existing.amount}`);
  }
  const entryId = newId('entry');
  const transfer = await repo.postPendingTransfer(db, { companyId: params.companyId, id: params.id, postedAmount: amount, entryId, now: params.now });
  if (!transfer) throw new DomainError('transfer_already_resolved', `pending transfer ${params.id} is already ${existing.state}`);
  const entry = await repo.insertEntry(
    db,
    {
      company_id: params.companyId,
      id: entryId,
      kind: 'pending_posted',
      description: params.description ?? transfer.description,
      cause_type: transfer.cause_type,
      cause_id: transfer.cause_id,
      effective_at: params.now,
    },
    [
      { line: 1, account_id: transfer.debit_account_id, amount, currency: transfer.currency },
      { line: 2, account_id: transfer.credit_account_id, amount: -amount, currency: transfer.currency },
    ],
  );
  const sides = [
    { accountId: transfer.debit_account_id, side: 'debit' as const },
    { accountId: transfer.credit_account_id, side: 'credit' as const },
  ].sort((a, b) => (a.accountId < b.accountId ? -1 : 1));
  for (const { accountId, side } of sides) {
    const changed = await repo.settleReservation(db, { companyId: params.companyId, accountId, side, reserved: transfer.amount, posted: amount });
    if (!changed) throw notFound(`ledger account ${accountId}`);
  }
  return { transfer, entry };
}

/** One pending transfer to settle in settlePendingMany: booked (all or part of it, the rest
 * released) or voided. */
export interface PendingSettlement {
  companyId: string;
  id: string;
  post: { amount: bigint; description: string } | null;
  /** How a transfer nothing is posted of ends: voided (the default) or expired. */
  release?: 'voided' | 'expired';
}

/**
 * postPending, voidPending and expirePending for many transfers at once, and postEntry for
 * many entries beside them, all or none: the transfers marked in one statement, the entries
 * and their postings in one each, and every account touched changed once by its total, in id
 * order and last. Throws when a transfer is not pending any more, a posted amount exceeds it,
 * an entry does not balance or one (not allowed to) overdraws an account as the batch leaves
 * it; the caller's transaction then rolls back. Returns the transfers in the order given, and
 * the wallets among the accounts as they are afterwards.
 */
export async function settlePendingMany(
  db: Db,
  settlements: readonly PendingSettlement[],
  now: Date,
  entries: readonly EntryInput[] = [],
): Promise<{ transfers: repo.PendingTransferRow[]; wallets: Map<string, Wallet> }> {
  assertTransaction(db);
  if (settlements.length === 0 && entries.length === 0) return { transfers: [], wallets: new Map() };
  const transfers = await resolveTransfers(db, settlements, now);
  const changes = new Map<string, repo.BalanceChange>();
  const change = (companyId: string, accountId: string) => {
    const key = `${companyId}/${accountId}`;
    const entry = changes.get(key) ?? { companyId, accountId, debitsPending: 0n, creditsPending: 0n, debitsPosted: 0n, creditsPosted: 0n };
    changes.set(key, entry);
    return entry;
  };
  for (const transfer of transfers) {
    const posted = transfer.posted_amount ?? 0n;
    const debit = change(transfer.company_id, transfer.debit_account_id);
    debit.debitsPending -= transfer.amount;
    debit.debitsPosted += posted;
    const credit = change(transfer.company_id, transfer.credit_account_id);
    credit.creditsPending -= transfer.amount;
    credit.creditsPosted += posted;
  }
  for (const input of entries) for (const posting of input.postings) change(input.companyId, posting.accountId);
  const all = [...changes.values()];
  const locked = new Map((await repo.lockAccountsOfCompanies(db, all.map((entry) => entry.companyId), all.map((entry) => entry.accountId))).map((row) => [`${row.company_id}/${row.id}`, row]));
  const booked = entries.map((input) => ({ input, id: newId('entry'), lines: entryLines(input, locked) }));
  // Each entry is checked as postEntry would check it after the settlements and the entries
  // before it: against the balances they leave.
  const running = new Map([...changes].map(([key, moved]) => [key, movedBy(toBalances(locked.get(key)!), moved)]));
  for (const { input, lines } of booked) {
    const touched = new Map<string, AccountBalances>();
    for (const line of lines) {
      const key = `${input.companyId}/${line.accountId}`;
      if (!touched.has(key)) touched.set(key, running.get(key)!);
      running.set(key, applyPosted(running.get(key)!, line.amount));
      const moved = change(input.companyId, line.accountId);
      if (line.amount > 0n) moved.debitsPosted += line.amount;
      else moved.creditsPosted -= line.amount;
    }
    if (input.allowOverdraft) continue;
    for (const [key, before] of touched) {
      if (overdraws(before, running.get(key)!)) throw new DomainError('insufficient_funds', `account ${locked.get(key)!.code} has too little available`);
    }
  }
  await repo.insertEntries(db, [
    ...settlements.flatMap((settlement, index) => {
      const transfer = transfers[index]!;
      const amount = settlement.post?.amount;
      if (amount === undefined) return [];
      return [{
        entry: { company_id: transfer.company_id, id: transfer.entry_id!, kind: 'pending_posted', description: settlement.post!.description, cause_type: transfer.cause_type, cause_id: transfer.cause_id, effective_at: now },
        postings: [
          { line: 1, account_id: transfer.debit_account_id, amount, currency: transfer.currency },
          { line: 2, account_id: transfer.credit_account_id, amount: -amount, currency: transfer.currency },
        ],
      }];
    }),
    ...booked.map(({ input, id, lines }) => ({ entry: entryRow(input, id), postings: postingRows(lines) })),
  ]);
  const after = await repo.moveBalances(db, all);
  if (after.length !== all.length) throw notFound('ledger account');
  const wallets = new Map(after.filter((row) => row.code === walletAccount.code).map((row) => [row.company_id, walletOf(row)]));
  return { transfers, wallets };
}

/** Marks the transfers resolved as settlePendingMany asks; each must still be pending, and
 * none can post more than it holds. */
async function resolveTransfers(db: Db, settlements: readonly PendingSettlement[], now: Date): Promise<repo.PendingTransferRow[]> {
  if (settlements.length === 0) return [];
  for (const settlement of settlements) {
    if (settlement.post && settlement.post.amount <= 0n) throw new DomainError('invalid_money', 'a posted amount must be positive');
  }
  const resolutions = settlements.map((settlement) => ({
    companyId: settlement.companyId,
    id: settlement.id,
    state: settlement.post ? ('posted' as const) : (settlement.release ?? 'voided'),
    postedAmount: settlement.post?.amount ?? null,
    entryId: settlement.post ? newId('entry') : null,
  }));
  const resolved = new Map((await repo.resolvePendingTransfers(db, resolutions, now)).map((row) => [`${row.company_id}/${row.id}`, row]));
  return settlements.map((settlement) => {
    const transfer = resolved.get(`${settlement.companyId}/${settlement.id}`);
    if (!transfer) throw new DomainError('transfer_already_resolved', `pending transfer ${settlement.id} is not pending`);
    if (settlement.post && settlement.post.amount > transfer.amount) {
      throw new DomainError('transfer_amount_exceeds_pending', `cannot post ${settlement.post.amount} of a pending ${transfer.amount}`);
    }
    return transfer;
  });
}

export async function voidPending(db: Db, params: { companyId: string; id: string; now: Date }): Promise<repo.PendingTransferRow> {
  return resolve(db, params.companyId, params.id, 'voided', null, params.now);
}

export async function expirePending(db: Db, params: { companyId: string; id: string; now: Date }): Promise<repo.PendingTransferRow> {
  return resolve(db, params.companyId, params.id, 'expired', null, params.now);
}

/**
 * Pending transfers of one kind of cause (such as card holds) whose time is up, oldest expiry
 * first, at most `limit`: the owner of the cause expires each in its own transaction.
 */
export async function listDuePending(db: Db, causeType: string, now: Date, limit: number): Promise<{ companyId: string; causeId: string }[]> {
  const due = await repo.listDuePendingTransfers(db, causeType, now, limit);
  return due.map((row) => ({ companyId: row.company_id, causeId: row.cause_id }));
}

/**
 * Books the exact opposite of an entry: the correction of a booking that was wrong or is no
 * longer true. The entry itself stays as it was (entries are append-only).
 */
export async function reverseEntry(db: Db, params: { companyId: string; entryId: string; kind: string; description: string; cause?: Cause; effectiveAt: Date }): Promise<repo.EntryRow> {
  const postings = await repo.listPostings(db, params.companyId, [params.entryId]);
  if (postings.length === 0) throw notFound(`journal entry ${params.entryId}`);
  return postEntry(db, {
    companyId: params.companyId,
    kind: params.kind,
    description: params.description,
    cause: params.cause,
    effectiveAt: params.effectiveAt,
    postings: postings.map((posting) => ({ accountId: posting.account_id, amount: -posting.amount })),
    allowOverdraft: true,
  });
}
