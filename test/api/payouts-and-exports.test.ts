// From approved expenses to the bank and the books: a payout batch as a SEPA pain.001 file
// that validates against the ISO 20022 schema, paid once and booked; and accounting exports
// (CSV, SIE, DATEV, hledger) written in the background, locked, re-exported after a
// correction, and an hledger journal of the period's vouchers that hledger itself checks.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { issueCard } from '../../src/cards/card-issuing.service.js';
import { openDatabase } from '../../src/db/database.js';
import { isTimeoutOrLockFailure } from '../../src/db/unique-violation.js';
import { createExportBatch } from '../../src/exports/export-batches.service.js';
import { exportBlobKey } from '../../src/exports/export-files.js';
import { exportGaveUp, exportJob, exportStaleMs, failStaleExports } from '../../src/exports/export-writing.service.js';
import { DatabaseBlobStore } from '../../src/storage/database-blob-store.js';
import { systemClock } from '../../src/shared/clock.js';
import type { TestDatabase } from '../../src/test-support/database.js';
import { syncCardExpenses } from '../../src/expenses/expense-sync.js';
import { verifyLedger } from '../../src/ledger/verify.js';
import type { RunningServer } from '../../src/server/server.js';
import { NetworkClient, networkId } from '../../src/simulator/network-client.js';
import { addPerson, createTenant, type ApiClient, type SessionClient, type Tenant } from '../../src/test-support/api-client.js';
import { finishedExport } from '../../src/test-support/eventually.js';
import { uploadReceipt } from '../../src/test-support/receipts.js';
import { startTestServer, testConfig } from '../../src/test-support/server.js';
import { fixturePath } from '../../src/test-support/fixtures.js';
import { testToolOutput } from '../../src/test-support/test-tools.js';
import { fundWallet } from '../../src/test-support/wallet-funding.js';

const processorSecret = randomBytes(32);
const encryptionKey = randomBytes(32);
const schema = fixturePath('banking', 'xsd', 'pain.001.001.03.xsd');
const today = () => new Date().toISOString().slice(0, 10);
const scratch = mkdtempSync(path.join(tmpdir(), 'outlay-exports-'));

let server: RunningServer;
let tenant: Tenant;
let bookkeeper: SessionClient;
let ana: { id: string; client: SessionClient };
let ben: { id: string; client: SessionClient };
let travel: string;
let vat25: string;

async function approvedExpense(person: { client: SessionClient }, merchant: string, amount: string): Promise<string> {
  const receipt = await uploadReceipt(person.client, Buffer.from(`%PDF-1.4\n% ${merchant}\n%%EOF\n`));
  const filed = await person.client.post('/api/v1/expenses', { kind: 'out_of_pocket', spentOn: today(), merchant, amount, receiptId: receipt.body.id, categoryId: travel, taxCodeId: vat25 });
  expect(filed.status, filed.text).toBe(201);
  const submitted = await person.client.post(`/api/v1/expenses/${filed.body.id}/submit`);
  expect(submitted.body.state, submitted.text).toBe('approved');
  return filed.body.id as string;
}

async function exported(client: ApiClient, body: Record<string, string>) {
  const created = await client.post('/api/v1/export-batches', body);
  expect(created.status, created.text).toBe(201);
  return finishedExport(client, created.body.id);
}

async function ledgerBalances(): Promise<Map<string, bigint>> {
  const accounts = await server.database.db.selectFrom('ledger_accounts').selectAll().where('company_id', '=', tenant.company.id).execute();
  return new Map(accounts.map((account) => [account.code, account.debits_posted - account.credits_posted]).filter(([, balance]) => balance !== 0n) as [string, bigint][]);
}

