// An export's period means one thing in every format: the days of the period in the
// company's time zone, holding the approved expenses of those days (a card purchase's local
// day) and the refunds of those days of expenses exported before. One company per format
// lives the same November in Copenhagen (UTC+1): purchases just before and after midnight at
// both ends of the month, an out-of-pocket expense, a purchase refunded in part before its
// export, and a purchase of October (exported with October) refunded in November. Each
// company exports October, then November, in its format; the four November files, parsed,
// hold the same vouchers with the same amounts.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCard } from '../../src/cards/card-issuing.service.js';
import { createCompany } from '../../src/companies/companies.service.js';
import { syncCardExpenses } from '../../src/expenses/expense-sync.js';
import { verifyLedger } from '../../src/ledger/verify.js';
import { addActivePerson } from '../../src/people/people.service.js';
import type { RunningServer } from '../../src/server/server.js';
import { NetworkClient, networkId } from '../../src/simulator/network-client.js';
import { addPerson, signIn, testPassword, type ApiClient, type SessionClient } from '../../src/test-support/api-client.js';
import { finishedExport } from '../../src/test-support/eventually.js';
import { uploadReceipt } from '../../src/test-support/receipts.js';
import { startTestServer, testConfig } from '../../src/test-support/server.js';
import { testToolOutput } from '../../src/test-support/test-tools.js';
import { fundWallet } from '../../src/test-support/wallet-funding.js';

const processorSecret = randomBytes(32);
const encryptionKey = randomBytes(32);
const formats = ['csv', 'sie', 'datev', 'hledger'] as const;
type Format = (typeof formats)[number];

/** One voucher as a file shows it: its day, its text and its total (signed, e.g. "-15.00"). */
type Voucher = string;
const voucher = (date: string, text: string, total: string): Voucher => `${date} ${text} ${total}`;

let server: RunningServer;
let network: NetworkClient;

async function exported(client: ApiClient, body: Record<string, string>) {
  const created = await client.post('/api/v1/export-batches', body);
  expect(created.status, created.text).toBe(201);
  return finishedExport(client, created.body.id);
}

const minor = (amount: string) => BigInt(amount.replace('.', ''));
const decimal = (value: bigint) => `${value < 0n ? '-' : ''}${(value < 0n ? -value : value) / 100n}.${String((value < 0n ? -value : value) % 100n).padStart(2, '0')}`;

/** CSV: one row per line; a voucher's total is the sum of its lines' gross. */
function csvVouchers(text: string): Voucher[] {
  const [header, ...rows] = text.replace(/^\uFEFF/, '').trim().split('\r\n').map((row) => row.split(','));
  const column = (name: string) => header!.indexOf(name);
  const byNumber = new Map<string, { date: string; text: string; total: bigint }>();
  for (const row of rows) {
    const entry = byNumber.get(row[column('voucher_number')]!) ?? { date: row[column('date')]!, text: row[column('text')]!, total: 0n };
    entry.total += minor(row[column('gross')]!);
    byNumber.set(row[column('voucher_number')]!, entry);
  }
  return [...byNumber.values()].map((entry) => voucher(entry.date, entry.text, decimal(entry.total)));
}

const counterAccounts = new Set(['1930', '2890']);
const isoOf = (compact: string) => `${compact.slice(0, 4)}-${compact.slice(4, 6)}-${compact.slice(6, 8)}`;

