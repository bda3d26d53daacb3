// Budgets over real HTTP: an admin sets a team budget with enforcement and an owner; the
// team's purchases are approved up to exactly what is left and declined beyond it with the
// budget's own reason, also when many arrive at once; the figures follow holds, clearings and
// refunds; the owner is told once per threshold; nobody else, and no other company, sees or
// changes it; a tag budget cannot be enforced.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertBudgets } from '../../src/budgets/budgets.service.js';
import { issueCard } from '../../src/cards/card-issuing.service.js';
import { changeFeatureFlag } from '../../src/flag-management/flag-management.service.js';
import type { RunningServer } from '../../src/server/server.js';
import { NetworkClient, networkId } from '../../src/simulator/network-client.js';
import { addPerson, createTenant, type SessionClient, type Tenant } from '../../src/test-support/api-client.js';
import { startTestServer } from '../../src/test-support/server.js';
import { fundWallet } from '../../src/test-support/wallet-funding.js';

const processorSecret = randomBytes(32);
const encryptionKey = randomBytes(32);
const system = { actorType: 'system' as const, actorId: null };

let server: RunningServer;
let network: NetworkClient;
let tenant: Tenant;
let other: Tenant;
let teamId: string;
let rita: { id: string; client: SessionClient };
let emma: { id: string; client: SessionClient };
let teamCards: string[];
let outsiderCard: string;

const merchant = { id: null, name: 'Hotel Nord', mcc: '7011', country: 'DK' };

async function authorize(cardId: string, amount: string) {
  const id = networkId('auth');
  const response = await network.authorize({ id, cardId, amount, currency: 'EUR', merchant, channel: 'online', occurredAt: new Date().toISOString() });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return { id, approved: response.body.approved as boolean, reason: response.body.declineReason as string | null };
}

async function budgetOf(client: SessionClient, id: string) {
  const response = await client.get('/api/v1/budgets');
  expect(response.status, response.text).toBe(200);
  return (response.body.items as { id: string }[]).find((item) => item.id === id) as Record<string, unknown> | undefined;
}

async function newTeam(name: string) {
  const response = await tenant.client.post('/api/v1/teams', { name });
  expect(response.status, response.text).toBe(201);
  return response.body.id as string;
}

beforeAll(async () => {
  server = await startTestServer({ config: { processorSecret, encryptionKey } });
  network = new NetworkClient({ baseUrl: server.url, secret: processorSecret });
  tenant = await createTenant(server, { name: 'Budgeting Co', adminEmail: 'admin@budgets.test' });
  other = await createTenant(server, { name: 'Other Budgeter', adminEmail: 'admin@other-budgets.test' });
  await fundWallet(server, tenant.company.id, { amount: '10000.00', currency: 'EUR', bankReference: 'BUD-1', receivedOn: new Date().toISOString().slice(0, 10) });
  teamId = await newTeam('Sales');
  rita = await addPerson(tenant.client, { email: 'rita@budgets.test', name: 'Rita Review', roles: ['reviewer'], teamId });
  emma = await addPerson(tenant.client, { email: 'emma@budgets.test', name: 'Emma Sales', roles: ['employee'], teamId });
  const olaf = await addPerson(tenant.client, { email: 'olaf@budgets.test', name: 'Olaf Outside', roles: ['employee'] });
  const issue = async (userId: string) => (await issueCard(server.database.db, encryptionKey, tenant.company.id, { userId, kind: 'virtual' }, system, new Date())).id;
  teamCards = [await issue(emma.id), await issue(emma.id), await issue(rita.id)];
  outsiderCard = await issue(olaf.id);
}, 120_000);
afterAll(async () => {
  await server?.close();
});

