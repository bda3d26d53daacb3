// A company's receipts are read in its language: the reading job takes the company's locale,
// and OCR reads Danish (or Swedish, German) beside English. Over the API, with the real
// background job, a real OCR pool and the items of the receipt in the read result.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/server.js';
import { createTenant, type Tenant } from '../../src/test-support/api-client.js';
import { danishSlip, renderSlip } from '../../src/test-support/receipt-slips.js';
import { readingWaitMs, uploadReceipt, waitUntilRead } from '../../src/test-support/receipts.js';
import { startTestServer } from '../../src/test-support/server.js';

let server: RunningServer;
let danish: Tenant;
let english: Tenant;

beforeAll(async () => {
  server = await startTestServer();
  danish = await createTenant(server, { name: 'Dansk Firma', currency: 'DKK', adminEmail: 'admin@dansk.test' });
  english = await createTenant(server, { name: 'English Firm', currency: 'DKK', adminEmail: 'admin@english.test' });
  const changed = await danish.client.patch('/api/v1/company', { locale: 'da-DK' });
  expect(changed.status, changed.text).toBe(200);
});
afterAll(async () => {
  await server?.close();
});

describe('a receipt printed in Danish', () => {
  it('is read in Danish for a Danish company, with its items', async () => {
    const sent = await uploadReceipt(danish.client, await renderSlip(danishSlip.lines), { fileName: 'kvittering.png' });
    expect(sent.status, sent.text).toBe(201);
    const read = await waitUntilRead(danish.client, sent.body.id as string);
    expect(read.body.reading.state).toBe('read');
    expect(read.body.fields).toMatchObject(danishSlip.fields);
    expect(read.body.lineItems).toEqual(danishSlip.lineItems);
  }, readingWaitMs);

  it('is read in English for a company in English, which loses the Danish letters', async () => {
    const sent = await uploadReceipt(english.client, await renderSlip(danishSlip.lines), { fileName: 'kvittering.png' });
    const read = await waitUntilRead(english.client, sent.body.id as string);
    expect(read.body.reading.state).toBe('read');
    expect(read.body.fields.total).toBe(danishSlip.fields.total);
    expect(read.body.fields.merchant).not.toBe(danishSlip.fields.merchant);
  }, readingWaitMs);
});