/** SIE 4: #VER "series" number date "text" { #TRANS account {} amount date "text" ... }; the total is what the counter account is credited. */
function sieVouchers(text: string): Voucher[] {
  const found: Voucher[] = [];
  const blocks = text.split('\r\n#VER ').slice(1);
  for (const block of blocks) {
    const head = /^"[^"]*" \d+ (\d{8}) "([^"]*)"/.exec(block)!;
    const counter = [...block.matchAll(/#TRANS (\d+) \{\} (-?[\d.]+) /g)].filter((match) => counterAccounts.has(match[1]!));
    expect(counter).toHaveLength(1);
    found.push(voucher(isoOf(head[1]!), head[2]!, decimal(-minor(counter[0]![2]!))));
  }
  return found;
}

/** DATEV: rows with Umsatz ("11,00"), S/H, Belegdatum (TTMM, the year of the header's period), Belegfeld 1 and Buchungstext. */
function datevVouchers(text: string): Voucher[] {
  const [, headings, ...rows] = text.trim().split('\r\n').map((row) => row.split(';').map((cell) => cell.replace(/^"|"$/g, '')));
  const column = (name: string) => headings!.indexOf(name);
  const byVoucher = new Map<string, bigint>();
  for (const row of rows) {
    const day = row[column('Belegdatum')]!;
    const key = `2026-${day.slice(2, 4)}-${day.slice(0, 2)}|${row[column('Buchungstext')]!}`;
    const amount = minor(row[column('Umsatz (ohne Soll/Haben-Kz)')]!.replace(',', '.'));
    byVoucher.set(key, (byVoucher.get(key) ?? 0n) + (row[column('Soll/Haben-Kennzeichen')] === 'H' ? -amount : amount));
  }
  return [...byVoucher].map(([key, total]) => {
    const [date, label] = key.split('|');
    return voucher(date!, label!, decimal(total));
  });
}

/** hledger: "date (code) description  ; entry: code", then postings; the total is what the counter account (wallet or payable) is credited. */
function hledgerVouchers(text: string): Voucher[] {
  const found: Voucher[] = [];
  for (const block of text.split('\n\n')) {
    const head = /^(\d{4}-\d{2}-\d{2}) \([^)]+\) (.*?) {2}; entry:/m.exec(block);
    if (!head) continue;
    const counter = [...block.matchAll(/^ {4}(?:assets:1930|liabilities:2890)[^\n]*? {2}(-?[\d.]+) EUR$/gm)];
    expect(counter).toHaveLength(1);
    found.push(voucher(head[1]!, head[2]!, decimal(-minor(counter[0]![1]!))));
  }
  return found;
}

const parsers: Record<Format, (text: string) => Voucher[]> = { csv: csvVouchers, sie: sieVouchers, datev: datevVouchers, hledger: hledgerVouchers };

interface Books {
  admin: SessionClient;
  emma: { id: string; client: SessionClient };
  cardId: string;
  travel: string;
  vat25: string;
}

let sequence = 0;
async function company(): Promise<Books & { companyId: string }> {
  const db = server.database.db;
  sequence += 1;
  const created = await createCompany(db, { name: `Periods ${sequence}`, currency: 'EUR', timeZone: 'Europe/Copenhagen' });
  const email = `admin${sequence}@periods.test`;
  await addActivePerson(db, created.id, { email, name: 'Admin', roles: ['admin'], password: testPassword });
  const admin = await signIn(server.app, email, testPassword);
  await fundWallet(server, created.id, { amount: '1000.00', currency: 'EUR', bankReference: `P-${sequence}`, receivedOn: '2026-10-01' });
  const emma = await addPerson(admin, { email: `emma${sequence}@periods.test`, name: 'Emma Edge', roles: ['employee'] });
  const travel = (await admin.post('/api/v1/expense-categories', { accountCode: '6110', name: 'Travel' })).body.id as string;
  const vat25 = (await admin.post('/api/v1/tax-codes', { code: 'VAT25', name: 'VAT 25 %', rate: '25', vatAccountCode: '2640', datevTaxKey: 9 })).body.id as string;
  expect((await admin.patch('/api/v1/expense-settings', { datevConsultantNumber: 1001, datevClientNumber: 1 })).status).toBe(200);
  const card = await issueCard(db, encryptionKey, created.id, { userId: emma.id, kind: 'virtual' }, { actorType: 'system', actorId: null }, new Date());
  return { companyId: created.id, admin, emma, cardId: card.id, travel, vat25 };
}

/** A card purchase at an instant, cleared at once and approved; its network id and expense id. */
async function purchase(books: Books, name: string, amount: string, at: string) {
  const auth = networkId('auth');
  const approved = await network.authorize({ id: auth, cardId: books.cardId, amount, currency: 'EUR', merchant: { name, mcc: '5812', country: 'DK' }, channel: 'in_person', occurredAt: at });
  expect(approved.body.approved, JSON.stringify(approved.body)).toBe(true);
  await network.event({ id: networkId('clr'), type: 'clearing', cardId: books.cardId, transactionId: auth, amount, currency: 'EUR', occurredAt: at });
  await syncCardExpenses(server.database.db, new Date());
  const items = (await books.emma.client.get('/api/v1/expenses?kind=card&limit=100')).body.items as { id: string; cardTransactionId: string }[];
  const expense = items.find((item) => item.cardTransactionId === approved.body.transactionId)!;
  expect((await books.emma.client.post(`/api/v1/card-transactions/${expense.cardTransactionId}/lost-receipt`, { note: 'Not kept' })).status).toBe(201);
  expect((await books.emma.client.patch(`/api/v1/expenses/${expense.id}`, { categoryId: books.travel, taxCodeId: books.vat25 })).status).toBe(200);
  const submitted = await books.emma.client.post(`/api/v1/expenses/${expense.id}/submit`);
  expect(submitted.body.state, submitted.text).toBe('approved');
  return { networkId: auth, expenseId: expense.id };
}

async function refund(books: Books, original: string, amount: string, at: string): Promise<void> {
  const sent = await network.event({ id: networkId('ref'), type: 'refund', cardId: books.cardId, transactionId: original, amount, currency: 'EUR', occurredAt: at });
  expect(sent.body.approved).toBe(true);
  await syncCardExpenses(server.database.db, new Date());
}

async function fileOf(books: Books, format: Format, from: string, to: string): Promise<{ vouchers: Voucher[]; expenseCount: number }> {
  const batch = await exported(books.admin, { format, from, to });
  expect(batch.state, batch.error).toBe('exported');
  const file = await books.admin.get(batch.fileUrl);
  if (format === 'hledger') {
    // hledger itself reads the journal, refunds and all.
    const journal = path.join(mkdtempSync(path.join(tmpdir(), 'outlay-periods-')), `${from}.journal`);
    writeFileSync(journal, file.text);
    testToolOutput('hledger', ['-f', journal, 'check']);
  }
  return { vouchers: parsers[format](file.text).sort(), expenseCount: batch.expenseCount };
}

const october = [
  voucher('2026-10-20', 'October Hotel (Emma Edge)', '40.00'),
  voucher('2026-10-31', 'Oct Last Pub (Emma Edge)', '12.00'),
].sort();
const november = [
  voucher('2026-11-01', 'Nov First Cafe (Emma Edge)', '11.00'),
  voucher('2026-11-05', 'Refund: October Hotel (Emma Edge)', '-15.00'),
  voucher('2026-11-10', 'Refunded Shop (Emma Edge)', '50.00'),
  voucher('2026-11-15', 'Train ticket (Emma Edge)', '15.00'),
  voucher('2026-11-30', 'Nov Last Bar (Emma Edge)', '13.00'),
].sort();

beforeAll(async () => {
  server = await startTestServer({ config: { processorSecret, encryptionKey, receipts: { ...testConfig().receipts, readers: 0 } } });
  network = new NetworkClient({ baseUrl: server.url, secret: processorSecret });
});
afterAll(async () => {
  await server?.close();
});

describe('an export period in every format', () => {
  const files = new Map<Format, Voucher[]>();

  it.each(formats)('exports October, then November with its refunds, as %s', async (format) => {
    const books = await company();
    const hotel = await purchase(books, 'October Hotel', '40.00', '2026-10-20T18:00:00Z');
    // 23:30 on 31 October in Copenhagen, and 00:30 on 1 November (still 31 October in UTC).
    await purchase(books, 'Oct Last Pub', '12.00', '2026-10-31T22:30:00Z');
    await purchase(books, 'Nov First Cafe', '11.00', '2026-10-31T23:30:00Z');
    const shop = await purchase(books, 'Refunded Shop', '80.00', '2026-11-10T12:00:00Z');
    // 23:30 on 30 November, and 00:30 on 1 December.
    await purchase(books, 'Nov Last Bar', '13.00', '2026-11-30T22:30:00Z');
    await purchase(books, 'Dec First Deli', '14.00', '2026-11-30T23:30:00Z');
    const receipt = await uploadReceipt(books.emma.client, Buffer.from(`%PDF-1.4\n% train ${format}\n%%EOF\n`));
    const train = await books.emma.client.post('/api/v1/expenses', { kind: 'out_of_pocket', spentOn: '2026-11-15', merchant: 'Train ticket', amount: '15.00', receiptId: receipt.body.id, categoryId: books.travel, taxCodeId: books.vat25 });
    expect(train.status, train.text).toBe(201);
    expect((await books.emma.client.post(`/api/v1/expenses/${train.body.id}/submit`)).body.state).toBe('approved');

    // October goes to the books first; its hotel is refunded in part in November, after that.
    expect((await fileOf(books, format, '2026-10-01', '2026-10-31')).vouchers).toEqual(october);
    await refund(books, hotel.networkId, '15.00', '2026-11-05T09:00:00Z');
    // Refunded before its export: the expense is 50.00 and its refund is in it.
    await refund(books, shop.networkId, '30.00', '2026-11-20T09:00:00Z');
    const hotelExpense = (await books.admin.get(`/api/v1/expenses/${hotel.expenseId}`)).body;
    expect({ amount: hotelExpense.amount.amount, export: hotelExpense.export.state, refund: hotelExpense.refunds[0].export.state }).toEqual({ amount: '25.00', export: 'exported', refund: 'not_exported' });
    // The spend overview subtracts it too, on the purchase's day: the expense's amount is net.
    const overview = await books.admin.get('/api/v1/analytics/spend?by=merchant&from=2026-10-01&to=2026-10-31');
    expect(overview.body.items.find((item: { key: string }) => item.key === 'October Hotel')).toMatchObject({ amount: { amount: '25.00' }, count: 1 });

    const file = await fileOf(books, format, '2026-11-01', '2026-11-30');
    expect(file.expenseCount).toBe(4);
    files.set(format, file.vouchers);
    const after = (await books.admin.get(`/api/v1/expenses/${hotel.expenseId}`)).body;
    expect(after.refunds[0].export.state).toBe('exported');
    expect((await books.admin.get(`/api/v1/expenses/${shop.expenseId}`)).body).toMatchObject({ amount: { amount: '50.00' }, refunds: [{ amount: { amount: '30.00' }, refundedOn: '2026-11-20', export: { state: 'netted' } }] });
    expect((await verifyLedger(server.database.db, books.companyId)).violations).toEqual([]);
  });

  it('holds the same expenses and refunds, by their day in the company\'s time zone, in csv, sie, datev and hledger', () => {
    expect([...files.keys()]).toEqual([...formats]);
    for (const format of formats) expect({ format, vouchers: files.get(format) }).toEqual({ format, vouchers: november });
  });
});
