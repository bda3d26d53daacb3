// Expenses end to end over the API: the books (chart of accounts, tax codes, tags, rates),
// filing out-of-pocket, mileage and per-diem expenses, card purchases becoming expenses and
// following their purchase, splits with exact VAT, policy flags, review with comments and
// history, bookings in the ledger, and closed periods.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCard } from '../../src/cards/card-issuing.service.js';
import { syncCardExpenses } from '../../src/expenses/expense-sync.js';
import { verifyLedger } from '../../src/ledger/verify.js';
import type { RunningServer } from '../../src/server/server.js';
import { NetworkClient, networkId } from '../../src/simulator/network-client.js';
import { addPerson, createTenant, type SessionClient, type Tenant } from '../../src/test-support/api-client.js';
import { uploadReceipt } from '../../src/test-support/receipts.js';
import { startTestServer, testConfig } from '../../src/test-support/server.js';
import { fundWallet } from '../../src/test-support/wallet-funding.js';

const processorSecret = randomBytes(32);
const encryptionKey = randomBytes(32);
const system = { actorType: 'system' as const, actorId: null };
const today = () => new Date().toISOString().slice(0, 10);

let server: RunningServer;
let network: NetworkClient;
let tenant: Tenant;
let bookkeeper: SessionClient;
let reviewer: { id: string; client: SessionClient };
let otherReviewer: { id: string; client: SessionClient };
let emma: { id: string; client: SessionClient };
let teamId: string;
const books: Record<string, string> = {};

async function balanceOf(code: string): Promise<bigint> {
  const account = await server.database.db.selectFrom('ledger_accounts').selectAll().where('company_id', '=', tenant.company.id).where('code', '=', code).executeTakeFirst();
  return account ? account.debits_posted - account.credits_posted : 0n;
}

const pdf = (label: string) => Buffer.from(`%PDF-1.4\n% ${label}\n%%EOF\n`);

async function receiptFor(client: SessionClient, label: string): Promise<string> {
  const sent = await uploadReceipt(client, pdf(label));
  expect(sent.status, sent.text).toBe(201);
  return sent.body.id as string;
}

beforeAll(async () => {
  server = await startTestServer({ config: { processorSecret, encryptionKey, receipts: { ...testConfig().receipts, readers: 0 } } });
  network = new NetworkClient({ baseUrl: server.url, secret: processorSecret });
  tenant = await createTenant(server, { name: 'Ledger & Co', adminEmail: 'admin@ledger.test' });
  const admin = tenant.client;
  await fundWallet(server, tenant.company.id, { amount: '5000.00', currency: 'EUR', bankReference: 'E-1', receivedOn: today() });
  const team = await admin.post('/api/v1/teams', { name: 'Sales' });
  teamId = team.body.id;
  bookkeeper = (await addPerson(admin, { email: 'books@ledger.test', name: 'Bo Books', roles: ['bookkeeper'] })).client;
  reviewer = await addPerson(admin, { email: 'rita@ledger.test', name: 'Rita Review', roles: ['reviewer'] });
  otherReviewer = await addPerson(admin, { email: 'otto@ledger.test', name: 'Otto Other', roles: ['reviewer'] });
  emma = await addPerson(admin, { email: 'emma@ledger.test', name: 'Emma Spender', roles: ['employee'], teamId });

  const category = async (accountCode: string, name: string, allowedTeamIds?: string[]) => {
    const response = await bookkeeper.post('/api/v1/expense-categories', { accountCode, name, ...(allowedTeamIds ? { allowedTeamIds } : {}) });
    expect(response.status, response.text).toBe(201);
    return response.body.id as string;
  };
  books.travel = await category('6110', 'Travel');
  books.meals = await category('6540', 'Meals');
  const it = await admin.post('/api/v1/teams', { name: 'IT' });
  books.software = await category('6570', 'Software', [it.body.id]);
  const tax = async (code: string, rate: string, deductible: string) => {
    const response = await bookkeeper.post('/api/v1/tax-codes', { code, name: `VAT ${rate} %`, rate, deductible, vatAccountCode: '2640' });
    expect(response.status, response.text).toBe(201);
    return response.body.id as string;
  };
  books.vat25 = await tax('VAT25', '25', '100');
  books.rest = await tax('REST25', '25', '25');
  const group = await bookkeeper.post('/api/v1/tag-groups', { name: 'Project' });
  books.project = (await bookkeeper.post(`/api/v1/tag-groups/${group.body.id}/tags`, { name: 'Apollo' })).body.id;
  books.project2 = (await bookkeeper.post(`/api/v1/tag-groups/${group.body.id}/tags`, { name: 'Gemini' })).body.id;
  expect((await bookkeeper.patch('/api/v1/expense-settings', { reviewThreshold: '200.00', mileageRate: '0.38' })).status).toBe(200);
  expect((await bookkeeper.request('PUT', '/api/v1/per-diem-rates/DE', { dailyRate: '28.00' })).status).toBe(200);
  expect((await bookkeeper.request('PUT', `/api/v1/team-reviewers/${teamId}`, { userIds: [reviewer.id] })).status).toBe(200);
});
afterAll(async () => {
  await server?.close();
});

