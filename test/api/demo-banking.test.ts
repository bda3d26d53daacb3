// The demo platform: an operator signs in and finds the top-up account's statement imported,
// the demo company's top-up booked by its reference and one transfer waiting in suspense.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoOperator } from '../../src/demo/demo-banking.js';
import { demoLogins, demoPassword } from '../../src/demo/seed.js';
import type { RunningServer } from '../../src/server/server.js';
import { signIn } from '../../src/test-support/api-client.js';
import { startTestServer, testConfig } from '../../src/test-support/server.js';

let server: RunningServer;

beforeAll(async () => {
  server = await startTestServer({ demo: true, config: { receipts: { ...testConfig().receipts, readers: 0 } } });
});
afterAll(async () => {
  await server?.close();
});

describe('the demo platform', () => {
  it('has an operator with an imported statement, a top-up and a transfer in suspense', async () => {
    const operator = await signIn(server.app, demoOperator.email, demoPassword);
    const statements = (await operator.get('/api/v1/bank/statements')).body.items;
    expect(statements).toEqual([expect.objectContaining({ state: 'booked', entryCount: 2 })]);
    expect((await operator.get('/api/v1/bank/suspense')).body.items).toEqual([expect.objectContaining({ amount: { amount: '1200.00', currency: 'EUR' } })]);
    const admin = demoLogins.find((login) => login.role === 'admin')!;
    const client = await signIn(server.app, admin.email, admin.password);
    const topUps = (await client.get('/api/v1/wallet/top-ups')).body.items.map((t: { bankReference: string }) => t.bankReference);
    expect(topUps).toContain('DEMO-TOPUP-2');
  });
});
