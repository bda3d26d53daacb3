// Importing bank statement files: recording the file and each statement in it, and handing
// a statement that adds up to reconciliation (reconcile-entries.ts).
//
// Two kinds of account send statements:
// - the platform's top-up account, which every company pays into with its own creditor
//   reference: an operator (or the inbox) imports these;
// - a company's own bank account, which pays its reimbursements: the company's admin imports
//   these.
// A file imported again, or a statement already seen in another file, changes nothing. A
// statement whose balances contradict its entries, or that is of another account, is held
// with its reason until an operator (or the company's admin) accepts or discards it
// (held-statements.service.ts). Each statement is recorded and reconciled in one transaction.
import { recordAudit } from '../audit/audit.service.js';
import { createHash } from 'node:crypto';
import type { Actor } from '../auth/actor.js';
import { takeUploadAttempt } from '../auth/attempt-limiter.js';
import { statementUploadsPerCompany, statementUploadsPerUploader } from '../auth/attempt-limits.js';
import { actorOf, type Principal } from '../auth/principal.js';
import { getCompany } from '../companies/companies.service.js';
import type { Db } from '../db/database.js';
import { getExpenseSettings } from '../expenses/expense-settings.service.js';
import { recordStatementImport } from '../observability/metrics.js';
import { DomainError } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import type { BlobStore } from '../storage/blob-store.js';
import { statementFileBytesMax } from './statements/limits.js';
import { parseStatementFile } from './statements/parse-statement-file.js';
import type { ParsedStatementFile, Statement, StatementEntry, StatementFormat } from './statements/statement.js';
import type { StatementWarning } from './statements/statement-warnings.js';
import * as repo from './bank.repository.js';
import { holdReason } from './hold-reason.js';
import { minorUnits } from './minor-units.js';
import { reconcileStatement } from './reconcile-entries.js';
import { ownerFor, type StatementAccount, type StatementOwner } from './statement-owner.js';
import type { TopUpAccount } from './top-up-account.js';
import { transferKeyOf } from './transfer-key.js';

export interface BankingDeps {
  db: Db;
  blobs: BlobStore;
  topUpAccount: TopUpAccount;
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
  format: StatementFormat;
  /** The same file was imported before: nothing was changed. */
  duplicateFile: boolean;
  statements: ImportedStatement[];
  /** What the reader accepted although it was not as the format says; kept with the file. */
  warnings: StatementWarning[];
}

export interface StatementFileInput {
  bytes: Buffer;
  fileName: string | null;
  via: 'cli' | 'api' | 'inbox';
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

function fingerprintOf(statement: Statement): string {
  return sha256(JSON.stringify({ account: statement.account, currency: statement.currency, id: statement.id, opening: statement.opening, closing: statement.closing, entries: statement.entries }));
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

interface ExpectedAccount {
  account: string | null;
  currency: string;
}

async function expectedAccountOf(deps: BankingDeps, owner: StatementOwner): Promise<ExpectedAccount> {
  if (owner.isPlatform) return { account: deps.topUpAccount.iban, currency: deps.topUpAccount.currency };
  const [settings, company] = await Promise.all([getExpenseSettings(deps.db, owner.companyId), getCompany(deps.db, owner.companyId)]);
  return { account: settings.debtor_iban, currency: company.currency };
}

/** Keeps the file's bytes and records the file, unless another import recorded it first. */
async function recordFile(deps: BankingDeps, owner: StatementOwner, input: StatementFileInput, parsed: ParsedStatementFile, digest: string, now: Date): Promise<string> {
  const { format } = parsed;
  const fileId = newId('bankFile', now.getTime());
  const blobKey = `bank-statements/${owner.companyId}/${fileId}.${format === 'mt940' ? 'sta' : 'xml'}`;
  await deps.blobs.put(blobKey, input.bytes);
  return deps.db.transaction().execute(async (trx) => {
    const raced = await repo.findFileBySha(trx, owner.companyId, digest);
    if (raced) return raced.id;
    await repo.insertFile(trx, { company_id: owner.companyId, id: fileId, sha256: digest, format, file_name: input.fileName?.slice(0, 200) ?? null, received_via: input.via, byte_size: input.bytes.length, blob_key: blobKey, warnings: JSON.stringify(parsed.warnings) });
    return fileId;
  });
}

/** Records one statement of the file and, when nothing holds it, reconciles its entries. */
async function recordStatement(deps: BankingDeps, owner: StatementOwner, fileId: string, statement: Statement, expected: ExpectedAccount, actor: Actor, now: Date): Promise<ImportedStatement> {
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
    if (!reason) await reconcileStatement(trx, owner, row, actor, now);
    return { row, duplicate: false };
  });
  return summaryOf(deps.db, owner.companyId, outcome.row, outcome.duplicate);
}