describe('the books', () => {
  it('refuses a duplicate account code, a tax rate that is no percentage and changes by people without expenses:manage', async () => {
    expect((await bookkeeper.post('/api/v1/expense-categories', { accountCode: '6110', name: 'Again' })).body.code).toBe('conflict');
    const badRate = await bookkeeper.post('/api/v1/tax-codes', { code: 'X', name: 'X', rate: '25.555', vatAccountCode: '2640' });
    expect({ status: badRate.status, field: badRate.body.field }).toEqual({ status: 400, field: 'rate' });
    expect((await emma.client.post('/api/v1/expense-categories', { accountCode: '9999', name: 'Mine' })).status).toBe(403);
    expect((await emma.client.get('/api/v1/expense-categories')).body.items.map((c: { accountCode: string }) => c.accountCode)).toContain('6110');
  });
});

describe('an out-of-pocket expense', () => {
  it('cannot be submitted without a category, is approved at once when clean, and books what is owed', async () => {
    const receiptId = await receiptFor(emma.client, 'taxi');
    const filed = await emma.client.post('/api/v1/expenses', { kind: 'out_of_pocket', spentOn: today(), merchant: 'Taxa 4x35', amount: '125.00', receiptId });
    expect(filed.status, filed.text).toBe(201);
    expect(filed.body).toMatchObject({ state: 'draft', amount: { amount: '125.00', currency: 'EUR' }, receipt: { state: 'attached', receiptId }, flags: [] });
    const incomplete = await emma.client.post(`/api/v1/expenses/${filed.body.id}/submit`);
    expect({ status: incomplete.status, code: incomplete.body.code, field: incomplete.body.field }).toEqual({ status: 422, code: 'expense_incomplete', field: 'lines.0.categoryId' });

    const categorised = await emma.client.patch(`/api/v1/expenses/${filed.body.id}`, { categoryId: books.travel, taxCodeId: books.vat25, tagIds: [books.project] });
    expect(categorised.body.lines).toEqual([expect.objectContaining({ amount: { amount: '125.00', currency: 'EUR' }, vat: { amount: '25.00', currency: 'EUR' }, deductibleVat: { amount: '25.00', currency: 'EUR' } })]);
    const submitted = await emma.client.post(`/api/v1/expenses/${filed.body.id}/submit`);
    expect(submitted.body).toMatchObject({ state: 'approved', booked: true, reimbursement: { state: 'owed' } });
    expect(await balanceOf('coa:6110')).toBe(10000n);
    expect(await balanceOf('vat:2640')).toBe(2500n);
    expect(await balanceOf(`payable:${emma.id}`)).toBe(-12500n);
    expect((await emma.client.patch(`/api/v1/expenses/${filed.body.id}`, { note: 'too late' })).body.code).toBe('expense_state_invalid');
    const history = (await emma.client.get(`/api/v1/expenses/${filed.body.id}/history`)).body.items.map((e: { action: string }) => e.action);
    expect(history).toEqual(['filed', 'updated', 'approved_on_submit', 'booked']);
  });

  it('splits into lines that must add up, each with its own VAT', async () => {
    const receiptId = await receiptFor(emma.client, 'hotel');
    const filed = await emma.client.post('/api/v1/expenses', { kind: 'out_of_pocket', spentOn: today(), merchant: 'Hotel Alpha', amount: '150.00', receiptId });
    const wrong = await emma.client.patch(`/api/v1/expenses/${filed.body.id}`, { lines: [{ amount: '100.00', categoryId: books.travel, taxCodeId: books.vat25 }, { amount: '40.00', categoryId: books.meals, taxCodeId: books.rest }] });
    expect({ status: wrong.status, field: wrong.body.field }).toEqual({ status: 400, field: 'lines' });
    const split = await emma.client.patch(`/api/v1/expenses/${filed.body.id}`, {
      lines: [{ amount: '100.00', categoryId: books.travel, taxCodeId: books.vat25 }, { amount: '50.00', categoryId: books.meals, taxCodeId: books.rest, note: 'dinner' }],
      attendees: ['Emma Spender', 'A Customer'],
    });
    expect(split.status, split.text).toBe(200);
    expect(split.body.lines.map((l: { vat: { amount: string }; deductibleVat: { amount: string } }) => [l.vat.amount, l.deductibleVat.amount])).toEqual([['20.00', '20.00'], ['10.00', '2.50']]);
    expect(split.body.attendees).toEqual(['Emma Spender', 'A Customer']);
  });

  it('flags a second expense of the same amount, day and merchant', async () => {
    const first = await emma.client.post('/api/v1/expenses', { kind: 'out_of_pocket', spentOn: today(), merchant: 'Kiosk', amount: '9.90' });
    const second = await emma.client.post('/api/v1/expenses', { kind: 'out_of_pocket', spentOn: today(), merchant: 'KIOSK', amount: '9.90' });
    expect(first.body.flags).toEqual(['missing_receipt']);
    expect(second.body.flags).toEqual(['missing_receipt', 'possible_duplicate']);
  });
});

