// The commands around the books, run in-process against a real database: reading a receipt
// with no server, parsing a bank statement, writing a payout batch's pain.001 and exporting
// a period, each checked by the program that reads its output.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { permissionsOfRoles } from '../auth/permissions.js';
import type { Principal } from '../auth/principal.js';
import { createCompany } from '../companies/companies.service.js';
import { openDatabase } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { renderReceiptPdf } from '../demo/receipt-pictures.js';
import { createCategory } from '../expenses/categories.service.js';
import { updateExpenseSettings } from '../expenses/expense-settings.service.js';
import { setPayeeAccount } from '../expenses/payee-accounts.service.js';
import { fileExpense } from '../expenses/expense-filing.service.js';
import { submitExpense } from '../expenses/expense-review.service.js';
import { createPayoutBatch } from '../payouts/payouts.service.js';
import { addActivePerson } from '../people/people.service.js';
import { openTestDatabase, type TestDatabase } from '../test-support/database.js';
import { main } from './main.js';
import { fixturePath } from '../test-support/fixtures.js';
import { testToolOutput } from '../test-support/test-tools.js';

let env: Record<string, string>;
let serverDatabase: TestDatabase | null = null;
let companyId: string;
let batchId: string;
const scratch = mkdtempSync(path.join(tmpdir(), 'outlay-books-cli-'));
const today = new Date().toISOString().slice(0, 10);

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (text) => out.push(text), err: (text) => err.push(text), env });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

beforeAll(async () => {
  env = { OUTLAY_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'outlay-cli-books-')), OUTLAY_DEMO: '0', LOG_LEVEL: 'silent' };
  if (process.env.DATABASE_URL) {
    serverDatabase = await openTestDatabase();
    env.DATABASE_URL = serverDatabase.url!;
  }
  const database = await openDatabase(env.DATABASE_URL ? { kind: 'postgres', url: env.DATABASE_URL, poolSize: 2 } : { kind: 'pglite', dataDir: path.join(env.OUTLAY_DATA_DIR!, 'pglite') });
  try {
    const db = database.db;
    await migrate(db);
    const company = await createCompany(db, { name: 'Kommando ApS', currency: 'EUR' });
    companyId = company.id;
    const person = await addActivePerson(db, companyId, { email: 'ida@kommando.test', name: 'Ida Hansen', roles: ['employee'], password: 'correct horse battery' });
    const ida: Principal = { kind: 'user', companyId, userId: person.id, sessionId: 'test', roles: ['employee'], permissions: permissionsOfRoles(['employee']) };
    const admin: Principal = { kind: 'user', companyId, userId: 'usr_admin', sessionId: 'test', roles: ['admin'], permissions: permissionsOfRoles(['admin']) };
    const category = await createCategory(db, companyId, { accountCode: '6110', name: 'Travel' });
    await updateExpenseSettings(db, companyId, { debtor: { name: 'Kommando ApS', iban: 'DK5000400440116243' }, mileageRate: '0.50' });
    await setPayeeAccount(db, companyId, person.id, { holderName: 'Ida Hansen', iban: 'DK9520000123456789' });
    const drive = await fileExpense(db, ida, { kind: 'mileage', spentOn: today, distanceKm: '40', route: 'Office – client', categoryId: category.id }, new Date());
    expect((await submitExpense(db, ida, drive.id, new Date())).state).toBe('approved');
    batchId = (await createPayoutBatch(db, admin, {}, new Date())).batch.id;
  } finally {
    await database.close();
  }
});
afterAll(async () => {
  await serverDatabase?.close();
});

