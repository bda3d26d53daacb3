// Money enters a wallet only from the bank, or from an operator's correction that another
// operator approved: an admin and an API key with wallet:write find no route that tops a
// wallet up; one operator proposes a correction (company, signed amount, reason), the same
// operator cannot approve it, a second one can, and only then is it booked as one balanced
// journal entry, with both people in the company's audit trail. Refused steps write nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../src/ledger/verify.js';
import { addActivePerson } from '../../src/people/people.service.js';
import type { RunningServer } from '../../src/server/server.js';
import { createApiKey, createTenant, signIn, snapshotRows, testPassword, type ApiResponse, type SessionClient, type Tenant } from '../../src/test-support/api-client.js';
import { startTestServer, testConfig } from '../../src/test-support/server.js';

let server: RunningServer;
let tenant: Tenant;
let olga: SessionClient;
let otto: SessionClient;
let olgaId: string;
let ottoId: string;
let platformId: string;

async function balance(): Promise<string> {
  return (await tenant.client.get('/api/v1/wallet')).body.balance.amount as string;
}

function expectProblem(response: ApiResponse, status: number, code: string, field?: string): void {
  expect(response.contentType).toMatch(/^application\/problem\+json/);
  expect({ status: response.status, code: response.body.code, field: response.body.field }).toEqual({ status, code, field });
}

const rows = () => snapshotRows(server.database.db, tenant.company.id);

beforeAll(async () => {
  server = await startTestServer({ config: { receipts: { ...testConfig().receipts, readers: 0 } } });
  const db = server.database.db;
  platformId = (await db.selectFrom('companies').select('id').where('is_platform', '=', true).executeTakeFirstOrThrow()).id;
  olgaId = (await addActivePerson(db, platformId, { email: 'olga@platform.test', name: 'Olga Operator', roles: ['operator'], password: testPassword })).id;
  ottoId = (await addActivePerson(db, platformId, { email: 'otto@platform.test', name: 'Otto Operator', roles: ['operator'], password: testPassword })).id;
  olga = await signIn(server.app, 'olga@platform.test', testPassword);
  otto = await signIn(server.app, 'otto@platform.test', testPassword);
  tenant = await createTenant(server, { name: 'Corrected ApS', currency: 'EUR', adminEmail: 'admin@corrected.test' });
});
afterAll(async () => {
  await server?.close();
});

describe('creating money', () => {
  it('is no route of a company: its admin and a wallet:write key get 404 on POST top-ups and 403 on corrections, and the balance stays', async () => {
    const key = await createApiKey(tenant.client, 'Treasury', ['wallet:read', 'wallet:write']);
    const before = { ...(await rows()), api_keys: [] };
    for (const client of [tenant.client, key.client]) {
      expectProblem(await client.post('/api/v1/wallet/top-ups', { amount: '1000.00', currency: 'EUR', bankReference: 'FREE-1', receivedOn: '2026-11-30' }), 404, 'not_found');
      expectProblem(await client.post('/api/v1/bank/wallet-corrections', { companyId: tenant.company.id, amount: '1000.00', reason: 'free money' }), 403, 'forbidden');
    }
    expect({ ...(await rows()), api_keys: [] }).toEqual(before);
    expect(await balance()).toBe('0.00');
  });
});

