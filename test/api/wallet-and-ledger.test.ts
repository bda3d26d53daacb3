// The wallet and the ledger over HTTP: a recorded top-up raises the wallet by exactly its
// amount through one balanced journal entry, bad input is refused with the field at fault
// and writes nothing, and the ledger verifies afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../src/ledger/verify.js';
import type { RunningServer } from '../../src/server/server.js';
import { createTenant, snapshotRows, type ApiResponse, type SessionClient } from '../../src/test-support/api-client.js';
import { startTestServer } from '../../src/test-support/server.js';

interface Money {
  amount: string;
  currency: string;
}

interface Posting {
  line: number;
  accountId: string;
  accountCode: string;
  amount: Money;
}

let server: RunningServer;
let admin: SessionClient;

const isoDay = (offsetDays = 0) => new Date(Date.now() + offsetDays * 24 * 3600_000).toISOString().slice(0, 10);
const topUp = (bankReference: string, amount = '100.00', overrides: Record<string, unknown> = {}) => ({ amount, currency: 'EUR', bankReference, receivedOn: isoDay(-1), ...overrides });

/** "1234.56" in a two-decimal currency as minor units, written independently of src/money. */
function cents(amount: string): bigint {
  const match = /^(-?)(\d+)\.(\d{2})$/.exec(amount);
  if (!match) throw new Error(`${amount} is not an amount with two decimals`);
  return (match[1] === '-' ? -1n : 1n) * BigInt(match[2]! + match[3]!);
}

async function walletBalance(client: SessionClient = admin): Promise<bigint> {
  const wallet = await client.get('/api/v1/wallet');
  expect(wallet.status).toBe(200);
  return cents(wallet.body.balance.amount);
}

function expectProblem(response: ApiResponse, status: number, code: string, field?: string): void {
  expect(response.contentType).toMatch(/^application\/problem\+json/);
  expect({ status: response.status, code: response.body.code, field: response.body.field }).toEqual({ status, code, field });
}

beforeAll(async () => {
  server = await startTestServer();
  admin = (await createTenant(server, { name: 'Ledger Test ApS', currency: 'EUR', adminEmail: 'admin@ledger.test' })).client;
});

afterAll(async () => {
  await server?.close();
});

describe('recording a top-up', () => {
  let recorded: ApiResponse;

  it('starts a new company with an empty wallet', async () => {
    const wallet = await admin.get('/api/v1/wallet');
    expect(wallet.body).toEqual({
      balance: { amount: '0.00', currency: 'EUR' },
      available: { amount: '0.00', currency: 'EUR' },
      reserved: { amount: '0.00', currency: 'EUR' },
    });
  });

  it('raises the wallet balance by exactly the amount', async () => {
    recorded = await admin.post('/api/v1/wallet/top-ups', topUp('SEPA-2026-0001', '2500.00'));
    expect(recorded.status).toBe(201);
    expect(recorded.body).toMatchObject({ amount: { amount: '2500.00', currency: 'EUR' }, bankReference: 'SEPA-2026-0001', receivedOn: isoDay(-1) });
    const wallet = await admin.get('/api/v1/wallet');
    expect(wallet.body.balance).toEqual({ amount: '2500.00', currency: 'EUR' });
    expect(wallet.body.available).toEqual({ amount: '2500.00', currency: 'EUR' });
    const listed = await admin.get('/api/v1/wallet/top-ups');
    expect(listed.body.items.map((item: { id: string }) => item.id)).toEqual([recorded.body.id]);
  });

  it('books one balanced entry: the wallet debited, wallet funding credited', async () => {
    const entries = await admin.get('/api/v1/ledger/entries');
    expect(entries.status).toBe(200);
    expect(entries.body.items).toHaveLength(1);
    const entry = entries.body.items[0];
    expect(entry).toMatchObject({ id: recorded.body.entryId, kind: 'wallet_top_up', cause: { type: 'wallet_top_up', id: recorded.body.id } });
    expect(entry.effectiveAt.slice(0, 10)).toBe(isoDay(-1));
    const postings = (entry.postings as Posting[]).map((p) => ({ line: p.line, account: p.accountCode, amount: p.amount }));
    expect(postings).toEqual([
      { line: 1, account: 'wallet', amount: { amount: '2500.00', currency: 'EUR' } },
      { line: 2, account: 'wallet_funding', amount: { amount: '-2500.00', currency: 'EUR' } },
    ]);
    expect((entry.postings as Posting[]).reduce((sum, p) => sum + cents(p.amount.amount), 0n)).toBe(0n);

    const one = await admin.get(`/api/v1/ledger/entries/${recorded.body.entryId}`);
    expect(one.body).toEqual(entry);
  });

  it('shows the balances on the ledger accounts', async () => {
    const accounts = await admin.get('/api/v1/ledger/accounts');
    expect(accounts.status).toBe(200);
    const byCode = new Map((accounts.body.items as { code: string; id: string }[]).map((account) => [account.code, account]));
    expect(byCode.get('wallet')).toMatchObject({
      type: 'asset',
      balance: { amount: '2500.00', currency: 'EUR' },
      debitsPosted: { amount: '2500.00', currency: 'EUR' },
      creditsPosted: { amount: '0.00', currency: 'EUR' },
    });
    // Funding is credit-normal: money paid in shows as a positive balance.
    expect(byCode.get('wallet_funding')).toMatchObject({
      type: 'equity',
      balance: { amount: '2500.00', currency: 'EUR' },
      debitsPosted: { amount: '0.00', currency: 'EUR' },
      creditsPosted: { amount: '2500.00', currency: 'EUR' },
    });
    const wallet = byCode.get('wallet')!;
    expect((await admin.get(`/api/v1/ledger/accounts/${wallet.id}`)).body).toEqual(wallet);
    const filtered = await admin.get(`/api/v1/ledger/entries?accountId=${wallet.id}`);
    expect(filtered.body.items.map((e: { id: string }) => e.id)).toEqual([recorded.body.entryId]);
  });
});