describe('policy checks', () => {
  it('sends an expense with a category of another team to review', async () => {
    const receiptId = await receiptFor(emma.client, 'licence');
    const filed = await emma.client.post('/api/v1/expenses', { kind: 'out_of_pocket', spentOn: today(), merchant: 'Licence shop', amount: '30.00', receiptId, categoryId: books.software });
    expect(filed.body.flags).toEqual(['category_not_allowed']);
    expect((await emma.client.post(`/api/v1/expenses/${filed.body.id}/submit`)).body.state).toBe('in_review');
  });
});

describe('mileage and per diem', () => {
  it('works out the amount from the distance and the company\'s rate, and from days and the country\'s rate', async () => {
    const drive = await emma.client.post('/api/v1/expenses', { kind: 'mileage', spentOn: today(), distanceKm: '12.3', route: 'Office – client – office' });
    expect(drive.body).toMatchObject({ amount: { amount: '4.67' }, mileage: { distanceKm: '12.3', ratePerKm: { amount: '0.38' } }, flags: [] });
    const trip = await emma.client.post('/api/v1/expenses', { kind: 'per_diem', spentOn: today(), country: 'DE', days: 3 });
    expect(trip.body).toMatchObject({ amount: { amount: '84.00' }, perDiem: { country: 'DE', days: 3 } });
    const tooFar = await emma.client.post('/api/v1/expenses', { kind: 'mileage', spentOn: today(), distanceKm: '10000.001' });
    expect({ status: tooFar.status, field: tooFar.body.field }).toEqual({ status: 400, field: 'distanceKm' });
    const nowhere = await emma.client.post('/api/v1/expenses', { kind: 'per_diem', spentOn: today(), country: 'FR', days: 1 });
    expect({ status: nowhere.status, field: nowhere.body.field }).toEqual({ status: 400, field: 'country' });
  });
});