describe('budgets', () => {
  let budgetId: string;

  it('are set by an admin, with what is spent, held and left this month', async () => {
    const created = await tenant.client.post('/api/v1/budgets', { name: 'Sales travel', scope: 'team', subjectId: teamId, period: 'month', amount: '100.00', enforced: true, ownerId: rita.id });
    expect(created.status, created.text).toBe(201);
    budgetId = created.body.id;
    expect(created.body).toMatchObject({
      scope: 'team', subjectId: teamId, subjectName: 'Sales', period: 'month', enforced: true, thresholds: [80, 100], ownerName: 'Rita Review',
      amount: { amount: '100.00', currency: 'EUR' }, spent: { amount: '0.00' }, pending: { amount: '0.00' }, remaining: { amount: '100.00' }, percentUsed: 0,
    });
    expect(created.body.periodFrom).toMatch(/^\d{4}-\d{2}-01$/);
  });

  it('refuse what cannot work, writing nothing', async () => {
    const cases: [Record<string, unknown>, number, string][] = [
      [{ name: 'Again', scope: 'team', subjectId: teamId, period: 'month', amount: '5.00' }, 409, 'conflict'],
      [{ name: 'Nobody', scope: 'team', subjectId: 'tm_nope', period: 'month', amount: '5.00' }, 400, 'validation_failed'],
      [{ name: 'Zero', scope: 'person', subjectId: emma.id, period: 'year', amount: '0.00' }, 400, 'invalid_money'],
      [{ name: 'Bad owner', scope: 'person', subjectId: emma.id, period: 'year', amount: '5.00', ownerId: other.admin.id }, 400, 'validation_failed'],
      [{ name: 'Third decimal', scope: 'person', subjectId: emma.id, period: 'year', amount: '5.001' }, 400, 'invalid_money'],
    ];
    for (const [body, status, code] of cases) {
      const response = await tenant.client.post('/api/v1/budgets', body);
      expect(response.status, response.text).toBe(status);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.body.code).toBe(code);
    }
    expect(await emma.client.post('/api/v1/budgets', { name: 'Mine', scope: 'person', subjectId: emma.id, period: 'month', amount: '5.00' }).then((r) => r.status)).toBe(403);
    const list = await tenant.client.get('/api/v1/budgets');
    expect(list.body.items.map((item: { id: string }) => item.id)).toEqual([budgetId]);
  });

  it('decline a purchase of the team beyond what is left, with the budget\'s reason, and approve up to it exactly', async () => {
    expect(await authorize(teamCards[0]!, '60.00')).toMatchObject({ approved: true });
    expect(await authorize(teamCards[1]!, '40.01')).toMatchObject({ approved: false, reason: 'over_budget' });
    expect(await authorize(teamCards[2]!, '40.00')).toMatchObject({ approved: true });
    expect(await authorize(teamCards[0]!, '0.01')).toMatchObject({ approved: false, reason: 'over_budget' });
    // Someone outside the team is not held to it.
    expect(await authorize(outsiderCard, '500.00')).toMatchObject({ approved: true });
    expect(await budgetOf(tenant.client, budgetId)).toMatchObject({ spent: { amount: '0.00' }, pending: { amount: '100.00' }, remaining: { amount: '0.00' }, percentUsed: 100 });
  });

  it('count a clearing as spent and give back what a reversal releases', async () => {
    await tenant.client.patch(`/api/v1/budgets/${budgetId}`, { amount: '200.00' }).then((r) => expect(r.status, r.text).toBe(200));
    const held = await authorize(teamCards[1]!, '30.00');
    expect(held.approved).toBe(true);
    const cleared = await network.event({ id: networkId('clr'), type: 'clearing', cardId: teamCards[1]!, transactionId: held.id, amount: '25.00', currency: 'EUR', occurredAt: new Date().toISOString() });
    expect(cleared.body.state).toBe('settled');
    const again = await authorize(teamCards[1]!, '20.00');
    const reversed = await network.event({ id: networkId('rev'), type: 'reversal', cardId: teamCards[1]!, transactionId: again.id, occurredAt: new Date().toISOString() });
    expect(reversed.status, JSON.stringify(reversed.body)).toBe(200);
    expect(await budgetOf(tenant.client, budgetId)).toMatchObject({ spent: { amount: '25.00' }, pending: { amount: '100.00' }, remaining: { amount: '75.00' }, percentUsed: 62 });
  });

  // Each engine: the batched one decides a batch in one transaction; the standard one decides
  // each purchase in its own, concurrently, and only the budget's lock keeps them apart.
  it.each(['batched', 'standard'] as const)('never let purchases that arrive together take more than is left (%s engine)', async (engine) => {
    await changeFeatureFlag(server.database.db, system, 'authorization-engine', { rules: [{ match: 'companies', ids: [tenant.company.id], variant: engine }] }, new Date());
    const crowdTeam = await newTeam(`Crowd ${engine}`);
    const people = await Promise.all([0, 1, 2].map((n) => addPerson(tenant.client, { email: `crowd${n}-${engine}@budgets.test`, name: `Crowd ${n}`, roles: ['employee'], teamId: crowdTeam })));
    const cards = await Promise.all(people.flatMap((person) => [0, 1].map(async () => (await issueCard(server.database.db, encryptionKey, tenant.company.id, { userId: person.id, kind: 'virtual' }, system, new Date())).id)));
    const created = await tenant.client.post('/api/v1/budgets', { name: 'Crowd', scope: 'team', subjectId: crowdTeam, period: 'quarter', amount: '100.00', enforced: true });
    expect(created.status, created.text).toBe(201);
    try {
      const answers = await Promise.all(Array.from({ length: 24 }, (_, n) => authorize(cards[n % cards.length]!, '10.00')));
      expect(answers.filter((answer) => answer.approved)).toHaveLength(10);
      expect(answers.filter((answer) => !answer.approved).every((answer) => answer.reason === 'over_budget')).toBe(true);
      expect(await budgetOf(tenant.client, created.body.id)).toMatchObject({ pending: { amount: '100.00' }, remaining: { amount: '0.00' } });
    } finally {
      await changeFeatureFlag(server.database.db, system, 'authorization-engine', { rules: [] }, new Date());
    }
  });

  it('tell the owner once per threshold reached, and webhook endpoints with it', async () => {
    const endpoint = await tenant.client.post('/api/v1/webhooks/endpoints', { url: 'http://127.0.0.1:9/budgets', eventTypes: ['budget.threshold'] });
    expect(endpoint.status).toBe(201);
    const byOwner = async () => (await rita.client.get('/api/v1/notifications?limit=100')).body.items.filter((item: { kind: string }) => item.kind === 'budget_threshold') as { title: string; link: unknown }[];
    expect(await byOwner()).toEqual([]);
    // 125.00 of 200.00 used: 62% reaches no threshold; up to 80% with one more purchase.
    expect(await alertBudgets(server.database.db, new Date())).toBe(0);
    expect(await authorize(teamCards[2]!, '36.00')).toMatchObject({ approved: true });
    expect(await alertBudgets(server.database.db, new Date())).toBe(1);
    expect(await alertBudgets(server.database.db, new Date())).toBe(0);
    const told = await byOwner();
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ title: 'Sales travel: 80% used', link: { type: 'budget', id: budgetId } });
    const deliveries = await server.database.db.selectFrom('webhook_deliveries').select('payload').where('company_id', '=', tenant.company.id).where('event_type', '=', 'budget.threshold').execute();
    expect(deliveries.map((row) => JSON.parse(row.payload).data)).toEqual([expect.objectContaining({ budgetId, threshold: 80, amount: { amount: '200.00', currency: 'EUR' } })]);
  });

  it('are seen by their owner and those who read the spend overview, and by nobody else', async () => {
    expect((await rita.client.get('/api/v1/budgets')).body.items.map((item: { id: string }) => item.id)).toEqual([budgetId]);
    expect((await emma.client.get('/api/v1/budgets')).body.items).toEqual([]);
    expect((await other.client.get('/api/v1/budgets')).body.items).toEqual([]);
    expect((await other.client.get(`/api/v1/budgets/${budgetId}`)).status).toBe(404);
    expect((await other.client.patch(`/api/v1/budgets/${budgetId}`, { amount: '1.00' })).status).toBe(404);
    expect((await other.client.delete(`/api/v1/budgets/${budgetId}`)).status).toBe(404);
    expect(await budgetOf(tenant.client, budgetId)).toMatchObject({ amount: { amount: '200.00' } });
    const csv = await tenant.client.get('/api/v1/budgets?format=csv');
    expect(csv.status).toBe(200);
    expect(csv.text.split('\n')[0]).toContain('name,scope,subject,period');
    expect(csv.text).toContain('Sales travel,team,Sales,month');
  });

  it('count out-of-pocket expenses, and make a team budget\'s owner its approver at a budget owner step', async () => {
    const rules = await tenant.client.request('PUT', '/api/v1/review-rules', { policyApproves: false, steps: [{ name: 'Budget', approver: 'budget_owner' }], budgetOwners: [] });
    expect(rules.status, JSON.stringify(rules.body)).toBe(200);
    const before = await budgetOf(tenant.client, budgetId);
    const categoryId = (await tenant.client.post('/api/v1/expense-categories', { accountCode: '6110', name: 'Travel' })).body.id as string;
    const filed = await emma.client.post('/api/v1/expenses', { kind: 'out_of_pocket', spentOn: new Date().toISOString().slice(0, 10), merchant: 'Train', amount: '20.00', categoryId });
    expect(filed.status, JSON.stringify(filed.body)).toBe(201);
    expect((await budgetOf(tenant.client, budgetId))!.spent).toEqual(before!.spent);
    const submitted = await emma.client.post(`/api/v1/expenses/${filed.body.id}/submit`);
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
    expect(submitted.body.review).toMatchObject({ step: { approver: 'budget_owner' }, waitingFor: [rita.id] });
    const spent = (before!.spent as { amount: string }).amount;
    expect((await budgetOf(tenant.client, budgetId))!.spent).toEqual({ amount: (Number(spent) + 20).toFixed(2), currency: 'EUR' });
    const queue = (await rita.client.get('/api/v1/expense-reviews?limit=100')).body.items as { id: string }[];
    expect(queue.map((item) => item.id)).toContain(filed.body.id);
    const byAdmin = await tenant.client.post(`/api/v1/expenses/${filed.body.id}/approve`, {});
    expect({ status: byAdmin.status, code: byAdmin.body.code }).toEqual({ status: 403, code: 'review_step_not_yours' });
    const approved = await rita.client.post(`/api/v1/expenses/${filed.body.id}/approve`, {});
    expect(approved.body.state, JSON.stringify(approved.body)).toBe('approved');
  });

  it('for a tag are kept but never enforced', async () => {
    const group = await tenant.client.post('/api/v1/tag-groups', { name: 'Project' });
    expect(group.status, group.text).toBe(201);
    const tag = await tenant.client.post(`/api/v1/tag-groups/${group.body.id}/tags`, { name: 'Apollo' });
    expect(tag.status, tag.text).toBe(201);
    const enforced = await tenant.client.post('/api/v1/budgets', { name: 'Apollo', scope: 'tag', subjectId: tag.body.id, period: 'year', amount: '1000.00', enforced: true });
    expect(enforced.status).toBe(400);
    expect(enforced.body).toMatchObject({ code: 'validation_failed', field: 'enforced' });
    const kept = await tenant.client.post('/api/v1/budgets', { name: 'Apollo', scope: 'tag', subjectId: tag.body.id, period: 'year', amount: '1000.00' });
    expect(kept.status, kept.text).toBe(201);
    expect(kept.body).toMatchObject({ subjectName: 'Project: Apollo', enforced: false });
  });

  it('stop being enforced once archived', async () => {
    expect((await tenant.client.patch(`/api/v1/budgets/${budgetId}`, { amount: '125.00' })).status).toBe(200);
    expect(await authorize(teamCards[0]!, '50.00')).toMatchObject({ approved: false, reason: 'over_budget' });
    expect((await tenant.client.delete(`/api/v1/budgets/${budgetId}`)).status).toBe(204);
    expect(await authorize(teamCards[0]!, '50.00')).toMatchObject({ approved: true });
    expect(await budgetOf(tenant.client, budgetId)).toBeUndefined();
  });
});