beforeAll(async () => {
  server = await startTestServer({ config: { processorSecret, encryptionKey, receipts: { ...testConfig().receipts, readers: 0 } } });
  tenant = await createTenant(server, { name: 'Fjord Works', adminEmail: 'admin@fjord.test' });
  const admin = tenant.client;
  await fundWallet(server, tenant.company.id, { amount: '2000.00', currency: 'EUR', bankReference: 'F-1', receivedOn: today() });
  bookkeeper = (await addPerson(admin, { email: 'books@fjord.test', name: 'Bo Books', roles: ['bookkeeper'] })).client;
  ana = await addPerson(admin, { email: 'ana@fjord.test', name: 'Ana Ærø', roles: ['employee'] });
  ben = await addPerson(admin, { email: 'ben@fjord.test', name: 'Ben Noaccount', roles: ['employee'] });
  travel = (await bookkeeper.post('/api/v1/expense-categories', { accountCode: '6110', name: 'Reisekosten' })).body.id;
  vat25 = (await bookkeeper.post('/api/v1/tax-codes', { code: 'VAT25', name: 'VAT 25 %', rate: '25', vatAccountCode: '2640', datevTaxKey: 9 })).body.id;
  const settings = await admin.patch('/api/v1/expense-settings', { debtor: { name: 'Fjord Works ApS', iban: 'DK50 0040 0440 1162 43', bic: 'NDEADKKK' }, datevConsultantNumber: 1001, datevClientNumber: 1 });
  expect(settings.status, settings.text).toBe(200);
  const payee = await ana.client.request('PUT', '/api/v1/payee-account', { holderName: 'Ana Ærø', iban: 'DE89 3704 0044 0532 0130 00' });
  expect(payee.status, payee.text).toBe(200);
});
afterAll(async () => {
  await server?.close();
});

describe('payee accounts', () => {
  it('refuses an IBAN whose check digits are wrong', async () => {
    const wrong = await ben.client.request('PUT', '/api/v1/payee-account', { holderName: 'Ben', iban: 'DE89 3704 0044 0532 0130 01' });
    expect({ status: wrong.status, field: wrong.body.field }).toEqual({ status: 400, field: 'payeeAccount.iban' });
  });
});

describe('reimbursements', () => {
  it('pays what is owed by a pain.001 file that validates, books it once, and skips people without a bank account', async () => {
    const first = await approvedExpense(ana, 'Taxi', '42.00');
    const second = await approvedExpense(ana, 'Train', '18.50');
    await approvedExpense(ben, 'Parking', '7.00');
    const owed = (await tenant.client.get('/api/v1/payouts/owed')).body.items;
    expect(owed).toEqual(expect.arrayContaining([
      { userId: ana.id, amount: { amount: '60.50', currency: 'EUR' }, expenseCount: 2, hasPayeeAccount: true },
      { userId: ben.id, amount: { amount: '7.00', currency: 'EUR' }, expenseCount: 1, hasPayeeAccount: false },
    ]));
    expect((await bookkeeper.post('/api/v1/payout-batches', {})).status).toBe(403);

    const created = await tenant.client.post('/api/v1/payout-batches', {});
    expect(created.status, created.text).toBe(201);
    expect(created.body.batch).toMatchObject({ state: 'created', total: { amount: '60.50' }, itemCount: 1, items: [{ userId: ana.id, iban: 'DE89370400440532013000' }] });
    expect(created.body.skipped).toEqual([{ userId: ben.id, amount: { amount: '7.00', currency: 'EUR' } }]);
    const again = await tenant.client.post('/api/v1/payout-batches', {});
    expect(again.body.code).toBe('nothing_to_pay');

    const file = await tenant.client.get(`/api/v1/payout-batches/${created.body.batch.id}/pain001`);
    expect(file.headers['content-type']).toMatch(/^application\/xml/);
    const xmlPath = path.join(scratch, 'batch.xml');
    writeFileSync(xmlPath, file.text);
    testToolOutput('xmllint', ['--noout', '--schema', schema, xmlPath]);
    expect(file.text).toContain('<CtrlSum>60.50</CtrlSum>');
    expect(file.text).toContain('<IBAN>DK5000400440116243</IBAN>');
    expect(file.text).toContain(`<MsgId>${created.body.batch.messageId}</MsgId>`);

    const paid = await tenant.client.post(`/api/v1/payout-batches/${created.body.batch.id}/paid`);
    expect(paid.body).toMatchObject({ state: 'paid' });
    const twice = await tenant.client.post(`/api/v1/payout-batches/${created.body.batch.id}/paid`);
    expect({ status: twice.status, code: twice.body.code }).toEqual({ status: 409, code: 'payout_already_paid' });
    const balances = await ledgerBalances();
    expect(balances.get(`payable:${ana.id}`)).toBeUndefined();
    expect(balances.get('company_bank')).toBe(-6050n);
    expect(balances.get(`payable:${ben.id}`)).toBe(-700n);
    for (const id of [first, second]) expect((await ana.client.get(`/api/v1/expenses/${id}`)).body.reimbursement).toEqual({ state: 'paid', payoutBatchId: created.body.batch.id });
    const changed = await bookkeeper.patch(`/api/v1/expenses/${first}`, { amount: '420.00' });
    expect({ status: changed.status, code: changed.body.code }).toEqual({ status: 409, code: 'expense_state_invalid' });
  });
});