describe('outlay receipts extract', () => {
  it('reads a PDF receipt with no server or database and prints its fields as JSON', async () => {
    const file = path.join(scratch, 'receipt.pdf');
    writeFileSync(file, renderReceiptPdf({ merchant: 'Bageriet', date: '2026-11-30', items: [{ name: 'Rugbrød', amount: '6.50' }], total: '6.50', currency: 'EUR' }));
    const result = await run('receipts', 'extract', file, '--json');
    expect(result.code, result.err).toBe(0);
    expect(JSON.parse(result.out)).toMatchObject({ merchant: 'BAGERIET', date: '2026-11-30', total: '6.50', currency: 'EUR' });
  });

  it.each([
    ['is no receipt at all', 'notes.txt', Buffer.from('just some notes')],
    ['is a broken image', 'broken.jpg', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70])],
  ])('says so in one line, without a stack trace, when the file %s', async (_, name, bytes) => {
    const file = path.join(scratch, name);
    writeFileSync(file, bytes);
    const result = await run('receipts', 'extract', file, '--json');
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/^outlay: receipt/);
    expect(result.err).not.toContain('    at ');
  });
});

describe('outlay bank parse', () => {
  it('prints a CAMT.053 statement as JSON', async () => {
    const result = await run('bank', 'parse', fixturePath('banking', 'camt', 'camt053.v2.multi.statement.xml'), '--json');
    expect(result.code, result.err).toBe(0);
    const parsed = JSON.parse(result.out);
    expect(parsed.format).toBe('camt.053');
    expect(parsed.statements).toHaveLength(2);
  });
});

describe('outlay bank import', () => {
  it('imports an MT940 statement of the top-up account once, and says so the second time', async () => {
    const file = fixturePath('banking', 'mt940', 'betterplace', 'sepa_mt9401.sta');
    const first = await run('bank', 'import', file, '--json');
    expect(first.code, first.err).toBe(0);
    const summary = JSON.parse(first.out);
    expect(summary).toMatchObject({ format: 'mt940', duplicateFile: false });
    expect(summary.statements.length).toBeGreaterThan(1);
    // The fixture is another bank's account: every statement waits for an operator.
    expect(summary.statements.every((s: { state: string }) => s.state === 'held')).toBe(true);
    const second = await run('bank', 'import', file);
    expect(second.out).toContain('was imported before; nothing changed');
  });

  it('refuses a file that is no statement, naming the problem', async () => {
    const file = path.join(scratch, 'not-a-statement.xml');
    writeFileSync(file, '<html>hello</html>');
    const result = await run('bank', 'import', file);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/^outlay: /);
  });
});

describe('outlay operators create', () => {
  it('invites a platform operator and prints the link', async () => {
    const result = await run('operators', 'create', '--email', 'ops@platform.test', '--name', 'Ops');
    expect(result.code, result.err).toBe(0);
    expect(result.out).toMatch(/invitation for ops@platform\.test: http.*\/invite\//);
  });
});

describe('outlay payouts pain001', () => {
  it('writes the latest batch as a pain.001 file that validates against the schema', async () => {
    const out = path.join(scratch, 'batch.xml');
    const result = await run('payouts', 'pain001', '--company', companyId, '--batch', 'latest', '--out', out);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toContain(batchId);
    testToolOutput('xmllint', ['--noout', '--schema', fixturePath('banking', 'xsd', 'pain.001.001.03.xsd'), out]);
    expect(readFileSync(out, 'utf8')).toContain('<InstdAmt Ccy="EUR">20.00</InstdAmt>');
  });

  it('names a batch that does not exist', async () => {
    const result = await run('payouts', 'pain001', '--company', companyId, '--batch', 'pay_01M8SR0M02NPNBVY4KQJ68YS4S', '--out', path.join(scratch, 'none.xml'));
    expect(result.code).toBe(1);
    expect(result.err).toContain('payout batch was not found');
  });
});

describe('outlay export', () => {
  it('writes an hledger journal that hledger checks', async () => {
    const out = path.join(scratch, 'books.journal');
    const result = await run('export', '--company', companyId, '--format', 'hledger', '--from', today, '--to', today, '--out', out);
    expect(result.code, result.err).toBe(0);
    testToolOutput('hledger', ['-f', out, 'check']);
    const balance = testToolOutput('hledger', ['-f', out, 'balance', '--flat', '--no-total']);
    expect(balance).toContain('20.00 EUR');
  });

  it('refuses an unknown format', async () => {
    const result = await run('export', '--company', companyId, '--format', 'xls', '--from', today, '--to', today, '--out', path.join(scratch, 'x'));
    expect(result.code).toBe(1);
    expect(result.err).toContain('format');
  });
});