/** Imports a statement file, counting the outcome for the metrics: failed, a duplicate file,
 * held (a statement in it waits for a person) or booked. */
export async function importStatementFile(deps: BankingDeps, owner: StatementOwner, input: StatementFileInput, actor: Actor, now: Date): Promise<ImportSummary> {
  let summary: ImportSummary;
  try {
    summary = await importFile(deps, owner, input, actor, now);
  } catch (error) {
    recordStatementImport('failed');
    throw error;
  }
  recordStatementImport(summary.duplicateFile ? 'duplicate' : summary.statements.some((statement) => statement.state === 'held') ? 'held' : 'booked');
  return summary;
}

async function importFile(deps: BankingDeps, owner: StatementOwner, input: StatementFileInput, actor: Actor, now: Date): Promise<ImportSummary> {
  if (input.bytes.length === 0) throw new DomainError('validation_failed', 'the statement file is empty');
  if (input.bytes.length > statementFileBytesMax) throw new DomainError('payload_too_large', `a statement file has at most ${statementFileBytesMax} bytes`);
  const parsed = parseStatementFile(input.bytes);
  const digest = sha256(input.bytes);
  const known = await repo.findFileBySha(deps.db, owner.companyId, digest);
  // A file seen in full changes nothing; one whose import broke off is taken again (its
  // statements that committed are recognised by their fingerprints and skipped).
  if (known?.completed_at) return { fileId: known.id, format: known.format, duplicateFile: true, statements: [], warnings: known.warnings as StatementWarning[] };
  const fileId = known?.id ?? (await recordFile(deps, owner, input, parsed, digest, now));
  const expected = await expectedAccountOf(deps, owner);
  const statements: ImportedStatement[] = [];
  for (const statement of parsed.statements) statements.push(await recordStatement(deps, owner, fileId, statement, expected, actor, now));
  await deps.db.transaction().execute(async (trx) => {
    await repo.markFileComplete(trx, owner.companyId, fileId, now);
    await recordAudit(trx, { companyId: owner.companyId, ...actor, action: 'bank_statement_file.imported', subjectType: 'bank_statement_file', subjectId: fileId, details: { format: parsed.format, via: input.via, statements: statements.length, held: statements.filter((statement) => statement.state === 'held').length, warnings: parsed.warnings.length } });
  });
  return { fileId, format: parsed.format, duplicateFile: false, statements, warnings: parsed.warnings };
}

const statementUploadLimits = { perUploader: statementUploadsPerUploader, perCompany: statementUploadsPerCompany };

/** A file uploaded over HTTP, imported as the principal's: the top-up account's (operators) or
 * the company's own; counted against the importer's and the company's hourly limits first. */
export async function importUploadedStatementFile(deps: BankingDeps, principal: Principal, account: StatementAccount, input: Omit<StatementFileInput, 'via'>, now: Date): Promise<ImportSummary> {
  await takeUploadAttempt(deps.db, principal, statementUploadLimits, now, 'too many statement files were imported');
  const owner = await ownerFor(deps.db, principal, account);
  return importStatementFile(deps, owner, { ...input, via: 'api' }, actorOf(principal), now);
}
