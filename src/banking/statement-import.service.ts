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
import type { Actor } from '../audit/audit.repository.js';
import { getCompany } from '../companies/companies.service.js';
import type { Db } from '../db/database.js';
import { ensureSettings } from '../expenses/books.repository.js';
import { ensureAccount, postEntry } from '../ledger/ledger.service.js';
import { currencyExponent, isCurrency } from '../money/money.js';
import { notify } from '../notifications/notifications.service.js';
import { listPaidBatches, updateBatch } from '../payouts/payouts.repository.js';
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
  const bank = await ensureAccount(trx, { companyId, code: `platform_bank:${currency}`, name: `Top-up account (${currency})`, type: 'asset', currency });
  const funds = await ensureAccount(trx, { companyId, code: `customer_funds:${currency}`, name: `Companies' wallet funds (${currency})`, type: 'liability', currency });
  const suspense = await ensureAccount(trx, { companyId, code: `suspense:${currency}`, name: `Suspense: transfers nobody's reference names (${currency})`, type: 'liability', currency });
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

/** The reference a top-up is recorded under: the bank's own, stable across statements. */
const topUpReferenceOf = (entry: repo.EntryRow, statement: repo.StatementRow) => (entry.bank_reference ?? entry.end_to_end_id ?? `${statement.statement_ref ?? statement.id}:${entry.line}`).slice(0, 140);

/** Books a credit as a company's top-up (the bank's reference recorded once per company). */
async function topUp(trx: Db, entry: repo.EntryRow, statement: repo.StatementRow, targetCompanyId: string, actor: Actor, now: Date): Promise<string | null> {
  const receivedOn = entry.booking_date ?? entry.value_date ?? now.toISOString().slice(0, 10);
  try {
    const row = await bookTopUp(trx, targetCompanyId, { amount: entry.amount, currency: entry.currency, bankReference: topUpReferenceOf(entry, statement), receivedOn, bankEntryId: entry.id }, actor, now);
    return row.id;
  } catch (error) {
    // The same transfer on an earlier statement (an intraday report, then the day's statement).
    if (error instanceof DomainError && error.code === 'duplicate_top_up') return null;
    throw error;
  }
}

async function reconcilePlatformEntries(trx: Db, statement: repo.StatementRow, entries: readonly repo.EntryRow[], actor: Actor, now: Date): Promise<void> {
  const companyId = statement.company_id;
  const texts = entries.map((entry) => ({ amount: entry.amount, remittance: entry.remittance, endToEndId: entry.end_to_end_id, bankReference: entry.bank_reference, information: entry.note }));
  const known = await repo.findCompaniesByReferences(trx, [...new Set(texts.flatMap(referencesOf))]);
  const companyOf = new Map(known.map((row) => [row.reference, row.company_id]));
  for (const [index, entry] of entries.entries()) {
    const match = matchTopUp(texts[index]!, new Set(companyOf.keys()));
    if (match.kind === 'other') {
      await repo.updateEntry(trx, companyId, entry.id, { state: 'other' });
      continue;
    }
    const accounts = await platformAccounts(trx, companyId, entry.currency);
    const target = match.kind === 'top_up' ? companyOf.get(match.reference)! : null;
    const targetCurrency = target ? (await getCompany(trx, target)).currency : null;
    if (target && targetCurrency === entry.currency) {
      const topUpId = await topUp(trx, entry, statement, target, actor, now);
      if (topUpId) await postPlatform(trx, companyId, entry, accounts.bank.id, accounts.funds.id, 'top_up_received', `Top-up for ${target}`, now);
      await repo.updateEntry(trx, companyId, entry.id, { state: topUpId ? 'top_up' : 'other', target_company_id: target, top_up_id: topUpId, note: topUpId ? null : 'booked before, from another statement' });
      continue;
    }
    const reason = match.kind === 'suspense' ? match.reason : `the company's wallet is in ${targetCurrency}, the transfer in ${entry.currency}`;
    await postPlatform(trx, companyId, entry, accounts.bank.id, accounts.suspense.id, 'suspense_received', `In suspense: ${reason}`, now);
    await repo.updateEntry(trx, companyId, entry.id, { state: 'suspense', target_company_id: target, note: reason });
  }
}

