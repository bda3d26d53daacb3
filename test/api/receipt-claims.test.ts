// Receipts checked against what they are attached to, over the API: a receipt whose reading
// disagrees with a card purchase is not attached by Outlay (only suggested, marked with
// why), is attached by hand only with a note, and shows its disagreement on the receipt, the
// purchase and the expense, which goes to review; the same for an out-of-pocket expense; a
// receipt sent for its purchase is checked once read; out-of-pocket expenses in another
// currency are converted at the ECB rate of their day; a voided expense misses nothing.
// Receipts here are texts (a shop's e-mail), read in a moment without OCR.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCard } from '../../src/cards/card-issuing.service.js';
import { syncCardExpenses } from '../../src/expenses/expense-sync.js';
import { loadRates } from '../../src/fx/fx.service.js';
import { addReceiptForPerson } from '../../src/receipts/receipt-intake.service.js';
import type { RunningServer } from '../../src/server/server.js';
import { NetworkClient, networkId } from '../../src/simulator/network-client.js';
import { addPerson, createTenant, type SessionClient, type Tenant } from '../../src/test-support/api-client.js';
import { waitUntilRead } from '../../src/test-support/receipts.js';
import { startTestServer, testConfig } from '../../src/test-support/server.js';
import { fundWallet } from '../../src/test-support/wallet-funding.js';

const processorSecret = randomBytes(32);
const encryptionKey = randomBytes(32);
const system = { actorType: 'system' as const, actorId: null };
const dayMs = 86_400_000;
const dateOf = (date: Date) => date.toISOString().slice(0, 10);

let server: RunningServer;
let network: NetworkClient;
let tenant: Tenant;
let emma: { id: string; client: SessionClient };
let cardId: string;
let mealsId: string;

async function buy(amount: string, merchant: string): Promise<{ transactionId: string; authId: string }> {
  const authId = networkId('auth');
  const response = await network.authorize({ id: authId, cardId, amount, currency: 'EUR', merchant: { name: merchant, mcc: '5814', country: 'DK' }, channel: 'in_person', occurredAt: new Date().toISOString() });
  expect(response.body.approved, JSON.stringify(response.body)).toBe(true);
  return { transactionId: response.body.transactionId as string, authId };
}

/** A receipt as a shop e-mails it, read at once; optionally sent for a purchase. */
async function textReceipt(text: string, transactionId: string | null = null) {
  const deps = { db: server.database.db, blobs: server.blobs, jobs: server.jobs, fileBytesMax: testConfig().receipts.fileBytesMax };
  const row = await addReceiptForPerson(deps, { companyId: tenant.company.id, userId: emma.id, transactionId, fileName: null, content: { kind: 'text', text } }, new Date());
  const read = await waitUntilRead(emma.client, row.id);
  expect(read.body.reading.state, read.text).toBe('read');
  return read.body;
}

async function expenseOfTransaction(transactionId: string) {
  await syncCardExpenses(server.database.db, new Date());
  const expenses = (await emma.client.get('/api/v1/expenses?kind=card')).body.items as { id: string; cardTransactionId: string }[];
  const expense = expenses.find((item) => item.cardTransactionId === transactionId);
  expect(expense).toBeDefined();
  return (await emma.client.get(`/api/v1/expenses/${expense!.id}`)).body;
}

const reasons = (mismatches: { field: string; reason: string }[]) => mismatches.map((mismatch) => mismatch.reason);

beforeAll(async () => {
  server = await startTestServer({ config: { processorSecret, encryptionKey } });
  network = new NetworkClient({ baseUrl: server.url, secret: processorSecret });
  tenant = await createTenant(server, { name: 'Claims Co', adminEmail: 'admin@claims.test' });
  await fundWallet(server, tenant.company.id, { amount: '5000.00', currency: 'EUR', bankReference: 'C-1', receivedOn: dateOf(new Date()) });
  const books = (await addPerson(tenant.client, { email: 'books@claims.test', name: 'Bo Books', roles: ['bookkeeper'] })).client;
  const meals = await books.post('/api/v1/expense-categories', { accountCode: '6540', name: 'Meals' });
  expect(meals.status, meals.text).toBe(201);
  mealsId = meals.body.id;
  emma = await addPerson(tenant.client, { email: 'emma@claims.test', name: 'Emma Claims', roles: ['employee'] });
  cardId = (await issueCard(server.database.db, encryptionKey, tenant.company.id, { userId: emma.id, kind: 'virtual' }, system, new Date())).id;
});
afterAll(async () => {
  await server?.close();
});