describe('review', () => {
  it('sends an expense above the threshold to the team\'s reviewer, who sends it back; the owner answers and it is approved', async () => {
    const receiptId = await receiptFor(emma.client, 'laptop');
    const filed = await emma.client.post('/api/v1/expenses', { kind: 'out_of_pocket', spentOn: today(), merchant: 'Computer shop', amount: '450.00', receiptId, categoryId: books.travel, taxCodeId: books.vat25 });
    const submitted = await emma.client.post(`/api/v1/expenses/${filed.body.id}/submit`);
    expect(submitted.body).toMatchObject({ state: 'in_review', flags: ['over_threshold'], booked: false });

    const queue = (await reviewer.client.get('/api/v1/expense-reviews')).body.items.map((e: { id: string }) => e.id);
    expect(queue).toContain(filed.body.id);
    expect((await otherReviewer.client.get('/api/v1/expense-reviews')).body.items.map((e: { id: string }) => e.id)).not.toContain(filed.body.id);
    expect((await otherReviewer.client.post(`/api/v1/expenses/${filed.body.id}/approve`, {})).status).toBe(403);
    expect((await emma.client.post(`/api/v1/expenses/${filed.body.id}/approve`, {})).status).toBe(403);
    const notified = (await reviewer.client.get('/api/v1/notifications')).body.items;
    // The reviewer's notice links to the expense, not to the review step it tells of.
    expect(notified.filter((n: { kind: string; title: string }) => n.kind === 'expense_to_review' && n.title.includes('Computer shop')).map((n: { link: unknown }) => n.link)).toEqual([{ type: 'expense', id: filed.body.id }]);

    expect((await reviewer.client.post(`/api/v1/expenses/${filed.body.id}/request-changes`, {})).status).toBe(400);
    const back = await reviewer.client.post(`/api/v1/expenses/${filed.body.id}/request-changes`, { comment: 'Which project was this for?' });
    expect(back.body.state).toBe('changes_requested');
    const sentBack = (await emma.client.get('/api/v1/notifications')).body.items.filter((n: { kind: string; body: string }) => n.kind === 'expense_changes_requested' && n.body === 'Which project was this for?');
    expect(sentBack.map((n: { link: unknown }) => n.link)).toEqual([{ type: 'expense', id: filed.body.id }]);
    expect((await emma.client.post(`/api/v1/expenses/${filed.body.id}/comments`, { comment: 'Apollo, added the tag' })).status).toBe(201);
    await emma.client.patch(`/api/v1/expenses/${filed.body.id}`, { tagIds: [books.project] });
    expect((await emma.client.post(`/api/v1/expenses/${filed.body.id}/submit`)).body.state).toBe('in_review');
    const approved = await reviewer.client.post(`/api/v1/expenses/${filed.body.id}/approve`, { comment: 'Thanks' });
    expect(approved.body).toMatchObject({ state: 'approved', booked: true, reimbursement: { state: 'owed' } });

    const history = (await emma.client.get(`/api/v1/expenses/${filed.body.id}/history`)).body.items;
    expect(history.map((e: { action: string }) => e.action)).toEqual(['filed', 'submitted', 'changes_requested', 'commented', 'updated', 'submitted', 'approved', 'booked']);
    expect(history.find((e: { action: string }) => e.action === 'changes_requested').comment).toBe('Which project was this for?');
  });

  it('rejects with a reason, and the owner can reopen it', async () => {
    const filed = await emma.client.post('/api/v1/expenses', { kind: 'out_of_pocket', spentOn: today(), merchant: 'Spa', amount: '80.00', categoryId: books.travel });
    expect((await emma.client.post(`/api/v1/expenses/${filed.body.id}/submit`)).body).toMatchObject({ state: 'in_review', flags: ['missing_receipt'] });
    expect((await reviewer.client.post(`/api/v1/expenses/${filed.body.id}/reject`, { comment: '' })).status).toBe(400);
    expect((await reviewer.client.post(`/api/v1/expenses/${filed.body.id}/reject`, { comment: 'Not a business expense' })).body.state).toBe('rejected');
    expect((await emma.client.post(`/api/v1/expenses/${filed.body.id}/reopen`)).body.state).toBe('draft');
  });
});