describe('refusing a top-up', () => {
  it('refuses a bank reference recorded before (409 duplicate_top_up) and writes nothing', async () => {
    expect((await admin.post('/api/v1/wallet/top-ups', topUp('SEPA-DUP-1'))).status).toBe(201);
    const before = await snapshotRows(server.database.db);
    const balance = await walletBalance();
    expectProblem(await admin.post('/api/v1/wallet/top-ups', topUp('SEPA-DUP-1', '999.00')), 409, 'duplicate_top_up', 'bankReference');
    expectProblem(await admin.post('/api/v1/wallet/top-ups', topUp('  SEPA-DUP-1 ', '999.00')), 409, 'duplicate_top_up', 'bankReference');
    expect(await snapshotRows(server.database.db)).toEqual(before);
    expect(await walletBalance()).toBe(balance);
  });

  it('records one of several concurrent top-ups with the same bank reference and refuses the rest as duplicates', async () => {
    const balance = await walletBalance();
    const responses = await Promise.all(Array.from({ length: 5 }, () => admin.post('/api/v1/wallet/top-ups', topUp('SEPA-RACE-1', '40.00'))));
    expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
    for (const refused of responses.filter((r) => r.status !== 201)) expectProblem(refused, 409, 'duplicate_top_up', 'bankReference');
    expect(await walletBalance()).toBe(balance + 4000n);
  });

  it('refuses a currency other than the wallet\'s (422 currency_mismatch) and an unknown one', async () => {
    const before = await snapshotRows(server.database.db);
    expectProblem(await admin.post('/api/v1/wallet/top-ups', topUp('SEPA-USD', '10.00', { currency: 'USD' })), 422, 'currency_mismatch', 'currency');
    expectProblem(await admin.post('/api/v1/wallet/top-ups', topUp('SEPA-ABC', '10.00', { currency: 'ABC' })), 400, 'unknown_currency', 'currency');
    expectProblem(await admin.post('/api/v1/wallet/top-ups', topUp('SEPA-eur', '10.00', { currency: 'eur' })), 400, 'unknown_currency', 'currency');
    expect(await snapshotRows(server.database.db)).toEqual(before);
  });

  // One row a case: the amount sent, and why it is refused.
  const badAmounts: [string, string][] = [
    ['1.001', 'more decimals than EUR has'],
    ['-5.00', 'negative'],
    ['0', 'zero'],
    ['0.00', 'zero with decimals'],
    ['1e3', 'exponent notation'],
    ['12,50', 'decimal comma'],
    [' 12.50', 'surrounding space'],
    ['', 'empty'],
    ['00.50', 'leading zero'],
    ['10000000000000.01', 'above the largest amount accepted'],
  ];
  it.each(badAmounts)('refuses the amount "%s" (%s), naming the field, writing nothing', async (amount) => {
    const before = await snapshotRows(server.database.db);
    expectProblem(await admin.post('/api/v1/wallet/top-ups', topUp(`SEPA-BAD-${amount}`, amount)), 400, 'invalid_money', 'amount');
    expect(await snapshotRows(server.database.db)).toEqual(before);
  });

  const badDates: [string, string][] = [
    [isoDay(3), 'in the future'],
    ['2025-02-29', 'not a day of that year'],
    ['2025-13-01', 'month 13'],
    ['01/02/2025', 'not ISO 8601'],
    ['', 'empty'],
  ];
  it.each(badDates)('refuses the date "%s" (%s), naming receivedOn', async (receivedOn) => {
    const before = await snapshotRows(server.database.db);
    expectProblem(await admin.post('/api/v1/wallet/top-ups', topUp(`SEPA-DATE-${receivedOn}`, '1.00', { receivedOn })), 400, 'validation_failed', 'receivedOn');
    expect(await snapshotRows(server.database.db)).toEqual(before);
  });

  it('refuses an empty bank reference, naming it', async () => {
    expectProblem(await admin.post('/api/v1/wallet/top-ups', topUp('   ')), 400, 'validation_failed', 'bankReference');
  });
});