async function reconcileCompanyEntries(trx: Db, statement: repo.StatementRow, entries: readonly repo.EntryRow[], now: Date): Promise<void> {
  const companyId = statement.company_id;
  const batches: PayoutCandidate[] = await listPaidBatches(trx, companyId);
  const seen = new Map<string, bigint>();
  for (const entry of entries) {
    const match = matchPayout({ amount: entry.amount, remittance: entry.remittance, endToEndId: entry.end_to_end_id, bankReference: entry.bank_reference, information: entry.note }, batches);
    if (match.kind === 'other') {
      await repo.updateEntry(trx, companyId, entry.id, { state: 'other' });
      continue;
    }
    await repo.updateEntry(trx, companyId, entry.id, { state: 'payout', payout_batch_id: match.batchId });
    seen.set(match.batchId, (seen.get(match.batchId) ?? 0n) - entry.amount);
  }
  for (const [batchId, paid] of seen) {
    const batch = batches.find((candidate) => candidate.batchId === batchId)!;
    if (paid < batch.total) continue;
    await updateBatch(trx, companyId, batchId, { state: 'executed', executed_at: now });
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

function entryRow(companyId: string, statementId: string, entry: StatementEntry, line: number, currency: string) {
  const entryCurrency = entry.currency ?? currency;
  return {
    company_id: companyId,
    id: newId('bankEntry'),
    statement_id: statementId,
    line,
    amount: minorUnits(entry.amount, entryCurrency),
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
  const [settings, company] = await Promise.all([ensureSettings(deps.db, owner.companyId), getCompany(deps.db, owner.companyId)]);
  return { account: settings.debtor_iban, currency: company.currency };
}

export async function importStatementFile(deps: BankingDeps, owner: StatementOwner, input: { bytes: Buffer; fileName: string | null; via: 'cli' | 'api' | 'inbox' }, actor: Actor, now = new Date()): Promise<ImportSummary> {
  if (input.bytes.length === 0) throw new DomainError('validation_failed', 'the statement file is empty');
  if (input.bytes.length > statementFileBytesMax) throw new DomainError('payload_too_large', `a statement file has at most ${statementFileBytesMax} bytes`);
  const parsed = parseStatementFile(input.bytes);
  const digest = sha256(input.bytes);
  const known = await repo.findFileBySha(deps.db, owner.companyId, digest);
  if (known) return { fileId: known.id, format: known.format, duplicateFile: true, statements: [] };

  const fileId = newId('bankFile', now.getTime());
  const blobKey = `bank-statements/${owner.companyId}/${fileId}.${parsed.format === 'mt940' ? 'sta' : 'xml'}`;
  await deps.blobs.put(blobKey, input.bytes);
  await deps.db.transaction().execute(async (trx) => {
    if (await repo.findFileBySha(trx, owner.companyId, digest)) return;
    await repo.insertFile(trx, { company_id: owner.companyId, id: fileId, sha256: digest, format: parsed.format, file_name: input.fileName?.slice(0, 200) ?? null, received_via: input.via, byte_size: input.bytes.length, blob_key: blobKey });
  });
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
      await repo.insertEntries(trx, statement.entries.map((entry, index) => entryRow(owner.companyId, row.id, entry, index + 1, currency)));
      if (!reason) await reconcile(trx, owner, row, actor, now);
      return { row, duplicate: false };
    });
    statements.push(await summaryOf(deps.db, owner.companyId, outcome.row, outcome.duplicate));
  }
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
    const statement = (await repo.findStatement(trx, platformId, entry.statement_id))!;
    const topUpId = await topUp(trx, entry, statement, targetCompanyId, actor, now);
    if (!topUpId) throw new DomainError('duplicate_top_up', 'the company has a top-up with this bank reference already');
    const accounts = await platformAccounts(trx, platformId, entry.currency);
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
    const accounts = await platformAccounts(trx, platformId, entry.currency);
    await postPlatform(trx, platformId, entry, accounts.suspense.id, accounts.bank.id, 'suspense_returned', `Returned to sender: ${text}`, now);
    return repo.updateEntry(trx, platformId, entryId, { state: 'returned', note: text, decided_by: actor.actorId, decided_at: now });
  });
}

export const actorFor = (principal: Principal): Actor & { actorId: string } => ({ actorType: principal.kind, actorId: principalId(principal) });