describe('a card purchase and a receipt that disagrees with it', () => {
  it('is not attached by Outlay; by hand only with a note, and then the purchase\'s expense goes to review with the reasons', async () => {
    const { transactionId } = await buy('23.50', 'CAFE NORD');
    const receipt = await textReceipt('TOKYO KITCHEN SDN BHD\nJalan Ampang, Kuala Lumpur\nDate: 04/03/2018 13:05\nChicken rice      RM 27.56\nTOTAL             RM 27.56\n');
    expect(receipt.fields).toMatchObject({ total: '27.56', currency: 'MYR', date: '2018-03-04' });
    expect(receipt.match).toMatchObject({ state: 'unmatched', transactionId: null, mismatches: [] });

    const refused = await emma.client.post(`/api/v1/receipts/${receipt.id}/match`, { transactionId });
    expect({ status: refused.status, code: refused.body.code, field: refused.body.field }).toEqual({ status: 422, code: 'receipt_mismatch', field: 'note' });
    expect(refused.body.detail).toContain('the receipt says MYR 27.56, the purchase was EUR 23.50');
    expect(refused.body.detail).toContain('the receipt is dated 2018-03-04');
    expect((await emma.client.get(`/api/v1/receipts/${receipt.id}`)).body.match.state).toBe('unmatched');

    const attached = await emma.client.post(`/api/v1/receipts/${receipt.id}/match`, { transactionId, note: 'The café printed an old receipt by mistake' });
    expect(attached.status, attached.text).toBe(200);
    expect(attached.body.match).toMatchObject({ state: 'matched', transactionId, by: 'user', note: 'The café printed an old receipt by mistake' });
    expect(attached.body.match.mismatches.map((mismatch: { field: string }) => mismatch.field)).toEqual(['amount', 'date', 'merchant']);

    const purchase = (await emma.client.get(`/api/v1/card-transactions/${transactionId}`)).body;
    expect(purchase.receipt).toMatchObject({ state: 'attached', receiptId: receipt.id, mismatchNote: 'The café printed an old receipt by mistake' });
    expect(reasons(purchase.receipt.mismatches)[0]).toBe('the receipt says MYR 27.56, the purchase was EUR 23.50');

    const expense = await expenseOfTransaction(transactionId);
    expect(expense.flags).toEqual(['receipt_mismatch']);
    expect(expense.receipt).toMatchObject({ state: 'attached', receiptId: receipt.id, note: 'The café printed an old receipt by mistake' });
    expect(reasons(expense.receipt.mismatches)).toEqual(reasons(purchase.receipt.mismatches));
    expect((await emma.client.patch(`/api/v1/expenses/${expense.id}`, { categoryId: mealsId })).status).toBe(200);
    const submitted = await emma.client.post(`/api/v1/expenses/${expense.id}/submit`);
    expect(submitted.body).toMatchObject({ state: 'in_review', flags: ['receipt_mismatch'] });
  });

  it('only suggests a receipt of the right amount and day from another merchant, marked with why', async () => {
    const { transactionId } = await buy('18.20', 'BAKERY HANSEN');
    const receipt = await textReceipt(`Popular Book Co\n${dateOf(new Date())}\nNotebook   18.20\nTotal      EUR 18.20\n`);
    expect(receipt.match.state).toBe('suggested');
    expect(receipt.match.suggestions).toEqual([expect.objectContaining({ transactionId, mismatches: [{ field: 'merchant', reason: 'the receipt is from Popular Book Co, the purchase was made at BAKERY HANSEN' }] })]);
    expect((await emma.client.get(`/api/v1/card-transactions/${transactionId}`)).body.receipt).toMatchObject({ state: 'missing', receiptId: null });
  });

  it('checks a receipt sent for its purchase once it is read, and takes the note afterwards', async () => {
    const { transactionId } = await buy('120.00', 'OFFICE DEPOT');
    const receipt = await textReceipt(`Office Depot\n${dateOf(new Date())}\nPrinter paper 60.00\nToner 52.00\nTotal EUR 112.00\n`, transactionId);
    expect(receipt.match).toMatchObject({ state: 'matched', transactionId, note: null, mismatches: [{ field: 'amount', reason: 'the receipt says EUR 112.00, the purchase was EUR 120.00' }] });
    expect((await expenseOfTransaction(transactionId)).flags).toEqual(['receipt_mismatch']);

    const noted = await emma.client.post(`/api/v1/receipts/${receipt.id}/match`, { transactionId, note: 'Toner was charged twice; asked for a refund' });
    expect(noted.body.match).toMatchObject({ state: 'matched', note: 'Toner was charged twice; asked for a refund' });
    expect((await emma.client.get(`/api/v1/card-transactions/${transactionId}`)).body.receipt.mismatchNote).toBe('Toner was charged twice; asked for a refund');
  });

  it('agrees again once the purchase clears at the receipt\'s total', async () => {
    const { transactionId, authId } = await buy('120.00', 'PAPER SHOP');
    const receipt = await textReceipt(`Paper Shop\n${dateOf(new Date())}\nPaper 112.00\nTotal EUR 112.00\n`, transactionId);
    expect(receipt.match.mismatches).toHaveLength(1);
    expect((await expenseOfTransaction(transactionId)).flags).toEqual(['receipt_mismatch']);

    await network.event({ id: networkId('clr'), type: 'clearing', cardId, transactionId: authId, amount: '112.00', currency: 'EUR' });
    const cleared = await expenseOfTransaction(transactionId);
    expect(cleared).toMatchObject({ amount: { amount: '112.00' }, flags: [], receipt: { state: 'attached', mismatches: [] } });
    expect((await emma.client.get(`/api/v1/receipts/${receipt.id}`)).body.match.mismatches).toEqual([]);
    expect((await emma.client.get(`/api/v1/card-transactions/${transactionId}`)).body.receipt.mismatches).toEqual([]);
  });
});