describe('a wallet correction', () => {
  let correctionId: string;

  it('is proposed by one operator and moves nothing yet', async () => {
    const proposed = await olga.post('/api/v1/bank/wallet-corrections', { companyId: tenant.company.id, amount: '250.00', reason: 'Transfer BANKREF-9 reached the bank but not the statement' });
    expect(proposed.status, proposed.text).toBe(201);
    expect(proposed.body).toMatchObject({ companyId: tenant.company.id, amount: { amount: '250.00', currency: 'EUR' }, state: 'proposed', proposedBy: olgaId, approvedBy: null, entryId: null });
    correctionId = proposed.body.id;
    expect(await balance()).toBe('0.00');
    const waiting = await otto.get('/api/v1/bank/wallet-corrections?state=proposed');
    expect(waiting.body.items.map((item: { id: string }) => item.id)).toEqual([correctionId]);
  });

  it('cannot be approved by the operator who proposed it, and that attempt writes nothing', async () => {
    const before = await rows();
    expectProblem(await olga.post(`/api/v1/bank/wallet-corrections/${correctionId}/approve`), 403, 'forbidden');
    expect(await rows()).toEqual(before);
    expect(await balance()).toBe('0.00');
  });

  it('is booked when a second operator approves it: the wallet moves by its amount, one balanced entry, both people audited', async () => {
    const approved = await otto.post(`/api/v1/bank/wallet-corrections/${correctionId}/approve`);
    expect(approved.status, approved.text).toBe(200);
    expect(approved.body).toMatchObject({ state: 'approved', proposedBy: olgaId, approvedBy: ottoId });
    expect(await balance()).toBe('250.00');

    const entry = await tenant.client.get(`/api/v1/ledger/entries/${approved.body.entryId}`);
    expect(entry.body).toMatchObject({ kind: 'wallet_correction', cause: { type: 'wallet_correction', id: correctionId } });
    expect(entry.body.postings.map((p: { accountCode: string; amount: { amount: string } }) => [p.accountCode, p.amount.amount])).toEqual([['wallet', '250.00'], ['wallet_funding', '-250.00']]);
    const report = await verifyLedger(server.database.db, tenant.company.id);
    expect(report.violations).toEqual([]);
    expect(report.ok).toBe(true);

    const audit = await server.database.db.selectFrom('audit_events').select(['action', 'actor_id', 'details']).where('company_id', '=', tenant.company.id).where('subject_id', '=', correctionId).orderBy('id').execute();
    expect(audit.map((event) => [event.action, event.actor_id])).toEqual([['wallet.correction_proposed', olgaId], ['wallet.correction_approved', ottoId]]);
    expect(audit[1]!.details).toMatchObject({ proposedBy: olgaId, approvedBy: ottoId, amount: '250.00', entryId: approved.body.entryId });

    expectProblem(await olga.post(`/api/v1/bank/wallet-corrections/${correctionId}/approve`), 409, 'conflict');
    expectProblem(await otto.post(`/api/v1/bank/wallet-corrections/${correctionId}/approve`), 409, 'conflict');
    expect(await balance()).toBe('250.00');
  });

  it('takes money out with a negative amount, never more than the wallet has available', async () => {
    const tooMuch = await otto.post('/api/v1/bank/wallet-corrections', { companyId: tenant.company.id, amount: '-300.00', reason: 'BANKREF-3 was booked twice' });
    const before = await rows();
    expectProblem(await olga.post(`/api/v1/bank/wallet-corrections/${tooMuch.body.id}/approve`), 422, 'insufficient_funds');
    expect(await rows()).toEqual(before);
    const fitting = await otto.post('/api/v1/bank/wallet-corrections', { companyId: tenant.company.id, amount: '-50.00', reason: 'BANKREF-3 was booked twice' });
    expect((await olga.post(`/api/v1/bank/wallet-corrections/${fitting.body.id}/approve`)).status).toBe(200);
    expect(await balance()).toBe('200.00');
    expect((await verifyLedger(server.database.db, tenant.company.id)).ok).toBe(true);
  });

  it('refuses a proposal without a reason, of no amount, for no company or for the platform, writing nothing', async () => {
    const before = await rows();
    const propose = (body: Record<string, unknown>) => olga.post('/api/v1/bank/wallet-corrections', { companyId: tenant.company.id, amount: '10.00', reason: 'ok', ...body });
    expectProblem(await propose({ reason: '   ' }), 400, 'validation_failed', 'reason');
    expectProblem(await propose({ amount: '0.00' }), 400, 'invalid_money', 'amount');
    expectProblem(await propose({ amount: '1.001' }), 400, 'invalid_money', 'amount');
    expectProblem(await propose({ companyId: 'cmp_00000000000000000000000000' }), 404, 'not_found');
    expectProblem(await propose({ companyId: platformId }), 400, 'validation_failed', 'companyId');
    expect(await rows()).toEqual(before);
  });
});
