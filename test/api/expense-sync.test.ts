// A card purchase's expense follows each change of its transaction as the change commits, not
// at the next sweep: the sweep that would catch up is set to run once a day here, and nothing
// in this file calls it. Authorization, clearing, refund, a receipt declared lost, reversal.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCard } from '../../src/cards/card-issuing.service.js';
import type { RunningServer } from '../../src/server/server.js';
import { NetworkClient, networkId } from '../../src/simulator/network-client.js';
import { addPerson, createTenant, type SessionClient, type Tenant } from '../../src/test-support/api-client.js';
import { eventually } from '../../src/test-support/eventually.js';
import { startTestServer } from '../../src/test-support/server.js';
import { fundWallet } from '../../src/test-support/wallet-funding.js';

const processorSecret = randomBytes(32);
const encryptionKey = randomBytes(32);
const today = () => new Date().toISOString().slice(0, 10);
const merchant = { id: 'm-9', name: 'Bike Parts', mcc: '5940', country: 'DK' };
const dayMs = 24 * 60 * 60 * 1000;

let server: RunningServer;
let network: NetworkClient;
let tenant: Tenant;
let ida: { id: string; client: SessionClient };
let card: string;

interface ExpenseView {
  id: string;
  amount: { amount: string; currency: string };
  state: string;
  flags: string[];
  cardTransactionId: string;
}

/** The expense of the transaction once `matches` holds for it. */
async function expenseOnce(transactionId: string, what: string, matches: (expense: ExpenseView) => boolean): Promise<ExpenseView> {
  return eventually(`the expense of ${transactionId} ${what}`, async () => {
    const items = (await ida.client.get('/api/v1/expenses?kind=card&limit=100')).body.items as ExpenseView[];
    const found = items.find((item) => item.cardTransactionId === transactionId);
    if (!found) return undefined;
    const expense = (await ida.client.get(`/api/v1/expenses/${found.id}`)).body as ExpenseView;
    return matches(expense) ? expense : undefined;
  });
}

beforeAll(async () => {
  server = await startTestServer({ config: { processorSecret, encryptionKey }, sweeps: { intervalsMs: { 'expense-sync': dayMs } } });
  network = new NetworkClient({ baseUrl: server.url, secret: processorSecret });
  tenant = await createTenant(server, { name: 'Sync Cycles', adminEmail: 'admin@sync.test' });
  await fundWallet(server, tenant.company.id, { amount: '1000.00', currency: 'EUR', bankReference: 'SYNC-1', receivedOn: today() });
  ida = await addPerson(tenant.client, { email: 'ida@sync.test', name: 'Ida Rider', roles: ['employee'] });
  card = (await issueCard(server.database.db, encryptionKey, tenant.company.id, { userId: ida.id, kind: 'virtual' }, { actorType: 'system', actorId: null }, new Date())).id;
});

afterAll(async () => {
  await server?.close();
});

describe('the expense of a card purchase', () => {
  it('is made at authorization and follows the clearing, a refund and a receipt declared lost, each as it commits', async () => {
    const auth = networkId('auth');
    const approved = await network.authorize({ id: auth, cardId: card, amount: '40.00', currency: 'EUR', merchant, channel: 'in_person' });
    expect(approved.body.approved, JSON.stringify(approved.body)).toBe(true);
    const transactionId = approved.body.transactionId as string;
    const made = await expenseOnce(transactionId, 'made', () => true);
    expect(made.amount.amount).toBe('40.00');
    expect(made.flags).toContain('missing_receipt');

    expect((await network.event({ id: networkId('clr'), type: 'clearing', cardId: card, transactionId: auth, amount: '45.00', currency: 'EUR' })).body.state).toBe('settled');
    await expenseOnce(transactionId, 'at the cleared amount', (expense) => expense.amount.amount === '45.00');

    expect((await network.event({ id: networkId('ref'), type: 'refund', cardId: card, amount: '5.00', currency: 'EUR', merchant, transactionId: auth })).status).toBeLessThan(300);
    await expenseOnce(transactionId, 'less the refund', (expense) => expense.amount.amount === '40.00');

    const lost = await ida.client.post(`/api/v1/card-transactions/${transactionId}/lost-receipt`, { note: 'Blown away on the ride home' });
    expect(lost.status, lost.text).toBeLessThan(300);
    const declared = await expenseOnce(transactionId, 'without the missing-receipt flag', (expense) => !expense.flags.includes('missing_receipt'));
    expect(declared.amount.amount).toBe('40.00');
  });

  it('is voided as the purchase is reversed', async () => {
    const auth = networkId('auth');
    const approved = await network.authorize({ id: auth, cardId: card, amount: '12.00', currency: 'EUR', merchant, channel: 'in_person' });
    const transactionId = approved.body.transactionId as string;
    await expenseOnce(transactionId, 'made', () => true);
    expect((await network.event({ id: networkId('rev'), type: 'reversal', cardId: card, transactionId: auth, amount: '12.00', currency: 'EUR' })).status).toBeLessThan(300);
    await expenseOnce(transactionId, 'voided', (expense) => expense.state === 'voided');
  });
});