describe('card expenses', () => {
  it('are made from card purchases, follow the clearing, and are booked once the purchase cleared', async () => {
    const card = await issueCard(server.database.db, encryptionKey, tenant.company.id, { userId: emma.id, kind: 'virtual' }, system, new Date());
    const auth = networkId('auth');
    const approved = await network.authorize({ id: auth, cardId: card.id, amount: '40.00', currency: 'EUR', merchant: { name: 'Restaurant Nord', mcc: '5812', country: 'DK' }, channel: 'in_person' });
    expect(approved.body.approved).toBe(true);
    await syncCardExpenses(server.database.db, new Date());
    const [expense] = (await emma.client.get('/api/v1/expenses?kind=card')).body.items;
    expect(expense).toMatchObject({ kind: 'card', state: 'draft', cardTransactionId: approved.body.transactionId, merchant: 'Restaurant Nord', amount: { amount: '40.00' }, flags: ['missing_receipt'], receipt: { state: 'missing' } });

    expect((await emma.client.post(`/api/v1/card-transactions/${approved.body.transactionId}/lost-receipt`, { note: 'No printer' })).status).toBe(201);
    await emma.client.patch(`/api/v1/expenses/${expense.id}`, { categoryId: books.meals, taxCodeId: books.vat25 });
    const submitted = await emma.client.post(`/api/v1/expenses/${expense.id}/submit`);
    expect(submitted.body).toMatchObject({ state: 'approved', flags: [], booked: false, receipt: { state: 'lost' } });

    const spendBefore = await balanceOf('card_spend');
    await network.event({ id: networkId('clr'), type: 'clearing', cardId: card.id, transactionId: auth, amount: '46.00', currency: 'EUR' });
    await syncCardExpenses(server.database.db, new Date());
    const cleared = (await emma.client.get(`/api/v1/expenses/${expense.id}`)).body;
    expect(cleared).toMatchObject({ amount: { amount: '46.00' }, booked: true, lines: [{ amount: { amount: '46.00' }, vat: { amount: '9.20' } }] });
    // The clearing booked 46.00 to card_spend; the categorisation moved it to the category and VAT accounts.
    expect((await balanceOf('card_spend')) - spendBefore).toBe(0n);
    expect(await balanceOf('coa:6540')).toBe(3680n);
  });

  it('undoes a split the clearing no longer fits, keeping the first line\'s category', async () => {
    const card = await issueCard(server.database.db, encryptionKey, tenant.company.id, { userId: emma.id, kind: 'virtual' }, system, new Date());
    const auth = networkId('auth');
    await network.authorize({ id: auth, cardId: card.id, amount: '100.00', currency: 'EUR', merchant: { name: 'Hotel Split', mcc: '7011', country: 'DK' }, channel: 'in_person' });
    await syncCardExpenses(server.database.db, new Date());
    const expense = (await emma.client.get('/api/v1/expenses?kind=card')).body.items.find((e: { merchant: string }) => e.merchant === 'Hotel Split');
    const split = await emma.client.patch(`/api/v1/expenses/${expense.id}`, { lines: [{ amount: '30.00', categoryId: books.travel, taxCodeId: null }, { amount: '70.00', categoryId: books.meals, taxCodeId: null }] });
    expect(split.status, split.text).toBe(200);
    await network.event({ id: networkId('clr'), type: 'clearing', cardId: card.id, transactionId: auth, amount: '20.00' });
    await syncCardExpenses(server.database.db, new Date());
    const cleared = (await emma.client.get(`/api/v1/expenses/${expense.id}`)).body;
    expect(cleared).toMatchObject({ amount: { amount: '20.00' }, lines: [{ amount: { amount: '20.00' }, categoryId: books.travel }] });
    expect((await emma.client.get(`/api/v1/expenses/${expense.id}/history`)).body.items.map((e: { action: string }) => e.action)).toContain('split_reset');
  });

  it('voids the expense of a purchase reversed before it was approved', async () => {
    const card = await issueCard(server.database.db, encryptionKey, tenant.company.id, { userId: emma.id, kind: 'virtual' }, system, new Date());
    const auth = networkId('auth');
    const approved = await network.authorize({ id: auth, cardId: card.id, amount: '15.00', currency: 'EUR', merchant: { name: 'Cinema', mcc: '7832', country: 'DK' }, channel: 'online' });
    await syncCardExpenses(server.database.db, new Date());
    await network.event({ id: networkId('rev'), type: 'reversal', cardId: card.id, transactionId: auth });
    await syncCardExpenses(server.database.db, new Date());
    const expenses = (await emma.client.get('/api/v1/expenses?kind=card')).body.items as { cardTransactionId: string; state: string }[];
    expect(expenses.find((e) => e.cardTransactionId === approved.body.transactionId)?.state).toBe('voided');
  });
});