describe('amounts', () => {
  it.each(['0.01', '999999999.99'])('keep %s exact from request to wallet and ledger', async (amount) => {
    const balance = await walletBalance();
    const created = await admin.post('/api/v1/wallet/top-ups', topUp(`SEPA-EXACT-${amount}`, amount));
    expect(created.status).toBe(201);
    expect(created.body.amount).toEqual({ amount, currency: 'EUR' });
    expect(await walletBalance()).toBe(balance + cents(amount));
    const entry = await admin.get(`/api/v1/ledger/entries/${created.body.entryId}`);
    expect((entry.body.postings as Posting[]).map((p) => p.amount.amount)).toEqual([amount, `-${amount}`]);
    const row = await server.database.db.selectFrom('wallet_top_ups').select('amount').where('id', '=', created.body.id).executeTakeFirstOrThrow();
    expect(row.amount).toBe(cents(amount));
  });

  it('follow the currency\'s minor unit: whole yen for a JPY wallet', async () => {
    const yen = (await createTenant(server, { name: 'Sakura KK', currency: 'JPY', adminEmail: 'admin@sakura.test' })).client;
    const created = await yen.post('/api/v1/wallet/top-ups', { amount: '150000', currency: 'JPY', bankReference: 'ZENGIN-1', receivedOn: isoDay() });
    expect(created.status).toBe(201);
    expect((await yen.get('/api/v1/wallet')).body.balance).toEqual({ amount: '150000', currency: 'JPY' });
    const fractional = await yen.post('/api/v1/wallet/top-ups', { amount: '1.50', currency: 'JPY', bankReference: 'ZENGIN-2', receivedOn: isoDay() });
    expectProblem(fractional, 400, 'invalid_money', 'amount');
  });

  it('add up: the wallet equals the sum of top-ups, and the ledger verifies', async () => {
    const topUps: string[] = [];
    let cursor: string | null = null;
    do {
      const page: ApiResponse = await admin.get(`/api/v1/wallet/top-ups?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      topUps.push(...(page.body.items as { amount: Money }[]).map((item) => item.amount.amount));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(await walletBalance()).toBe(topUps.reduce((sum, amount) => sum + cents(amount), 0n));

    const report = await verifyLedger(server.database.db);
    expect(report.violations).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.entries).toBeGreaterThanOrEqual(topUps.length);
  });
});