describe('an out-of-pocket expense and a receipt that disagrees with it', () => {
  it('is filed only with a note, is flagged and goes to review instead of being approved at once', async () => {
    const receipt = await textReceipt(`Taxa 4x35\nDate: ${dateOf(new Date())}\nRide to airport 1.00\nTotal EUR 1.00\n`);
    const claim = { kind: 'out_of_pocket', spentOn: dateOf(new Date()), merchant: 'Taxa 4x35', amount: '15.00', receiptId: receipt.id, categoryId: mealsId };
    const before = (await emma.client.get('/api/v1/expenses?kind=out_of_pocket')).body.items.length;
    const refused = await emma.client.post('/api/v1/expenses', claim);
    expect({ status: refused.status, code: refused.body.code, field: refused.body.field }).toEqual({ status: 422, code: 'receipt_mismatch', field: 'receiptNote' });
    expect(refused.body.detail).toContain('the receipt says EUR 1.00, the expense was EUR 15.00');
    expect((await emma.client.get('/api/v1/expenses?kind=out_of_pocket')).body.items.length).toBe(before);
    expect((await emma.client.get(`/api/v1/receipts/${receipt.id}`)).body.match.state).toBe('unmatched');

    const filed = await emma.client.post('/api/v1/expenses', { ...claim, receiptNote: 'The driver wrote the receipt wrong' });
    expect(filed.status, filed.text).toBe(201);
    expect(filed.body).toMatchObject({ flags: ['receipt_mismatch'], receipt: { state: 'attached', receiptId: receipt.id, note: 'The driver wrote the receipt wrong' } });
    expect(reasons(filed.body.receipt.mismatches)).toEqual(['the receipt says EUR 1.00, the expense was EUR 15.00']);
    expect((await emma.client.get(`/api/v1/receipts/${receipt.id}`)).body.match).toMatchObject({ state: 'matched', expenseId: filed.body.id, mismatches: [{ field: 'amount' }] });

    const submitted = await emma.client.post(`/api/v1/expenses/${filed.body.id}/submit`);
    expect(submitted.body).toMatchObject({ state: 'in_review', flags: ['receipt_mismatch'], reimbursement: { state: 'none' } });
    const history = (await emma.client.get(`/api/v1/expenses/${filed.body.id}/history`)).body.items;
    expect(history.find((event: { action: string }) => event.action === 'submitted').details.flags).toEqual(['receipt_mismatch']);
  });
});

