// `outlay simulate` against a running server over real HTTP, as an operator would use it.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../cli/main.js';
import { issueCard } from '../cards/card-issuing.service.js';
import { createCompany } from '../companies/companies.service.js';
import type { RunningServer } from '../server/server.js';
import { addActivePerson } from '../people/people.service.js';
import { startTestServer } from '../test-support/server.js';
import { getWallet, recordTopUp } from '../wallet/wallet.service.js';

const processorSecret = randomBytes(32);
const encryptionKey = randomBytes(32);
let server: RunningServer;
let env: Record<string, string>;
let card: { id: string; last4: string };
let companyId: string;

beforeAll(async () => {
  server = await startTestServer({ config: { processorSecret, encryptionKey } });
  env = {
    OUTLAY_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'outlay-sim-')),
    OUTLAY_PUBLIC_URL: server.url,
    OUTLAY_PROCESSOR_SECRET: processorSecret.toString('base64'),
    OUTLAY_SESSION_KEY: randomBytes(32).toString('base64'),
    OUTLAY_ENCRYPTION_KEY: encryptionKey.toString('base64'),
  };
  const db = server.database.db;
  const system = { actorType: 'system' as const, actorId: null };
  companyId = (await createCompany(db, { name: 'Sim Co', currency: 'EUR' })).id;
  await recordTopUp(db, companyId, { amount: '100.00', currency: 'EUR', bankReference: 'sim', receivedOn: '2026-11-01' }, system, new Date());
  const person = await addActivePerson(db, companyId, { email: 'sim@sim.test', name: 'Sim', roles: ['employee'], password: 'correct horse battery' });
  const issued = await issueCard(db, encryptionKey, companyId, { userId: person.id, kind: 'virtual', controls: { perPurchaseMax: '50.00' } }, system, new Date());
  card = { id: issued.id, last4: issued.card.last4 };
});
afterAll(async () => {
  await server?.close();
});

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['simulate', ...argv], { out: (text) => out.push(text), err: (text) => err.push(text), env });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('outlay simulate', () => {
  it('buys with the card named by its last four digits, then clears a larger amount', async () => {
    const bought = await run('purchase', '--card', card.last4, '--amount', '12.50', '--currency', 'EUR', '--merchant', 'Café Nord', '--mcc', '5814', '--country', 'DK');
    expect(bought.code).toBe(0);
    expect(bought.out).toMatch(/approved, state pending, held 12.50 EUR/);
    const authorization = /authorization (\S+)/.exec(bought.out)![1]!;
    const cleared = await run('clear', '--authorization', authorization, '--amount', '14.00');
    expect(cleared.out).toMatch(/state settled, booked 14.00 EUR/);
    expect((await getWallet(server.database.db, companyId)).balance).toBe(8_600n);
  });

  it('shows a decline with its reason', async () => {
    const result = await run('purchase', '--card', card.id, '--amount', '50.01', '--currency', 'EUR', '--merchant', 'TV Shop', '--mcc', '5732', '--json');
    expect(JSON.parse(result.out)).toMatchObject({ status: 200, approved: false, declineReason: 'over_per_purchase_limit' });
  });

  it('reverses and refunds authorizations it sent', async () => {
    const bought = await run('purchase', '--card', card.id, '--amount', '20.00', '--currency', 'EUR', '--merchant', 'Books', '--mcc', '5942');
    const authorization = /authorization (\S+)/.exec(bought.out)![1]!;
    expect((await run('reverse', '--authorization', authorization)).out).toMatch(/state reversed/);
    expect((await run('refund', '--authorization', authorization, '--amount', '5.00')).out).toMatch(/state settled, booked 5.00 EUR/);
  });

  it('refuses an authorization it did not send, and a card nobody has', async () => {
    expect((await run('clear', '--authorization', 'auth_unknown')).code).toBe(1);
    const missing = await run('purchase', '--card', '0000', '--amount', '1.00', '--currency', 'EUR', '--merchant', 'X');
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/no card ends in 0000/);
  });
});
