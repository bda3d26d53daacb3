// The watched folder: a statement dropped in is imported as the top-up account's and moved
// to done/; a broken file goes to failed/ with its reason beside it; a file being written
// (its name starts with ".") is left alone; one left in processing/ by a process that died
// goes back to the inbox once it is stale.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompany } from '../companies/companies.service.js';
import { LocalBlobStore } from '../storage/blob-store.js';
import { camt053 } from '../test-support/camt053.js';
import { openTestDatabase, type TestDatabase } from '../test-support/database.js';
import { getWallet } from '../wallet/wallet.service.js';
import { paymentReferenceOf } from './payment-references.service.js';
import { importInbox, inboxStaleMs } from './statement-inbox.js';

const account = { iban: 'DK3852950001234567', bic: null, name: 'Outlay client funds', currency: 'EUR' };
const logger = { info: () => undefined, error: () => undefined };
let database: TestDatabase;

beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

describe('the statement inbox', () => {
  it('imports what is dropped in, files it, and sets failures aside with their reason', async () => {
    const company = await createCompany(database.db, { name: 'Inbox Co', currency: 'EUR' });
    const reference = await paymentReferenceOf(database.db, company.id);
    const folder = mkdtempSync(path.join(tmpdir(), 'outlay-inbox-'));
    const deps = { db: database.db, blobs: new LocalBlobStore(mkdtempSync(path.join(tmpdir(), 'outlay-inbox-blobs-'))), topUpAccount: account };
    writeFileSync(path.join(folder, 'day1.xml'), camt053([{ id: 'IN-1', iban: account.iban, currency: 'EUR', opening: '0.00', date: '2026-11-29', entries: [{ amount: '75.00', bookingDate: '2026-11-29', remittance: reference, bankReference: 'IN-REF-1' }] }]));
    writeFileSync(path.join(folder, 'broken.sta'), ':20:NOT A STATEMENT\r\n:61:garbage\r\n');
    writeFileSync(path.join(folder, '.partial.xml'), '<Docu');

    const outcomes = await importInbox(deps, folder, logger, new Date());
    expect(outcomes.map((o) => [o.file, o.error === undefined])).toEqual([['broken.sta', false], ['day1.xml', true]]);
    expect((await getWallet(database.db, company.id)).balance).toBe(7500n);
    expect(readdirSync(path.join(folder, 'done'))).toEqual(['day1.xml']);
    expect(readdirSync(path.join(folder, 'failed')).sort()).toEqual(['broken.sta', 'broken.sta.error.txt']);
    expect(readFileSync(path.join(folder, 'failed', 'broken.sta.error.txt'), 'utf8').length).toBeGreaterThan(5);
    expect(existsSync(path.join(folder, '.partial.xml'))).toBe(true);

    // The same file dropped again changes nothing.
    writeFileSync(path.join(folder, 'day1-again.xml'), readFileSync(path.join(folder, 'done', 'day1.xml')));
    const again = await importInbox(deps, folder, logger, new Date());
    expect(again[0]?.summary?.duplicateFile).toBe(true);
    expect((await getWallet(database.db, company.id)).balance).toBe(7500n);
  });

  it('takes back a file left in processing/ only once it is stale by the clock it is given', async () => {
    const company = await createCompany(database.db, { name: 'Stale Co', currency: 'EUR' });
    const reference = await paymentReferenceOf(database.db, company.id);
    const folder = mkdtempSync(path.join(tmpdir(), 'outlay-inbox-'));
    const deps = { db: database.db, blobs: new LocalBlobStore(mkdtempSync(path.join(tmpdir(), 'outlay-inbox-blobs-'))), topUpAccount: account };
    mkdirSync(path.join(folder, 'processing'));
    writeFileSync(path.join(folder, 'processing', 'left.xml'), camt053([{ id: 'IN-2', iban: account.iban, currency: 'EUR', opening: '0.00', date: '2026-11-29', entries: [{ amount: '20.00', bookingDate: '2026-11-29', remittance: reference, bankReference: 'IN-REF-2' }] }]));

    expect(await importInbox(deps, folder, logger, new Date())).toEqual([]);
    expect(readdirSync(path.join(folder, 'processing'))).toEqual(['left.xml']);

    const later = new Date(Date.now() + inboxStaleMs + 60_000);
    expect((await importInbox(deps, folder, logger, later)).map((o) => [o.file, o.error])).toEqual([['left.xml', undefined]]);
    expect(readdirSync(path.join(folder, 'done'))).toEqual(['left.xml']);
    expect((await getWallet(database.db, company.id)).balance).toBe(2000n);
  });
});
