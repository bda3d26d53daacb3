// The wallet and the ledger: no company-facing route creates money (an admin and an API key
// with wallet:write find no way to top up), a bank transfer booked as a top-up raises the
// wallet by exactly its amount through one balanced journal entry, bad transfers are refused
// with the field at fault and write nothing, and the ledger verifies afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../src/ledger/verify.js';
import type { RunningServer } from '../../src/server/server.js';
import { DomainError } from '../../src/shared/errors.js';
import { createApiKey, createTenant, snapshotRows, type ApiResponse, type SessionClient, type Tenant } from '../../src/test-support/api-client.js';
import { startTestServer } from '../../src/test-support/server.js';
import { fundWallet, type TestTransfer } from '../../src/test-support/wallet-funding.js';

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
let tenant: Tenant;
let admin: SessionClient;

const isoDay = (offsetDays = 0) => new Date(Date.now() + offsetDays * 24 * 3600_000).toISOString().slice(0, 10);
const topUp = (bankReference: string, amount = '100.00', overrides: Partial<TestTransfer> = {}): TestTransfer => ({ amount, currency: 'EUR', bankReference, receivedOn: isoDay(-1), ...overrides });

/** A bank transfer booked as the company's top-up, as GET /wallet/top-ups presents it. */
async function receive(transfer: TestTransfer, client: SessionClient = admin, companyId = tenant.company.id): Promise<{ id: string; entryId: string; amount: Money; bankReference: string; receivedOn: string }> {
  const row = await fundWallet(server, companyId, transfer);
  const listed = (await client.get('/api/v1/wallet/top-ups?limit=100')).body.items as { id: string; entryId: string; amount: Money; bankReference: string; receivedOn: string }[];
  return listed.find((item) => item.id === row.id)!;
}

/** The refusal of a transfer: its code and the field at fault. */
async function refusal(transfer: TestTransfer, companyId = tenant.company.id): Promise<{ code: string; field: string | undefined }> {
  const error: unknown = await fundWallet(server, companyId, transfer).then(() => null, (thrown: unknown) => thrown);
  if (!(error instanceof DomainError)) throw new Error(`expected a refusal, got ${String(error)}`);
  return { code: error.code, field: error.field };
}

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

beforeAll(async () => {
  server = await startTestServer();
  tenant = await createTenant(server, { name: 'Ledger Test ApS', currency: 'EUR', adminEmail: 'admin@ledger.test' });
  admin = tenant.client;
});

afterAll(async () => {
  await server?.close();
});

describe('no company-facing way to create money', () => {
  const attempt = { amount: '1000000.00', currency: 'EUR', bankReference: 'MADE-UP-1', receivedOn: isoDay(-1) };

  it('gives an admin and an API key with wallet:write no route to top up the wallet, and the balance stays', async () => {
    const key = await createApiKey(admin, 'Treasury', ['wallet:read', 'wallet:write']);
    // Every row but the key's own (its last use is written when it is used).
    const rowsNow = async () => ({ ...(await snapshotRows(server.database.db)), api_keys: [] });
    const before = await rowsNow();
    for (const client of [admin, key.client]) {
      const response = await client.post('/api/v1/wallet/top-ups', attempt);
      expect([404, 403]).toContain(response.status);
      expect(response.contentType).toMatch(/^application\/problem\+json/);
    }
    expect(await walletBalance()).toBe(0n);
    expect(await rowsNow()).toEqual(before);
    expect((await key.client.get('/api/v1/wallet')).body.balance).toEqual({ amount: '0.00', currency: 'EUR' });
  });
});

describe('a bank transfer booked as a top-up', () => {
  let recorded: { id: string; entryId: string };

  it('starts a new company with an empty wallet', async () => {
    const wallet = await admin.get('/api/v1/wallet');
    expect(wallet.body).toEqual({
      balance: { amount: '0.00', currency: 'EUR' },
      available: { amount: '0.00', currency: 'EUR' },
      reserved: { amount: '0.00', currency: 'EUR' },
    });
  });

  it('raises the wallet balance by exactly the amount', async () => {
    recorded = await receive(topUp('SEPA-2026-0001', '2500.00'));
    expect(recorded).toMatchObject({ amount: { amount: '2500.00', currency: 'EUR' }, bankReference: 'SEPA-2026-0001', receivedOn: isoDay(-1) });
    const wallet = await admin.get('/api/v1/wallet');
    expect(wallet.body.balance).toEqual({ amount: '2500.00', currency: 'EUR' });
    expect(wallet.body.available).toEqual({ amount: '2500.00', currency: 'EUR' });
    const listed = await admin.get('/api/v1/wallet/top-ups');
    expect(listed.body.items.map((item: { id: string }) => item.id)).toEqual([recorded.id]);
  });

  it('books one balanced entry: the wallet debited, wallet funding credited', async () => {
    const entries = await admin.get('/api/v1/ledger/entries');
    expect(entries.status).toBe(200);
    expect(entries.body.items).toHaveLength(1);
    const entry = entries.body.items[0];
    expect(entry).toMatchObject({ id: recorded.entryId, kind: 'wallet_top_up', cause: { type: 'wallet_top_up', id: recorded.id } });
    expect(entry.effectiveAt.slice(0, 10)).toBe(isoDay(-1));
    const postings = (entry.postings as Posting[]).map((p) => ({ line: p.line, account: p.accountCode, amount: p.amount }));
    expect(postings).toEqual([
      { line: 1, account: 'wallet', amount: { amount: '2500.00', currency: 'EUR' } },
      { line: 2, account: 'wallet_funding', amount: { amount: '-2500.00', currency: 'EUR' } },
    ]);
    expect((entry.postings as Posting[]).reduce((sum, p) => sum + cents(p.amount.amount), 0n)).toBe(0n);

    const one = await admin.get(`/api/v1/ledger/entries/${recorded.entryId}`);
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
    expect(filtered.body.items.map((e: { id: string }) => e.id)).toEqual([recorded.entryId]);
  });
});

