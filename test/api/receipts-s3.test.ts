// A server that keeps its files in S3 (OUTLAY_BLOB_STORE=s3), on an s3rver the test starts:
// a receipt sent over HTTP lands in the bucket under the key prefix, is read there by the
// background job, comes back byte for byte, and goes from the bucket when it is discarded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReceiptPdf, renderReceiptPicture } from '../../src/demo/receipt-pictures.js';
import type { RunningServer } from '../../src/server/server.js';
import { S3BlobStore } from '../../src/storage/s3-blob-store.js';
import { createApiKey, createTenant, type Tenant } from '../../src/test-support/api-client.js';
import { waitUntilRead } from '../../src/test-support/receipts.js';
import { startS3Server, type TestS3Server } from '../../src/test-support/s3-server.js';
import { startTestServer } from '../../src/test-support/server.js';

let s3: TestS3Server;
let bucket: S3BlobStore;
let server: RunningServer;
let tenant: Tenant;
let bearer: string;

beforeAll(async () => {
  s3 = await startS3Server();
  bucket = new S3BlobStore(s3.settings());
  server = await startTestServer({ config: { storage: { kind: 's3', ...s3.settings('outlay-files') } } });
  tenant = await createTenant(server, { name: 'Bucket Co', adminEmail: 'admin@bucket.test' });
  bearer = `Bearer ${(await createApiKey(tenant.client, 'receipt sync', ['receipts:write', 'receipts:read'])).secret}`;
});
afterAll(async () => {
  await server?.close();
  await bucket?.close();
  await s3?.close();
});

async function download(path: string): Promise<{ status: number; type: string | null; bytes: Buffer }> {
  const response = await fetch(`${server.url}${path}`, { headers: { authorization: bearer } });
  return { status: response.status, type: response.headers.get('content-type'), bytes: Buffer.from(await response.arrayBuffer()) };
}

async function upload(bytes: Buffer): Promise<{ status: number; id: string }> {
  const sent = await fetch(`${server.url}/api/v1/receipts?userId=${tenant.admin.id}`, {
    method: 'POST',
    headers: { authorization: bearer, 'content-type': 'application/octet-stream' },
    body: bytes,
  });
  return { status: sent.status, id: ((await sent.json()) as { id: string }).id };
}

const today = () => new Date().toISOString().slice(0, 10);

describe('receipts kept in S3', () => {
  it('stores an uploaded receipt in the bucket under the prefix, reads it there and gives it back byte for byte', async () => {
    const pdf = renderReceiptPdf({ merchant: 'DSB Rejsebureau', date: today(), items: [{ name: 'Kobenhavn H - Aarhus H', amount: '189.00' }], total: '189.00', currency: 'EUR' });
    const sent = await upload(pdf);
    expect(sent.status).toBe(201);

    const key = `receipts/${tenant.company.id}/${sent.id}.pdf`;
    expect((await bucket.get(`outlay-files/${key}`))?.equals(pdf)).toBe(true);
    expect(await bucket.get(key)).toBeNull();
    expect(await server.database.db.selectFrom('blobs').select('key').execute()).toEqual([]);

    const file = await download(`/api/v1/receipts/${sent.id}/file`);
    expect({ status: file.status, type: file.type, same: file.bytes.equals(pdf) }).toEqual({ status: 200, type: 'application/pdf', same: true });
    // The reading job found the file in the bucket: it was read, not failed for a missing file.
    const read = await waitUntilRead(tenant.client, sent.id);
    expect({ state: read.body.reading.state, total: read.body.fields.total }).toEqual({ state: 'read', total: '189.00' });
  });

  it('keeps a photo and its thumbnail in the bucket and serves both from there', async () => {
    const photo = await renderReceiptPicture({ merchant: 'Cafe Nord', date: today(), items: [{ name: 'Lunch menu', amount: '18.40' }], total: '18.40', currency: 'EUR' });
    const sent = await upload(photo);
    expect(sent.status).toBe(201);
    for (const [which, suffix] of [['file', 'jpg'], ['thumbnail', 'thumb.jpg']] as const) {
      const served = await download(`/api/v1/receipts/${sent.id}/${which}`);
      const kept = await bucket.get(`outlay-files/receipts/${tenant.company.id}/${sent.id}.${suffix}`);
      expect({ which, status: served.status, type: served.type, same: kept !== null && served.bytes.equals(kept) }).toEqual({ which, status: 200, type: 'image/jpeg', same: true });
    }
  });

  it('removes the receipt\'s objects from the bucket when the receipt is discarded', async () => {
    const sent = await upload(Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n'));
    expect(sent.status).toBe(201);
    const key = `outlay-files/receipts/${tenant.company.id}/${sent.id}.pdf`;
    expect(await bucket.get(key)).not.toBeNull();
    expect((await tenant.client.delete(`/api/v1/receipts/${sent.id}`)).status).toBe(204);
    expect(await bucket.get(key)).toBeNull();
    expect((await download(`/api/v1/receipts/${sent.id}/file`)).status).toBe(404);
  });
});
