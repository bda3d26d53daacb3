// Importing bank statements and reconciling their entries.
//
// Two kinds of account send statements:
// - the platform's top-up account, which every company pays into with its own creditor
//   reference: an operator imports these; each credit becomes the named company's wallet
//   top-up, or waits in suspense for an operator to assign or return it;
// - a company's own bank account, which pays its reimbursements: the company's admin imports
//   these; a debit naming a payout batch marks the batch executed.
// A file imported again, or a statement already seen in another file, changes nothing. A
// statement whose balances contradict its entries, or that is of another account, is held
// with its reason until an operator (or the company's admin) accepts or discards it.
// Each statement is recorded and reconciled in one transaction.
import { createHash } from 'node:crypto';
import { principalId, type Principal } from '../auth/principal.js';
import type { Actor } from '../auth/actor.js';
import { getCompany } from '../companies/companies.service.js';
import type { Db } from '../db/database.js';
import { getExpenseSettings } from '../expenses/expense-settings.service.js';
import { customerFundsAccount, platformBankAccount, suspenseAccount } from '../ledger/chart-of-accounts.js';
import { ensureAccount, lockAccounts, lockWalletForFunding, postEntry } from '../ledger/ledger.service.js';
import { currencyExponent, isCurrency } from '../money/money.js';
import { notify } from '../notifications/notifications.service.js';
import { listPaidBatches, markBatchExecuted } from '../payouts/payouts.service.js';
import { DomainError, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import type { BlobStore } from '../storage/blob-store.js';
import { bookTopUp } from '../wallet/wallet.service.js';
import { statementFileBytesMax } from './statements/limits.js';
import { parseStatementFile } from './statements/parse-statement-file.js';
import type { Statement, StatementEntry } from './statements/statement.js';
import { matchPayout, matchTopUp, referencesOf, type PayoutCandidate } from './entry-matching.js';
import * as repo from './bank.repository.js';

export type { EntryRow, StatementRow } from './bank.repository.js';

export interface TopUpAccount {
  iban: string;
  bic: string | null;
  name: string;
  currency: string;
}

export interface BankingDeps {
  db: Db;
  blobs: BlobStore;
  topUpAccount: TopUpAccount;
}

/** Whose statements: the platform's top-up account, or one company's own account. */
export interface StatementOwner {
  companyId: string;
  isPlatform: boolean;
}

export interface ImportedStatement {
  id: string;
  statementRef: string | null;
  state: repo.StatementRow['state'];
  inconsistency: string | null;
  /** Seen before (in this file or another): nothing was changed. */
  duplicate: boolean;
  entries: Record<string, number>;
}

export interface ImportSummary {
  fileId: string;
  format: 'mt940' | 'camt.053';
  /** The same file was imported before: nothing was changed. */
  duplicateFile: boolean;
  statements: ImportedStatement[];
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** Decimal string → minor units; the statement parsers give exact decimals. */
function minorUnits(amount: string, currency: string): bigint {
  const exponent = isCurrency(currency) ? currencyExponent(currency) : 2;
  const negative = amount.startsWith('-');
  const [whole, fraction = ''] = amount.replace(/^[-+]/, '').split('.');
  const digits = `${whole}${fraction.padEnd(exponent, '0').slice(0, exponent)}`;
  if (fraction.length > exponent && /[1-9]/.test(fraction.slice(exponent))) throw new DomainError('validation_failed', `amount ${amount} has more decimals than ${currency} allows`);
  const value = BigInt(digits || '0');
  return negative ? -value : value;
}

function fingerprintOf(statement: Statement): string {
  return sha256(JSON.stringify({ account: statement.account, currency: statement.currency, id: statement.id, opening: statement.opening, closing: statement.closing, entries: statement.entries }));
}

const compactIban = (text: string | null) => (text ?? '').replace(/\s+/g, '').toUpperCase();

/** Why a statement must wait for a person, or null. */
function holdReason(statement: Statement, expectedAccount: string | null, expectedCurrency: string | null): string | null {
  if (!statement.consistent) return statement.inconsistency ?? 'the balances do not agree with the entries';
  if (expectedAccount && compactIban(statement.account) !== compactIban(expectedAccount)) {
    return `the statement is of account ${statement.account ?? '(none)'}, not ${expectedAccount}`;
  }
  const currency = statement.currency ?? statement.entries[0]?.currency ?? null;
  if (expectedCurrency && currency && currency !== expectedCurrency) return `the statement is in ${currency}, the account in ${expectedCurrency}`;
  if (!currency) return 'the statement says in no currency';
  return null;
}

/** The platform ledger: what the top-up account holds, for whom, and what waits in suspense. */
async function platformAccounts(trx: Db, companyId: string, currency: string) {
  const bank = await ensureAccount(trx, { companyId, currency, ...platformBankAccount(currency) });
  const funds = await ensureAccount(trx, { companyId, currency, ...customerFundsAccount(currency) });
  const suspense = await ensureAccount(trx, { companyId, currency, ...suspenseAccount(currency) });
  return { bank, funds, suspense };
}

async function postPlatform(trx: Db, companyId: string, entry: repo.EntryRow, debit: string, credit: string, kind: string, description: string, now: Date) {
  await postEntry(trx, {
    companyId,
    kind,
    description,
    cause: { type: 'bank_entry', id: entry.id },
    effectiveAt: now,
    postings: [
      { accountId: debit, amount: entry.amount > 0n ? entry.amount : -entry.amount },
      { accountId: credit, amount: entry.amount > 0n ? -entry.amount : entry.amount },
    ],
    allowOverdraft: true,
  });
}

/** References banks write when there is none: they name no transfer. */
const placeholderReferences = new Set(['', 'NOTPROVIDED', 'NONREF', 'NONE', 'N/A', 'NA']);
export const realReference = (reference: string | null) => (reference && !placeholderReferences.has(reference.trim().toUpperCase()) ? reference.trim() : null);

/**
 * What names one transfer across statements (an intraday report, then the day's statement,
 * or the same day in CAMT and MT940): the account with the bank's own reference for it; else
 * a digest of everything the entry says, with how often that same content came before in the
 * statement (two identical transfers on one statement stay two).
 */
export function transferKeyOf(account: string | null, entry: StatementEntry, amount: bigint, currency: string, occurrence: number): string {
  const bankReference = realReference(entry.bankReference);
  if (bankReference) return `ref:${compactIban(account)}:${bankReference}`.slice(0, 200);
  const content = [compactIban(account), entry.bookingDate, entry.valueDate, String(amount), currency, realReference(entry.endToEndId), entry.remittanceInformation, entry.counterparty?.iban, entry.counterparty?.name].join('|');
  return `sha:${sha256(content).slice(0, 40)}#${occurrence}`;
}

/** The reference a top-up is recorded under: the bank's own, else the transfer's key. */
const topUpReferenceOf = (entry: repo.EntryRow) => (realReference(entry.bank_reference) ?? entry.transfer_key).slice(0, 140);

/**
 * Books a credit as a company's top-up, or says why it cannot be (then it waits in suspense):
 * a top-up with the same reference was recorded by hand, or the date is not one a top-up takes.
 */
async function topUp(trx: Db, entry: repo.EntryRow, targetCompanyId: string, actor: Actor, now: Date): Promise<{ id: string } | { refused: string }> {
  const receivedOn = entry.booking_date ?? entry.value_date ?? now.toISOString().slice(0, 10);
  try {
    const row = await bookTopUp(trx, targetCompanyId, { amount: entry.amount, currency: entry.currency, bankReference: topUpReferenceOf(entry), receivedOn, bankEntryId: entry.id }, actor, now);
    return { id: row.id };
  } catch (error) {
    if (error instanceof DomainError && (error.code === 'duplicate_top_up' || error.code === 'validation_failed')) return { refused: error.message };
    throw error;
  }
}

/**
 * Locks the platform's accounts, then the wallets of the companies an entry names, in id
 * order: every path that touches both (imports, assignments) takes them in this order, so two
 * imports never deadlock.
 */
async function lockForReconciliation(trx: Db, platformId: string, currencies: readonly string[], companyIds: readonly string[]) {
  const byCurrency = new Map<string, Awaited<ReturnType<typeof platformAccounts>>>();
  for (const currency of [...new Set(currencies)].sort()) {
    const accounts = await platformAccounts(trx, platformId, currency);
    await lockAccounts(trx, platformId, [accounts.bank.id, accounts.funds.id, accounts.suspense.id]);
    byCurrency.set(currency, accounts);
  }
  for (const companyId of [...new Set(companyIds)].sort()) await lockWalletForFunding(trx, companyId);
  return byCurrency;
}

async function reconcilePlatformEntries(trx: Db, statement: repo.StatementRow, entries: readonly repo.EntryRow[], actor: Actor, now: Date): Promise<void> {
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
      const booked = await topUp(trx, entry, target, actor, now);
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

async function reconcileCompanyEntries(trx: Db, statement: repo.StatementRow, entries: readonly repo.EntryRow[], now: Date): Promise<void> {
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
    for (const admin of await repo.listActiveAdmins(trx, companyId)) {
      await notify(trx, { companyId, userId: admin, kind: 'payout_executed', subject: { type: 'payout_batch', id: `${batchId}:${admin}` }, title: 'Reimbursements left the bank account', body: `The bank statement shows payout batch ${batchId} paid.` }, now);
    }
  }
}

async function reconcile(trx: Db, owner: StatementOwner, statement: repo.StatementRow, actor: Actor, now: Date): Promise<void> {
  const entries = await repo.listEntriesOfStatement(trx, statement.company_id, statement.id);
  if (owner.isPlatform) await reconcilePlatformEntries(trx, statement, entries, actor, now);
  else await reconcileCompanyEntries(trx, statement, entries, now);
}

function entryRows(companyId: string, statementId: string, statement: Statement, currency: string) {
  const occurrences = new Map<string, number>();
  return statement.entries.map((entry, index) => {
    const entryCurrency = entry.currency ?? currency;
    const amount = minorUnits(entry.amount, entryCurrency);
    const base = transferKeyOf(statement.account, entry, amount, entryCurrency, 0);
    const occurrence = (occurrences.get(base) ?? 0) + 1;
    occurrences.set(base, occurrence);
    return entryRow(companyId, statementId, entry, index + 1, entryCurrency, amount, transferKeyOf(statement.account, entry, amount, entryCurrency, occurrence));
  });
}

function entryRow(companyId: string, statementId: string, entry: StatementEntry, line: number, entryCurrency: string, amount: bigint, transferKey: string) {
  return {
    company_id: companyId,
    id: newId('bankEntry'),
    statement_id: statementId,
    line,
    transfer_key: transferKey,
    amount,
    currency: entryCurrency,
    booking_date: entry.bookingDate,
    value_date: entry.valueDate,
    bank_reference: entry.bankReference?.slice(0, 140) ?? null,
    end_to_end_id: entry.endToEndId?.slice(0, 140) ?? null,
    remittance: entry.remittanceInformation?.slice(0, 500) ?? null,
    counterparty_name: entry.counterparty?.name?.slice(0, 140) ?? null,
    counterparty_iban: entry.counterparty?.iban ?? null,
    state: 'pending' as const,
    // The bank's own free text (MT940 :86:) may carry the reference too; kept as the note.
    note: entry.information?.slice(0, 500) ?? null,
  };
}

async function summaryOf(db: Db, companyId: string, statement: repo.StatementRow, duplicate: boolean): Promise<ImportedStatement> {
  const counts = await repo.countEntriesByState(db, companyId, [statement.id]);
  return {
    id: statement.id,
    statementRef: statement.statement_ref,
    state: statement.state,
    inconsistency: statement.inconsistency,
    duplicate,
    entries: Object.fromEntries(counts.map((row) => [row.state, row.count])),
  };
}

async function expectedAccountOf(deps: BankingDeps, owner: StatementOwner): Promise<{ account: string | null; currency: string }> {
  if (owner.isPlatform) return { account: deps.topUpAccount.iban, currency: deps.topUpAccount.currency };
  const [settings, company] = await Promise.all([getExpenseSettings(deps.db, owner.companyId), getCompany(deps.db, owner.companyId)]);
  return { account: settings.debtor_iban, currency: company.currency };
}

export async function importStatementFile(deps: BankingDeps, owner: StatementOwner, input: { bytes: Buffer; fileName: string | null; via: 'cli' | 'api' | 'inbox' }, actor: Actor, now = new Date()): Promise<ImportSummary> {
  if (input.bytes.length === 0) throw new DomainError('validation_failed', 'the statement file is empty');
  if (input.bytes.length > statementFileBytesMax) throw new DomainError('payload_too_large', `a statement file has at most ${statementFileBytesMax} bytes`);
  const parsed = parseStatementFile(input.bytes);
  const digest = sha256(input.bytes);
  const known = await repo.findFileBySha(deps.db, owner.companyId, digest);
  // A file seen in full changes nothing; one whose import broke off is taken again (its
  // statements that committed are recognised by their fingerprints and skipped).
  if (known?.completed_at) return { fileId: known.id, format: known.format, duplicateFile: true, statements: [] };

  let fileId = known?.id ?? newId('bankFile', now.getTime());
  if (!known) {
    const blobKey = `bank-statements/${owner.companyId}/${fileId}.${parsed.format === 'mt940' ? 'sta' : 'xml'}`;
    await deps.blobs.put(blobKey, input.bytes);
    fileId = await deps.db.transaction().execute(async (trx) => {
      const raced = await repo.findFileBySha(trx, owner.companyId, digest);
      if (raced) return raced.id;
      await repo.insertFile(trx, { company_id: owner.companyId, id: fileId, sha256: digest, format: parsed.format, file_name: input.fileName?.slice(0, 200) ?? null, received_via: input.via, byte_size: input.bytes.length, blob_key: blobKey });
      return fileId;
    });
  }
  const expected = await expectedAccountOf(deps, owner);
  const statements: ImportedStatement[] = [];
  for (const statement of parsed.statements) {
    const fingerprint = fingerprintOf(statement);
    const outcome = await deps.db.transaction().execute(async (trx) => {
      const seen = await repo.findStatementByFingerprint(trx, owner.companyId, fingerprint);
      if (seen) return { row: seen, duplicate: true };
      const reason = holdReason(statement, expected.account, expected.currency);
      const currency = statement.currency ?? statement.entries[0]?.currency ?? expected.currency;
      const row = await repo.insertStatement(trx, {
        company_id: owner.companyId,
        id: newId('bankStatement', now.getTime()),
        file_id: fileId,
        fingerprint,
        statement_ref: statement.id?.slice(0, 140) ?? null,
        account: statement.account,
        currency,
        opening_amount: statement.opening ? minorUnits(statement.opening.amount, currency) : null,
        opening_date: statement.opening?.date ?? null,
        closing_amount: statement.closing ? minorUnits(statement.closing.amount, currency) : null,
        closing_date: statement.closing?.date ?? null,
        entry_count: statement.entries.length,
        state: reason ? 'held' : 'booked',
        inconsistency: reason,
      });
      await repo.insertEntries(trx, entryRows(owner.companyId, row.id, statement, currency));
      if (!reason) await reconcile(trx, owner, row, actor, now);
      return { row, duplicate: false };
    });
    statements.push(await summaryOf(deps.db, owner.companyId, outcome.row, outcome.duplicate));
  }
  await repo.markFileComplete(deps.db, owner.companyId, fileId, now);
  return { fileId, format: parsed.format, duplicateFile: false, statements };
}

/** Accepts a held statement as it is (an operator checked it) and reconciles it. */
export async function acceptStatement(db: Db, owner: StatementOwner, id: string, actor: Actor & { actorId: string }, now = new Date()): Promise<repo.StatementRow> {
  return db.transaction().execute(async (trx) => {
    const statement = await repo.lockStatement(trx, owner.companyId, id);
    if (!statement) throw notFound('bank statement');
    if (statement.state !== 'held') throw new DomainError('conflict', `the statement is ${statement.state}, not held`);
    const booked = await repo.updateStatement(trx, owner.companyId, id, { state: 'booked', decided_by: actor.actorId, decided_at: now });
    await reconcile(trx, owner, booked, actor, now);
    return booked;
  });
}

export async function discardStatement(db: Db, owner: StatementOwner, id: string, actor: Actor & { actorId: string }, now = new Date()): Promise<repo.StatementRow> {
  return db.transaction().execute(async (trx) => {
    const statement = await repo.lockStatement(trx, owner.companyId, id);
    if (!statement) throw notFound('bank statement');
    if (statement.state !== 'held') throw new DomainError('conflict', `the statement is ${statement.state}, not held`);
    return repo.updateStatement(trx, owner.companyId, id, { state: 'discarded', decided_by: actor.actorId, decided_at: now });
  });
}

// --- The suspense queue (operators) -----------------------------------------------------------

/** Gives a credit in suspense to the company it was meant for, as that company's top-up. */
export async function assignSuspense(db: Db, platformId: string, entryId: string, targetCompanyId: string, actor: Actor & { actorId: string }, now = new Date()): Promise<repo.EntryRow> {
  return db.transaction().execute(async (trx) => {
    const entry = await repo.lockEntry(trx, platformId, entryId);
    if (!entry) throw notFound('bank entry');
    if (entry.state !== 'suspense') throw new DomainError('conflict', `the entry is ${entry.state}, not in suspense`);
    if (targetCompanyId === platformId) throw new DomainError('validation_failed', 'a top-up goes to a company, not to the platform', 'companyId');
    const company = await getCompany(trx, targetCompanyId).catch(() => {
      throw new DomainError('not_found', 'company was not found', 'companyId');
    });
    if (company.currency !== entry.currency) throw new DomainError('currency_mismatch', `the company's wallet is in ${company.currency}, the transfer in ${entry.currency}`, 'companyId');
    const accounts = (await lockForReconciliation(trx, platformId, [entry.currency], [targetCompanyId])).get(entry.currency)!;
    const booked = await topUp(trx, entry, targetCompanyId, actor, now);
    if (!('id' in booked)) throw new DomainError('duplicate_top_up', booked.refused);
    const topUpId = booked.id;
    await postPlatform(trx, platformId, entry, accounts.suspense.id, accounts.funds.id, 'suspense_assigned', `Suspense assigned to ${targetCompanyId}`, now);
    return repo.updateEntry(trx, platformId, entryId, { state: 'assigned', target_company_id: targetCompanyId, top_up_id: topUpId, decided_by: actor.actorId, decided_at: now });
  });
}

/** Marks a credit in suspense for return to its sender (the bank transfer back is made outside). */
export async function returnSuspense(db: Db, platformId: string, entryId: string, note: string, actor: Actor & { actorId: string }, now = new Date()): Promise<repo.EntryRow> {
  const text = note.trim();
  if (text.length === 0 || text.length > 500) throw new DomainError('validation_failed', 'say why the transfer goes back (1 to 500 characters)', 'note');
  return db.transaction().execute(async (trx) => {
    const entry = await repo.lockEntry(trx, platformId, entryId);
    if (!entry) throw notFound('bank entry');
    if (entry.state !== 'suspense') throw new DomainError('conflict', `the entry is ${entry.state}, not in suspense`);
    const accounts = (await lockForReconciliation(trx, platformId, [entry.currency], [])).get(entry.currency)!;
    await postPlatform(trx, platformId, entry, accounts.suspense.id, accounts.bank.id, 'suspense_returned', `Returned to sender: ${text}`, now);
    return repo.updateEntry(trx, platformId, entryId, { state: 'returned', note: text, decided_by: actor.actorId, decided_at: now });
  });
}

export const actorFor = (principal: Principal): Actor & { actorId: string } => ({ actorType: principal.kind, actorId: principalId(principal) });