describe('refusing a transfer', () => {
  it('refuses a bank reference recorded before (409 duplicate_top_up) and writes nothing', async () => {
    await receive(topUp('SEPA-DUP-1'));
    const before = await snapshotRows(server.database.db);
    const balance = await walletBalance();
    expect(await refusal(topUp('SEPA-DUP-1', '999.00'))).toEqual({ code: 'duplicate_top_up', field: 'bankReference' });
    expect(await refusal(topUp('  SEPA-DUP-1 ', '999.00'))).toEqual({ code: 'duplicate_top_up', field: 'bankReference' });
    expect(await snapshotRows(server.database.db)).toEqual(before);
    expect(await walletBalance()).toBe(balance);
  });

  it('records one of several concurrent top-ups with the same bank reference and refuses the rest as duplicates', async () => {
    const balance = await walletBalance();
    const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => fundWallet(server, tenant.company.id, topUp('SEPA-RACE-1', '40.00'))));
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    for (const refused of outcomes.filter((outcome) => outcome.status === 'rejected')) expect(refused.reason).toMatchObject({ code: 'duplicate_top_up', field: 'bankReference' });
    expect(await walletBalance()).toBe(balance + 4000n);
  });

  it('refuses a currency other than the wallet\'s (422 currency_mismatch) and an unknown one', async () => {
    const before = await snapshotRows(server.database.db);
    expect(await refusal(topUp('SEPA-USD', '10.00', { currency: 'USD' }))).toEqual({ code: 'currency_mismatch', field: 'currency' });
    expect(await refusal(topUp('SEPA-ABC', '10.00', { currency: 'ABC' }))).toEqual({ code: 'unknown_currency', field: 'currency' });
    expect(await refusal(topUp('SEPA-eur', '10.00', { currency: 'eur' }))).toEqual({ code: 'unknown_currency', field: 'currency' });
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
    expect(await refusal(topUp(`SEPA-BAD-${amount}`, amount))).toEqual({ code: 'invalid_money', field: 'amount' });
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
    expect(await refusal(topUp(`SEPA-DATE-${receivedOn}`, '1.00', { receivedOn }))).toEqual({ code: 'validation_failed', field: 'receivedOn' });
    expect(await snapshotRows(server.database.db)).toEqual(before);
  });

  it('refuses an empty bank reference, naming it', async () => {
    expect(await refusal(topUp('   '))).toEqual({ code: 'validation_failed', field: 'bankReference' });
  });
});

describe('amounts', () => {
  it.each(['0.01', '999999999.99'])('keep %s exact from request to wallet and ledger', async (amount) => {
    const balance = await walletBalance();
    const created = await receive(topUp(`SEPA-EXACT-${amount}`, amount));
    expect(created.amount).toEqual({ amount, currency: 'EUR' });
    expect(await walletBalance()).toBe(balance + cents(amount));
    const entry = await admin.get(`/api/v1/ledger/entries/${created.entryId}`);
    expect((entry.body.postings as Posting[]).map((p) => p.amount.amount)).toEqual([amount, `-${amount}`]);
    const row = await server.database.db.selectFrom('wallet_top_ups').select('amount').where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(row.amount).toBe(cents(amount));
  });

  it('follow the currency\'s minor unit: whole yen for a JPY wallet', async () => {
    const sakura = await createTenant(server, { name: 'Sakura KK', currency: 'JPY', adminEmail: 'admin@sakura.test' });
    await fundWallet(server, sakura.company.id, { amount: '150000', currency: 'JPY', bankReference: 'ZENGIN-1', receivedOn: isoDay() });
    expect((await sakura.client.get('/api/v1/wallet')).body.balance).toEqual({ amount: '150000', currency: 'JPY' });
    expect(await refusal({ amount: '1.50', currency: 'JPY', bankReference: 'ZENGIN-2', receivedOn: isoDay() }, sakura.company.id)).toEqual({ code: 'invalid_money', field: 'amount' });
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
