// The office work the crash part runs beside the card load: receipt uploads (real photos from
// ../shared/fixtures/receipts-sroie), bank statement imports of the platform's top-up account
// (a real MT940 and a real camt.053 file, altered per import so each is a new statement that
// pays the company's wallet with its creditor reference) and bookkeeping exports, each with an
// Idempotency-Key, to whichever server process is up. Afterwards: every acknowledged upload,
// import and export is in the database once with its stored file, every reading job finished,
// nothing unacknowledged is half-written, and every key sent again gets its first answer or runs once.
import { readdirSync, readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { systemActor } from '../src/auth/actor.js';
import { permissionsOfRoles } from '../src/auth/permissions.js';
import type { Principal } from '../src/auth/principal.js';
import { ensurePlatformCompany } from '../src/banking/platform-company.service.js';
import { paymentReferenceOf } from '../src/banking/payment-references.service.js';
import type { Db } from '../src/db/database.js';
import { readReceiptQueue } from '../src/receipts/read-receipt-queue.js';
import { createCategory } from '../src/expenses/categories.service.js';
import { fileExpense } from '../src/expenses/expense-filing.service.js';
import { approveExpense, submitExpense } from '../src/expenses/expense-review.service.js';
import { fixturePath } from '../src/test-support/fixtures.js';
import { createApiKey } from '../src/sessions/api-keys.service.js';
import { addActivePerson } from '../src/people/people.service.js';
import type { BlobStore } from '../src/storage/blob-store.js';
import type { ServerProcess } from '../src/test-support/server-process.js';
import type { Violations } from './verify-run.js';

/** The platform's top-up account when OUTLAY_TOPUP_IBAN is not set (config.ts). */
const topUpIban = 'DK3852950001234567';
/** Statement uploads an operator may make an hour (attempt-limits.ts allows 50): a few spare. */
export const importsMax = 45;
/** Receipt uploads of the one uploader (300 an hour are allowed): what is left covers sending
 * again every upload an outage left unanswered. */
export const uploadsMax = 140;
/** Past this a reading job that has not finished counts as never finishing: a job of a killed
 * process is back in its queue within about 80 s (a stale lease, the next look for one, the
 * retry's delay), one killed twice within about three minutes, and one killed on its last try
 * is failed as soon as its lease is found stale (job-queue.ts tells the receipt). */
const readingWaitMs = 240_000;
const password = 'correct horse battery';
/** How long a repeat answered 409 in progress is asked again: past the claim lease of idempotency.ts. */
const inProgressRetryMs = 60_000;

export type OfficeKind = 'upload' | 'import' | 'export';

export interface OfficeRequest {
  kind: OfficeKind;
  key: string;
  url: string;
  contentType: string;
  body: Buffer;
  /** The first answer, or null when the process died before it came. */
  answer: { status: number; body: Record<string, unknown> } | null;
}

export interface OfficeSeat {
  companyId: string;
  adminId: string;
  apiKey: string;
  operator: { email: string; password: string };
  reference: string;
  /** Days with one approved expense each, one export apiece. */
  exportDays: string[];
}

/** The company's admin with an API key, an operator of the platform, and approved expenses to export. */
export async function seedOffice(db: Db, sessionKey: Buffer, companyId: string, exportCount: number): Promise<OfficeSeat> {
  const admin = await addActivePerson(db, companyId, { email: 'admin@office.test', name: 'Office Admin', roles: ['admin', 'employee'], password });
  const filer = await addActivePerson(db, companyId, { email: 'filer@office.test', name: 'Office Filer', roles: ['employee'], password });
  const platform = await ensurePlatformCompany(db, 'EUR');
  await addActivePerson(db, platform.id, { email: 'ops@office.test', name: 'Office Operator', roles: ['operator'], password });
  const { secret } = await createApiKey(db, sessionKey, companyId, { name: 'crash office', scopes: ['receipts:write', 'receipts:read', 'expenses:manage', 'expenses:read'] }, { ...systemActor, actorId: admin.id });
  const principal = (userId: string, roles: ('admin' | 'employee')[]): Principal => ({ kind: 'user', companyId, userId, sessionId: 'verify', roles, permissions: permissionsOfRoles(roles) });
  const now = new Date();
  const category = await createCategory(db, companyId, { accountCode: '6110', name: 'Office supplies' });
  const exportDays: string[] = [];
  for (let day = 0; day < exportCount; day++) {
    const spentOn = new Date(Date.UTC(2026, 0, 1 + day)).toISOString().slice(0, 10);
    const expense = await fileExpense(db, principal(filer.id, ['employee']), { kind: 'out_of_pocket', spentOn, merchant: `Office supplies ${day + 1}`, amount: `${10 + day}.50`, categoryId: category.id }, now);
    const submitted = await submitExpense(db, principal(filer.id, ['employee']), expense.id, now);
    if (submitted.state !== 'approved') await approveExpense(db, principal(admin.id, ['admin', 'employee']), expense.id, null, now);
    exportDays.push(spentOn);
  }
  return { companyId, adminId: admin.id, apiKey: secret, operator: { email: 'ops@office.test', password }, reference: await paymentReferenceOf(db, companyId), exportDays };
}

const mt940Template = readFileSync(fixturePath('banking', 'mt940', 'cmxl', 'mt940.sta'), 'latin1').split(/\r?\n-\r?\n/)[1]!.trim();
const camtTemplate = readFileSync(fixturePath('banking', 'camt', 'camt053.v4.xml'), 'utf8');

/**
 * The real MT940 statement (its second, a German bank's) made the top-up account's: its own
 * reference, the account, an opening balance of zero, its debit line left out, and its credit
 * line of `cents` (its bank reference the statement's) paid with the company's creditor reference in the purpose (?20).
 */
export function alteredMt940(statementRef: string, cents: number, reference: string): Buffer {
  const amount = `${Math.floor(cents / 100)},${String(cents % 100).padStart(2, '0')}`;
  const text = mt940Template
    .replace(/^:20:.*$/m, `:20:${statementRef}`)
    .replace(/^:25:.*$/m, `:25:${topUpIban}`)
    .replace(/^:60F:C(\d{6})EUR[\d,]+$/m, ':60F:C$1EUR0,00')
    .replace(/^:61:\d+DR[\s\S]*?(?=^:61:)/m, '')
    .replace(/^(:61:\d{10}CR)[\d,]+(.*\/\/).*$/m, `$1${amount}$2${statementRef}`)
    .replace(/\?20[\s\S]*?(?=\?21)/, `?20${reference}`)
    .replace(/^:62F:C(\d{6})EUR[\d,]+$/m, `:62F:C$1EUR${amount}`);
  return Buffer.from(`${text}\r\n-\r\n`.replace(/\r?\n/g, '\r\n'), 'latin1');
}

/**
 * The real camt.053 file (ISO 20022 v4 sample) made the top-up account's: a new statement id,
 * the account's IBAN, balances from zero to the one credit of `cents`, paid with the
 * company's creditor reference.
 */
export function alteredCamt(statementRef: string, cents: number, reference: string): Buffer {
  const amount = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
  const balance = (code: string, value: string) => `<Bal><Tp><CdOrPrtry><Cd>${code}</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">${value}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2014-12-31</Dt></Dt></Bal>`;
  const text = camtTemplate
    .replace(/<MsgId>[^<]*<\/MsgId>/, `<MsgId>${statementRef}</MsgId>`)
    .replace(/(<Stmt>\s*<Id>)[^<]*(<\/Id>)/, `$1${statementRef}$2`)
    .replace(/<Acct>[\s\S]*?<\/Acct>/, `<Acct><Id><IBAN>${topUpIban}</IBAN></Id><Ccy>EUR</Ccy></Acct>`)
    .replace(/(<Bal>[\s\S]*?<\/Bal>\s*)+/, `${balance('OPBD', '0.00')}${balance('CLBD', amount)}`)
    .replace(/(<Ntry>\s*<Amt Ccy="EUR">)[^<]*/, `$1${amount}`)
    .replace(/<AcctSvcrRef>[^<]*/, `<AcctSvcrRef>${statementRef}`)
    .replace(/(<CdtrRefInf>[\s\S]*?<Ref>)[^<]*/, `$1${reference}`);
  return Buffer.from(text, 'utf8');
}

const receiptFiles = readdirSync(fixturePath('receipts-sroie', 'img')).filter((name) => name.endsWith('.jpg')).sort();

/** One lane of office requests, kind by kind, to the live processes in turn. */
export class OfficeLoad {
  readonly sent: OfficeRequest[] = [];
  private stopping = false;
  private running: Promise<void> = Promise.resolve();
  private turn = 0;
  private imports = 0;
  private exports = 0;
  private uploads = 0;
  private operatorSession: { cookie: string; csrf: string } | null = null;

  constructor(
    private readonly seat: OfficeSeat,
    private readonly servers: ServerProcess[],
    /** Pause between two requests of the lane, so the office stays a side load. */
    private readonly pauseMs: number,
  ) {}

  start(): void {
    this.running = this.lane();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.running;
  }

  acknowledged(kind?: OfficeKind): number {
    return this.sent.filter((request) => (!kind || request.kind === kind) && request.answer !== null && request.answer.status === 201).length;
  }

  private next(turn: number): OfficeRequest | null {
    const key = `crash-office-${turn}`;
    const choice = turn % 4;
    if (choice === 1 && this.imports < importsMax) {
      const index = this.imports++;
      const cents = 1_00 + index;
      const ref = `CRASH${String(index).padStart(5, '0')}`;
      const body = index % 2 === 0 ? alteredMt940(ref, cents, this.seat.reference) : alteredCamt(ref, cents, this.seat.reference);
      return { kind: 'import', key, url: `/api/v1/bank/statements?fileName=${ref}.${index % 2 === 0 ? 'sta' : 'xml'}`, contentType: index % 2 === 0 ? 'text/plain' : 'application/xml', body, answer: null };
    }
    if (choice === 3 && this.exports < this.seat.exportDays.length) {
      const day = this.seat.exportDays[this.exports++]!;
      return { kind: 'export', key, url: '/api/v1/export-batches', contentType: 'application/json', body: Buffer.from(JSON.stringify({ format: 'csv', from: day, to: day })), answer: null };
    }
    if (this.uploads >= uploadsMax) return null;
    this.uploads++;
    const file = receiptFiles[turn % receiptFiles.length]!;
    // The same photo sent twice is a second receipt (flagged a duplicate), still one row per upload.
    return { kind: 'upload', key, url: `/api/v1/receipts?userId=${this.seat.adminId}&fileName=${file}`, contentType: 'image/jpeg', body: readFileSync(fixturePath('receipts-sroie', 'img', file)), answer: null };
  }

  private async lane(): Promise<void> {
    while (!this.stopping) {
      const turn = this.turn++;
      const request = this.next(turn);
      if (!request) {
        // Every kind has reached its cap: the card load goes on alone.
        await new Promise((resolve) => setTimeout(resolve, 250));
        continue;
      }
      this.sent.push(request);
      request.answer = await this.send(this.servers[turn % this.servers.length]!, request).catch(() => null);
      await new Promise((resolve) => setTimeout(resolve, this.pauseMs));
    }
  }

  /** Sends (or sends again) one request with its key, as the company's API key or the operator. */
  async send(server: ServerProcess, request: OfficeRequest): Promise<{ status: number; body: Record<string, unknown> }> {
    const headers: Record<string, string> = { 'content-type': request.contentType, 'idempotency-key': request.key };
    if (request.kind === 'import') {
      this.operatorSession ??= await this.signIn(server);
      headers.cookie = `outlay_session=${this.operatorSession.cookie}`;
      headers['x-csrf-token'] = this.operatorSession.csrf;
    } else {
      headers.authorization = `Bearer ${this.seat.apiKey}`;
    }
    const response = await fetch(`${server.url}${request.url}`, { method: 'POST', headers, body: request.body, signal: AbortSignal.timeout(30_000) });
    const text = await response.text();
    return { status: response.status, body: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : { text } };
  }

  private async signIn(server: ServerProcess): Promise<{ cookie: string; csrf: string }> {
    const response = await fetch(`${server.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(this.seat.operator) });
    const body = (await response.json()) as { csrfToken?: string };
    const cookie = /outlay_session=([^;]*)/.exec(response.headers.getSetCookie().join('\n'))?.[1];
    if (!cookie || !body.csrfToken) throw new Error(`the operator could not sign in (${response.status})`);
    return { cookie, csrf: body.csrfToken };
  }
}

/**
 * Every request without an answer (or with a 5xx) and every `answeredEvery`th answered one,
 * sent again with its key to a live process: the first must run now (or get the answer of the
 * attempt the crash cut off, which did run), the others their first answer.
 */
export async function sendOfficeAgain(load: OfficeLoad, server: ServerProcess, answeredEvery: number, violations: Violations) {
  let retried = 0;
  let mismatches = 0;
  for (const [index, request] of load.sent.entries()) {
    const unanswered = request.answer === null || request.answer.status >= 500;
    if (!unanswered && index % answeredEvery !== 0) continue;
    let again = await load.send(server, request);
    // The attempt a kill cut off holds the key until its claim is no longer renewed (30 s,
    // idempotency.ts): a client told 409 in progress asks again a little later.
    const deadline = performance.now() + inProgressRetryMs;
    while (again.status === 409 && again.body.code === 'idempotency_request_in_progress' && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      again = await load.send(server, request);
    }
    retried++;
    if (unanswered) {
      if (again.status !== 201) violations.add(`${request.kind} ${request.key}, unanswered at first, got ${again.status} ${JSON.stringify(again.body).slice(0, 200)} when sent again`);
      request.answer = again;
    } else if (again.status !== request.answer!.status || again.body.id !== request.answer!.body.id || again.body.fileId !== request.answer!.body.fileId) {
      mismatches++;
      violations.add(`${request.kind} ${request.key} was answered ${request.answer!.status} ${String(request.answer!.body.id ?? request.answer!.body.fileId)} first and ${again.status} ${String(again.body.id ?? again.body.fileId)} when sent again`);
    }
  }
  return { retried, mismatches };
}

const countBy = (values: readonly (string | null)[]) => {
  const counts = new Map<string, number>();
  for (const value of values) if (value !== null) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
};

/**
 * Waits for every receipt of the company to be read (or to fail reading: a bad file is an
 * answer too). A reading job that a killed process had taken goes back to the queue once its
 * lease is stale (job-queue.ts, 45 s) and another process reads the receipt; such jobs are
 * counted (`readings_retried`: every reading job tried more than once).
 */
async function waitForReading(db: Db, companyId: string): Promise<{ unread: string[]; retried: number; waitedSeconds: number }> {
  const started = performance.now();
  for (;;) {
    const unread = (await db.selectFrom('receipts').select('id').where('company_id', '=', companyId).where('read_state', 'in', ['queued', 'reading']).execute()).map((row) => row.id);
    const waitedSeconds = Math.round((performance.now() - started) / 100) / 10;
    if (unread.length === 0 || performance.now() - started > readingWaitMs) {
      const retried = await sql<{ count: string }>`select count(*) as count from pgboss.job where name = ${readReceiptQueue.name} and retry_count > 0 and data->>'companyId' = ${companyId}`.execute(db);
      return { unread, retried: Number(retried.rows[0]!.count), waitedSeconds };
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Waits for every export batch to leave `exporting`. */
async function waitForExports(db: Db, companyId: string): Promise<void> {
  const deadline = performance.now() + readingWaitMs;
  while (performance.now() < deadline) {
    const writing = await db.selectFrom('export_batches').select('id').where('company_id', '=', companyId).where('state', '=', 'exporting').execute();
    if (writing.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** The checks after the crashes; returns the figures. */
export async function checkOffice(db: Db, blobs: BlobStore, seat: OfficeSeat, load: OfficeLoad, violations: Violations) {
  const hasBlob = async (key: string | null) => key !== null && (await blobs.get(key)) !== null;
  const tally = { lost: 0, duplicated: 0, halfWritten: 0 };
  const found = (kind: keyof typeof tally, text: string, count = 1) => {
    tally[kind] += count;
    violations.add(text);
  };
  const acknowledged = (kind: OfficeKind) => load.sent.filter((request) => request.kind === kind && request.answer?.status === 201).map((request) => request.answer!.body);

  // Receipts: one row per acknowledged upload, its file, its reading done.
  const reading = await waitForReading(db, seat.companyId);
  const receipts = await db.selectFrom('receipts').select(['id', 'blob_key', 'read_state']).where('company_id', '=', seat.companyId).execute();
  const receiptCounts = countBy(receipts.map((row) => row.id));
  for (const body of acknowledged('upload')) {
    const count = receiptCounts.get(String(body.id)) ?? 0;
    if (count === 0) found('lost', `upload answered as receipt ${String(body.id)} is not in the database`);
  }
  for (const row of receipts) {
    if (!(await hasBlob(row.blob_key))) found('halfWritten', `receipt ${row.id} has no stored file ${row.blob_key}`);
  }
  for (const id of reading.unread) violations.add(`receipt ${id} was not read within ${readingWaitMs} ms`);
  const uploadsAnswered = new Set(acknowledged('upload').map((body) => String(body.id)));
  const keysRun = load.sent.filter((request) => request.kind === 'upload').length;
  // More rows than uploads sent means an upload ran twice.
  if (receipts.length > keysRun) found('duplicated', `${receipts.length} receipts for ${keysRun} uploads sent`, receipts.length - keysRun);

  // Statements: each acknowledged file once, each statement with all its lines, each credit line funding the wallet once.
  const statements = await sql<{ id: string; file_id: string; entry_count: number; lines: number; blob_key: string; state: string }>`
    select s.id, s.file_id, s.entry_count, f.blob_key, s.state, (select count(*)::int from bank_entries e where e.company_id = s.company_id and e.statement_id = s.id) as lines
    from bank_statements s join bank_statement_files f on f.company_id = s.company_id and f.id = s.file_id
    where s.statement_ref like 'CRASH%'`.execute(db);
  const statementCounts = countBy(statements.rows.map((row) => row.id));
  for (const body of acknowledged('import')) {
    for (const statement of (body.statements as { id: string; state: string }[] | undefined) ?? []) {
      if (!statementCounts.has(statement.id)) found('lost', `import ${String(body.fileId)}: statement ${statement.id} is not in the database`);
      if (statement.state !== 'booked') violations.add(`import ${String(body.fileId)}: statement ${statement.id} was ${statement.state}, not booked`);
    }
  }
  for (const row of statements.rows) {
    if (row.lines !== row.entry_count) found('halfWritten', `statement ${row.id} holds ${row.lines} of its ${row.entry_count} lines`);
    if (!(await hasBlob(row.blob_key))) found('halfWritten', `statement file ${row.file_id} has no stored file`);
  }
  const topUps = await sql<{ bank_entry_id: string | null; n: number }>`
    select t.bank_entry_id, count(*)::int as n from wallet_top_ups t
    where t.company_id = ${seat.companyId} and t.bank_entry_id in (select e.id from bank_entries e join bank_statements s on s.company_id = e.company_id and s.id = e.statement_id where s.statement_ref like 'CRASH%')
    group by t.bank_entry_id`.execute(db);
  const creditLines = await sql<{ id: string; state: string }>`
    select e.id, e.state from bank_entries e join bank_statements s on s.company_id = e.company_id and s.id = e.statement_id
    where s.statement_ref like 'CRASH%' and e.amount > 0`.execute(db);
  const fundedBy = new Map(topUps.rows.map((row) => [row.bank_entry_id, row.n]));
  for (const line of creditLines.rows) {
    const funded = fundedBy.get(line.id) ?? 0;
    if (funded === 0) found('lost', `statement line ${line.id} (${line.state}) funded no wallet`);
    if (funded > 1) found('duplicated', `statement line ${line.id} funded the wallet ${funded} times`);
  }
  const statementRefs = countBy((await sql<{ statement_ref: string }>`select statement_ref from bank_statements where statement_ref like 'CRASH%'`.execute(db)).rows.map((row) => row.statement_ref));
  for (const [ref, count] of statementRefs) if (count > 1) found('duplicated', `statement ${ref} is in the database ${count} times`);

  // Exports: each acknowledged batch once, written, with its file.
  await waitForExports(db, seat.companyId);
  const batches = await db.selectFrom('export_batches').select(['id', 'state', 'blob_key', 'period_from']).where('company_id', '=', seat.companyId).execute();
  const batchIds = new Set(batches.map((row) => row.id));
  for (const body of acknowledged('export')) if (!batchIds.has(String(body.id))) found('lost', `export answered as ${String(body.id)} is not in the database`);
  for (const [day, count] of countBy(batches.map((row) => row.period_from))) if (count > 1) found('duplicated', `the export of ${day} is in the database ${count} times`);
  for (const row of batches) {
    if (row.state !== 'exported') violations.add(`export ${row.id} is ${row.state}`);
    else if (!(await hasBlob(row.blob_key))) found('halfWritten', `export ${row.id} has no stored file`);
  }
  return {
    ...tally,
    figures: {
      receipts: receipts.length,
      receipts_acknowledged: uploadsAnswered.size,
      receipts_read: receipts.filter((row) => row.read_state === 'read').length,
      receipts_read_failed: receipts.filter((row) => row.read_state === 'failed').length,
      reading_waited_seconds: reading.waitedSeconds,
      readings_retried: reading.retried,
      statements: statements.rows.length,
      statement_lines_funded: topUps.rows.length,
      export_batches: batches.length,
    },
  };
}
