// The demo company shows every receipt flow at once: receipts attached, one waiting for its
// purchase, a close call offered as a suggestion, one declared lost, purchases still missing
// theirs with reminders sent, and every demo receipt read in the background.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoLogins } from '../../src/demo/seed.js';
import type { RunningServer } from '../../src/server/server.js';
import { signIn, type SessionClient } from '../../src/test-support/api-client.js';
import { waitUntilRead } from '../../src/test-support/receipts.js';
import { startTestServer } from '../../src/test-support/server.js';

let server: RunningServer;
let emma: SessionClient;
let felix: SessionClient;
let admin: SessionClient;

const login = (email: string) => demoLogins.find((person) => person.email === email)!;
const signInAs = (email: string) => signIn(server.app, email, login(email).password);

interface Receipt {
  id: string;
  fileName: string | null;
  mediaType: string;
  match: { state: string; transactionId: string | null; suggestions: { transactionId: string; transaction: { merchant: string } | null }[] };
  fields: { total: string | null };
}

async function readReceipts(client: SessionClient): Promise<Receipt[]> {
  const listed = (await client.get('/api/v1/receipts')).body.items as Receipt[];
  return Promise.all(listed.map(async (receipt) => (await waitUntilRead(client, receipt.id)).body as Receipt));
}

beforeAll(async () => {
  server = await startTestServer({ demo: true });
  emma = await signInAs('emma@demo.outlay.test');
  felix = await signInAs('felix@demo.outlay.test');
  admin = await signInAs('admin@demo.outlay.test');
});
afterAll(async () => {
  await server?.close();
});

describe('the demo company\'s receipts', () => {
  it('has receipts attached to purchases, a close call to confirm, and all of them read', async () => {
    const receipts = await readReceipts(emma);
    const byName = (name: string | null) => receipts.find((receipt) => receipt.fileName === name);
    expect(byName('IMG_2041.jpg')?.match.state).toBe('matched');
    expect(receipts.find((receipt) => receipt.mediaType === 'text/plain')?.match.state).toBe('matched');
    const office = byName('office.jpg');
    expect(office?.fields.total).toBe('112.00');
    expect(office?.match.state).toBe('suggested');
    expect(office?.match.suggestions[0]?.transaction?.merchant).toBe('Office Depot');
  });

  it('has a receipt waiting for its purchase, one declared lost and purchases still missing theirs', async () => {
    const receipts = await readReceipts(felix);
    expect(receipts.find((receipt) => receipt.fileName === 'taxi.jpg')?.match.state).toBe('unmatched');
    expect(receipts.find((receipt) => receipt.fileName === 'dsb-billet.pdf')?.match.state).toBe('matched');
    const transactions = (await felix.get('/api/v1/card-transactions')).body.items as { merchant: { name: string }; receipt: { state: string } }[];
    const stateOf = (merchant: string) => transactions.find((t) => t.merchant.name === merchant)?.receipt.state;
    expect(stateOf('Pret A Manger')).toBe('lost');
    expect(stateOf('Scandic Hotels')).toBe('missing');
    expect(stateOf('Casino Copenhagen')).toBe('not_required');
    const reminders = (await felix.get('/api/v1/notifications')).body.items as { kind: string; title: string }[];
    expect(reminders.some((n) => n.kind === 'receipt_missing' && n.title.includes('Scandic Hotels'))).toBe(true);
    const byPerson = (await admin.get('/api/v1/receipts/missing/by-person')).body.items as { missing: number }[];
    expect(byPerson.reduce((sum, row) => sum + row.missing, 0)).toBeGreaterThanOrEqual(3);
  });
});