describe('an out-of-pocket expense in another currency', () => {
  it('is converted at the ECB rate of its day, paid back and booked in the company\'s currency', async () => {
    const yesterday = dateOf(new Date(Date.now() - dayMs));
    await loadRates(server.database.db, [{ date: yesterday, rates: [{ currency: 'USD', rate: '1.0546' }] }], 'test');
    const filed = await emma.client.post('/api/v1/expenses', { kind: 'out_of_pocket', spentOn: yesterday, merchant: 'Diner 66', amount: '20.00', currency: 'USD', categoryId: mealsId });
    expect(filed.status, filed.text).toBe(201);
    // EUR -> USD 1.0546, so USD -> EUR 1 / 1.0546 = 0.9482268159 (10 decimals); 20.00 USD is 18.9645... EUR.
    expect(filed.body).toMatchObject({ amount: { amount: '18.96', currency: 'EUR' }, original: { amount: { amount: '20.00', currency: 'USD' }, rate: '0.9482268159', rateDate: yesterday } });
    expect(filed.body.lines).toEqual([expect.objectContaining({ amount: { amount: '18.96', currency: 'EUR' } })]);

    const changed = await emma.client.patch(`/api/v1/expenses/${filed.body.id}`, { amount: '30.00' });
    expect(changed.body).toMatchObject({ amount: { amount: '28.45', currency: 'EUR' }, original: { amount: { amount: '30.00', currency: 'USD' } } });
    const sameCurrency = await emma.client.patch(`/api/v1/expenses/${filed.body.id}`, { currency: 'EUR', amount: '28.00' });
    expect(sameCurrency.body).toMatchObject({ amount: { amount: '28.00', currency: 'EUR' }, original: null });
    const again = await emma.client.patch(`/api/v1/expenses/${filed.body.id}`, { currency: 'USD', amount: '30.00' });
    expect(again.body.amount.amount).toBe('28.45');

    // Without its receipt it waits for a reviewer; approved, what is owed is in euros.
    const reviewer = await addPerson(tenant.client, { email: 'rita@claims.test', name: 'Rita Review', roles: ['reviewer'] });
    expect((await emma.client.post(`/api/v1/expenses/${filed.body.id}/submit`)).body.state).toBe('in_review');
    const approved = await reviewer.client.post(`/api/v1/expenses/${filed.body.id}/approve`, {});
    expect(approved.body).toMatchObject({ state: 'approved', booked: true, reimbursement: { state: 'owed' }, amount: { amount: '28.45', currency: 'EUR' } });
  });

  it('is refused with a clear error when the day has no rate', async () => {
    const refused = await emma.client.post('/api/v1/expenses', { kind: 'out_of_pocket', spentOn: dateOf(new Date()), merchant: 'Pub', amount: '12.00', currency: 'GBP' });
    expect({ status: refused.status, code: refused.body.code, field: refused.body.field }).toEqual({ status: 422, code: 'fx_rate_missing', field: 'currency' });
    expect(refused.body.detail).toMatch(/^there is no GBP to EUR exchange rate for \d{4}-\d{2}-\d{2}/);
    const unknown = await emma.client.post('/api/v1/expenses', { kind: 'out_of_pocket', spentOn: dateOf(new Date()), merchant: 'Pub', amount: '12.00', currency: 'XYZ' });
    expect({ status: unknown.status, code: unknown.body.code, field: unknown.body.field }).toEqual({ status: 400, code: 'unknown_currency', field: 'currency' });
  });
});

describe('a voided expense', () => {
  it('no longer misses its receipt', async () => {
    const { transactionId, authId } = await buy('15.00', 'CINEMA');
    expect((await expenseOfTransaction(transactionId)).flags).toEqual(['missing_receipt']);
    await network.event({ id: networkId('rev'), type: 'reversal', cardId, transactionId: authId });
    const voided = await expenseOfTransaction(transactionId);
    expect(voided).toMatchObject({ state: 'voided', flags: [], receipt: { state: 'not_required' } });
  });
});

describe('the receipt rules', () => {
  it('let an admin set the amount tolerance within its bounds', async () => {
    expect((await emma.client.get('/api/v1/receipt-settings')).body.amountTolerance).toEqual({ percent: '5', fixed: { amount: '1.00', currency: 'EUR' } });
    const changed = await tenant.client.patch('/api/v1/receipt-settings', { amountTolerance: { percent: '7.5', fixed: '2.00' } });
    expect(changed.body.amountTolerance).toEqual({ percent: '7.5', fixed: { amount: '2.00', currency: 'EUR' } });
    const tooMuch = await tenant.client.patch('/api/v1/receipt-settings', { amountTolerance: { percent: '30' } });
    expect({ status: tooMuch.status, field: tooMuch.body.field }).toEqual({ status: 400, field: 'amountTolerance.percent' });
    const tooLarge = await tenant.client.patch('/api/v1/receipt-settings', { amountTolerance: { fixed: '1000.01' } });
    expect({ status: tooLarge.status, field: tooLarge.body.field }).toEqual({ status: 400, field: 'amountTolerance.fixed' });
    expect((await emma.client.patch('/api/v1/receipt-settings', { amountTolerance: { percent: '25' } })).status).toBe(403);
    await tenant.client.patch('/api/v1/receipt-settings', { amountTolerance: { percent: '5', fixed: '1.00' } });
  });
});