describe('accounting exports', () => {
  it('exports a period\'s approved expenses once, and again after a correction', async () => {
    const first = await exported(bookkeeper, { format: 'csv', from: today(), to: today() });
    expect(first).toMatchObject({ state: 'exported', format: 'csv' });
    expect(first.expenseCount).toBeGreaterThanOrEqual(3);
    const file = await bookkeeper.get(first.fileUrl);
    expect(file.headers['content-disposition']).toContain('.csv');
    const rows = file.text.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(rows).toHaveLength(first.expenseCount + 1);
    expect(rows[1]).toContain('6110');

    const nothing = await bookkeeper.post('/api/v1/export-batches', { format: 'csv', from: today(), to: today() });
    expect(nothing.body.code).toBe('nothing_to_export');
    const expenseId = (await bookkeeper.get('/api/v1/expenses?state=approved')).body.items[0].id;
    expect((await bookkeeper.get(`/api/v1/expenses/${expenseId}`)).body.export.state).toBe('exported');
    const corrected = await bookkeeper.patch(`/api/v1/expenses/${expenseId}`, { note: 'corrected VAT' });
    expect(corrected.body.export).toEqual({ state: 'not_exported', batchId: null });
    const second = await exported(bookkeeper, { format: 'csv', from: today(), to: today() });
    expect(second.expenseCount).toBe(1);
  });

  it('writes SIE and DATEV files in their encodings', async () => {
    await approvedExpense(ana, 'Büro Müller', '99.00');
    const sie = await exported(bookkeeper, { format: 'sie', from: today(), to: today() });
    const sieFile = await bookkeeper.get(sie.fileUrl);
    expect(sieFile.text).toContain('#SIETYP 4');
    await approvedExpense(ana, 'Café Größe', '11.00');
    const datev = await exported(bookkeeper, { format: 'datev', from: today(), to: today() });
    expect(datev.state, datev.error).toBe('exported');
    const datevFile = await bookkeeper.get(datev.fileUrl);
    expect(datevFile.headers['content-type']).toContain('windows-1252');
    expect(datevFile.text.startsWith('"EXTF"')).toBe(true);
  });

  it('writes an hledger journal that hledger checks, with the period\'s vouchers as entries', async () => {
    const card = await issueCard(server.database.db, encryptionKey, tenant.company.id, { userId: ana.id, kind: 'virtual' }, { actorType: 'system', actorId: null }, new Date());
    const network = new NetworkClient({ baseUrl: server.url, secret: processorSecret });
    const auth = networkId('auth');
    const approved = await network.authorize({ id: auth, cardId: card.id, amount: '30.00', currency: 'EUR', merchant: { name: 'Hotel', mcc: '7011', country: 'DE' }, channel: 'in_person' });
    expect(approved.body.approved).toBe(true);
    await network.event({ id: networkId('clr'), type: 'clearing', cardId: card.id, transactionId: auth, amount: '30.00' });
    await syncCardExpenses(server.database.db, new Date());
    const expense = (await ana.client.get('/api/v1/expenses?kind=card')).body.items.find((item: { cardTransactionId: string }) => item.cardTransactionId === approved.body.transactionId);
    expect((await ana.client.post(`/api/v1/card-transactions/${approved.body.transactionId as string}/lost-receipt`, { note: 'Lost on the train' })).status).toBe(201);
    expect((await ana.client.patch(`/api/v1/expenses/${expense.id}`, { categoryId: travel, taxCodeId: vat25 })).status).toBe(200);
    expect((await ana.client.post(`/api/v1/expenses/${expense.id}/submit`)).body.state).toBe('approved');

    const journal = await exported(bookkeeper, { format: 'hledger', from: today(), to: today() });
    expect(journal.state, journal.error).toBe('exported');
    expect(journal.expenseCount).toBe(1);
    const file = path.join(scratch, 'books.journal');
    writeFileSync(file, (await bookkeeper.get(journal.fileUrl)).text);
    testToolOutput('hledger', ['-f', file, 'check']);
    const csv = testToolOutput('hledger', ['-f', file, 'balance', '--flat', '--no-total', '-O', 'csv']);
    const reported = new Map(
      csv.trim().split('\n').slice(1).map((line) => {
        const [account, amount] = line.split('","').map((cell) => cell.replaceAll('"', ''));
        return [account!, amount!.replace(/[^0-9.-]/g, '')];
      }),
    );
    // 30.00 with 25 % VAT: 24.00 to travel, 6.00 input VAT, paid from the card wallet.
    expect(Object.fromEntries(reported)).toEqual({ 'assets:1930 Outlay card wallet': '-30.00', 'assets:2640 Input VAT': '6.00', 'expenses:6110 Reisekosten': '24.00' });
  });

  // PGlite has one connection and no lock timeout: the lock waits are the server's.
  it.skipIf(!process.env.DATABASE_URL)('leaves an export whose writing the database gave up on to the next attempt, which writes it', async () => {
    const expenseId = await approvedExpense(ana, 'Lockwood Taxi', '18.00');
    const companyId = tenant.company.id;
    const batch = await createExportBatch({ db: server.database.db, jobs: null }, companyId, { actorType: 'system', actorId: 'test' }, { format: 'csv', from: today(), to: today() }, new Date());
    const impatient = await openDatabase({ kind: 'postgres', url: (server.database as TestDatabase).url!, poolSize: 2 }, { statementTimeoutMs: 5_000, lockTimeoutMs: 200, idleInTransactionTimeoutMs: 60_000 });
    const write = exportJob({ db: impatient.db, blobs: new DatabaseBlobStore(impatient.db), clock: systemClock });
    const stateOf = async () => ({
      batch: (await server.database.db.selectFrom('export_batches').select('state').where('company_id', '=', companyId).where('id', '=', batch.id).executeTakeFirstOrThrow()).state,
      expense: (await server.database.db.selectFrom('expenses').select('export_state').where('company_id', '=', companyId).where('id', '=', expenseId).executeTakeFirstOrThrow()).export_state,
    });
    try {
      // Another transaction holds the file's key while the first attempt stores the file
      // there: the attempt gives up waiting, and nothing else stands in the way of marking
      // the batch failed, which must not happen while a retry follows. The retry stores its
      // file over what that transaction committed.
      const first = await server.database.db.transaction().execute(async (trx) => {
        await sql`insert into blobs (key, bytes, byte_size) values (${exportBlobKey(batch)}, ${Buffer.from('x')}, 1)`.execute(trx);
        return write({ companyId, batchId: batch.id }, { id: 'attempt-1', retryCount: 0, retryLimit: 2 }).then(() => null, (error: unknown) => error);
      });
      expect(isTimeoutOrLockFailure(first)).toBe(true);
      expect(await stateOf()).toEqual({ batch: 'exporting', expense: 'exporting' });

      await write({ companyId, batchId: batch.id }, { id: 'attempt-2', retryCount: 1, retryLimit: 2 });
      expect(await stateOf()).toEqual({ batch: 'exported', expense: 'exported' });
      const file = await bookkeeper.get(`/api/v1/export-batches/${batch.id}/file`);
      expect(file.status, file.text).toBe(200);
      expect(file.text).toContain(expenseId);
    } finally {
      await impatient.close();
    }
  });

  it('marks an export its job never wrote failed once it is stale, and frees its expenses for the next', async () => {
    const expenseId = await approvedExpense(ana, 'Cutoff Cabs', '12.00');
    const companyId = tenant.company.id;
    // Asked for, but its job never ran to the end (its last attempt's process was killed).
    const asked = new Date();
    const batch = await createExportBatch({ db: server.database.db, jobs: null }, companyId, { actorType: 'system', actorId: 'test' }, { format: 'csv', from: today(), to: today() }, asked);
    const stateOf = async () => ({
      batch: (await server.database.db.selectFrom('export_batches').select('state').where('company_id', '=', companyId).where('id', '=', batch.id).executeTakeFirstOrThrow()).state,
      expense: (await server.database.db.selectFrom('expenses').select('export_state').where('company_id', '=', companyId).where('id', '=', expenseId).executeTakeFirstOrThrow()).export_state,
    });
    expect(await failStaleExports(server.database.db, new Date(asked.getTime() + exportStaleMs - 60_000))).toBe(0);
    expect(await stateOf()).toEqual({ batch: 'exporting', expense: 'queued' });
    expect(await failStaleExports(server.database.db, new Date(asked.getTime() + exportStaleMs + 60_000))).toBe(1);
    expect(await stateOf()).toEqual({ batch: 'failed', expense: 'failed' });
    const shown = await bookkeeper.get(`/api/v1/export-batches/${batch.id}`);
    expect(shown.body).toMatchObject({ state: 'failed', error: 'the export was cut off before its file was written; ask for it again' });
    // The next export takes the expense.
    const next = await exported(bookkeeper, { format: 'csv', from: today(), to: today() });
    expect(next.state).toBe('exported');
    expect((await bookkeeper.get(next.fileUrl)).text).toContain(expenseId);
  });

  it('fails an export at once when its job gives up, and leaves one already written as it is', async () => {
    const expenseId = await approvedExpense(ana, 'Killed Cabs', '14.00');
    const companyId = tenant.company.id;
    const gaveUp = exportGaveUp({ db: server.database.db, clock: systemClock });
    // Its job's last try ended with its process: no sweep's wait.
    const batch = await createExportBatch({ db: server.database.db, jobs: null }, companyId, { actorType: 'system', actorId: 'test' }, { format: 'csv', from: today(), to: today() }, new Date());
    await gaveUp({ companyId, batchId: batch.id });
    const shown = await bookkeeper.get(`/api/v1/export-batches/${batch.id}`);
    expect(shown.body).toMatchObject({ state: 'failed', error: 'the export was cut off each time it was tried; ask for it again' });
    const expense = await server.database.db.selectFrom('expenses').select('export_state').where('company_id', '=', companyId).where('id', '=', expenseId).executeTakeFirstOrThrow();
    expect(expense.export_state).toBe('failed');
    // A batch written meanwhile stays written, its file still there.
    const next = await exported(bookkeeper, { format: 'csv', from: today(), to: today() });
    await gaveUp({ companyId, batchId: next.id });
    expect((await bookkeeper.get(`/api/v1/export-batches/${next.id}`)).body).toMatchObject({ state: 'exported' });
    expect((await bookkeeper.get(next.fileUrl)).text).toContain(expenseId);
  });

  it('leaves the ledger balanced', async () => {
    expect((await verifyLedger(server.database.db, tenant.company.id)).violations).toEqual([]);
  });
});