describe('corrections', () => {
  it('let a bookkeeper correct someone else\'s approved expense, but not their own', async () => {
    const own = await bookkeeper.post('/api/v1/expenses', { kind: 'out_of_pocket', spentOn: today(), merchant: 'Stationery', amount: '8.00', categoryId: books.travel });
    expect(own.status, own.text).toBe(201);
    expect((await bookkeeper.post(`/api/v1/expenses/${own.body.id}/submit`)).body.state).toBe('in_review');
    const raised = await bookkeeper.patch(`/api/v1/expenses/${own.body.id}`, { amount: '800.00' });
    expect({ status: raised.status, code: raised.body.code }).toEqual({ status: 409, code: 'expense_state_invalid' });
  });
});

describe('closed periods', () => {
  it('freezes the expenses of a closed month until it is reopened', async () => {
    const filed = await emma.client.post('/api/v1/expenses', { kind: 'out_of_pocket', spentOn: today(), merchant: 'Books', amount: '20.00' });
    const period = today().slice(0, 7);
    expect((await emma.client.post('/api/v1/closed-periods', { period })).status).toBe(403);
    expect((await bookkeeper.post('/api/v1/closed-periods', { period })).status).toBe(201);
    const refused = await emma.client.patch(`/api/v1/expenses/${filed.body.id}`, { note: 'later' });
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 409, code: 'period_closed' });
    expect((await emma.client.post('/api/v1/expenses', { kind: 'out_of_pocket', spentOn: today(), merchant: 'Late', amount: '1.00' })).body.code).toBe('period_closed');
    expect((await bookkeeper.delete(`/api/v1/closed-periods/${period}`)).status).toBe(204);
    expect((await emma.client.patch(`/api/v1/expenses/${filed.body.id}`, { note: 'later' })).status).toBe(200);
  });

  it.each(['0000-01', '2026-13', '2026-1', 'May 2026'])('refuses %s as a period', async (period) => {
    const refused = await bookkeeper.post('/api/v1/closed-periods', { period });
    expect({ status: refused.status, code: refused.body.code, field: refused.body.field }).toEqual({ status: 400, code: 'validation_failed', field: 'period' });
  });
});

describe('the ledger', () => {
  it('stays balanced through all of it', async () => {
    const report = await verifyLedger(server.database.db, tenant.company.id);
    expect(report.violations).toEqual([]);
  });
});
