// Expenses and exports read the time from the server's clock, which this test sets and moves:
// whether an expense's date is still in the future, and when an export's file was written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/server.js';
import { createTenant, signIn, testPassword, type Tenant } from '../../src/test-support/api-client.js';
import { ManualClock } from '../../src/test-support/clock.js';
import { finishedExport } from '../../src/test-support/eventually.js';
import { uploadReceipt } from '../../src/test-support/receipts.js';
import { startTestServer } from '../../src/test-support/server.js';

const hourMs = 3_600_000;
const clock = new ManualClock(new Date('2030-05-14T18:00:00Z'));

let server: RunningServer;
let tenant: Tenant;

beforeAll(async () => {
  server = await startTestServer({ clock });
  tenant = await createTenant(server, { name: 'Clockwork GmbH', adminEmail: 'admin@clockwork.test' });
});
afterAll(async () => {
  await server?.close();
});

describe('an expense\'s date', () => {
  it('may be tomorrow, but a later day only once the clock has reached the day before it', async () => {
    const file = (spentOn: string) => tenant.client.post('/api/v1/expenses', { kind: 'out_of_pocket', spentOn, merchant: 'Deutsche Bahn', amount: '39.90' });
    expect((await file('2030-05-15')).status).toBe(201);
    const early = await file('2030-05-16');
    expect({ status: early.status, code: early.body.code, field: early.body.field }).toEqual({ status: 400, code: 'validation_failed', field: 'spentOn' });

    clock.advance(6 * hourMs);
    const onTime = await file('2030-05-16');
    expect(onTime.status, onTime.text).toBe(201);
    expect(onTime.body.spentOn).toBe('2030-05-16');
  });
});

describe('an export', () => {
  it('is written at the time of the server\'s clock when its job runs', async () => {
    // May holds one approved expense: a train ticket with its receipt, in a category.
    const category = await tenant.client.post('/api/v1/expense-categories', { accountCode: '6110', name: 'Travel' });
    const receipt = await uploadReceipt(tenant.client, Buffer.from('%PDF-1.4\n% ticket\n%%EOF\n'));
    const filed = await tenant.client.post('/api/v1/expenses', { kind: 'out_of_pocket', spentOn: '2030-05-12', merchant: 'Deutsche Bahn', amount: '39.90', receiptId: receipt.body.id, categoryId: category.body.id });
    expect(filed.status, filed.text).toBe(201);
    const submitted = await tenant.client.post(`/api/v1/expenses/${filed.body.id}/submit`);
    expect(submitted.body.state, submitted.text).toBe('approved');
    // The first morning of June (the session of mid-May has long expired): sign in, export May.
    clock.set(new Date('2030-06-01T07:30:00Z'));
    const client = await signIn(server.app, tenant.adminEmail, testPassword);
    const created = await client.post('/api/v1/export-batches', { format: 'hledger', from: '2030-05-01', to: '2030-05-31' });
    expect(created.status, created.text).toBe(201);
    const batch = await finishedExport(client, created.body.id);
    expect({ state: batch.state, finishedAt: batch.finishedAt }).toEqual({ state: 'exported', finishedAt: '2030-06-01T07:30:00.000Z' });
    const file = await client.get(`/api/v1/export-batches/${created.body.id}/file`);
    expect(file.text).toContain('written 2030-06-01T07:30:00.000Z');
  });
});
