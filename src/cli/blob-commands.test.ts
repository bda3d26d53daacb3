// `outlay blobs copy --from-dir`: an install that kept its files in OUTLAY_DATA_DIR/blobs
// moves them into the database store (the default) or S3, and its receipts download as
// before. Runs on an embedded database in a temporary data directory, or on a throw-away
// PostgreSQL database when DATABASE_URL is set.
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseConfig } from '../config/config.js';
import { openDatabase } from '../db/database.js';
import { startServer } from '../server/server.js';
import { DatabaseBlobStore } from '../storage/database-blob-store.js';
import { S3BlobStore } from '../storage/s3-blob-store.js';
import { createTenant, signIn, testPassword } from '../test-support/api-client.js';
import { openTestDatabase, type TestDatabase } from '../test-support/database.js';
import { uploadReceipt } from '../test-support/receipts.js';
import { startS3Server, type TestS3Server } from '../test-support/s3-server.js';
import { testConfig } from '../test-support/server.js';
import { main } from './main.js';

let serverDatabase: TestDatabase | null = null;
let s3: TestS3Server;

beforeAll(async () => {
  s3 = await startS3Server();
  if (process.env.DATABASE_URL) serverDatabase = await openTestDatabase();
});
afterAll(async () => {
  await serverDatabase?.close();
  await s3?.close();
});

/** A data directory of its own, and the database its commands use. */
function install(): { dataDir: string; env: Record<string, string>; database: DatabaseConfig } {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'outlay-blob-cli-'));
  const env: Record<string, string> = { OUTLAY_DATA_DIR: dataDir, OUTLAY_DEMO: '0', LOG_LEVEL: 'silent' };
  if (serverDatabase) env.DATABASE_URL = serverDatabase.url!;
  const database: DatabaseConfig = serverDatabase ? { kind: 'postgres', url: serverDatabase.url!, poolSize: 2 } : { kind: 'pglite', dataDir: path.join(dataDir, 'pglite') };
  return { dataDir, env, database };
}

async function run(env: Record<string, string>, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (text) => out.push(text), err: (text) => err.push(text), env });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** Writes files in the old layout under root: path -> bytes. */
function writeFolder(root: string, files: Record<string, Buffer>): void {
  for (const [file, bytes] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), bytes);
  }
}

const oldFiles = (tag: string): Record<string, Buffer> => ({
  [`receipts/cmp_${tag}/rct_1.jpg`]: Buffer.from([0xff, 0xd8, 0xff, 0x00, 0x01, 0xfe, 0xd9]),
  [`receipts/cmp_${tag}/rct_1.thumb.jpg`]: Buffer.from([0xff, 0xd8, 0x10]),
  [`exports/cmp_${tag}/exp_1.csv`]: Buffer.from('date;amount\n2026-01-02;12.00\n'),
  [`bank-statements/cmp_${tag}/bsf_1.xml`]: Buffer.from('<Document/>'),
});

describe('outlay blobs copy', () => {
  it('copies every file of the old folder into the database store, and again without harm', async () => {
    const { dataDir, env, database } = install();
    const from = path.join(dataDir, 'blobs');
    const files = oldFiles('a');
    writeFolder(from, { ...files, 'receipts/cmp_a/rct_2.jpg.0123456789ab.tmp': Buffer.from('half a put') });

    const first = await run(env, 'blobs', 'copy', '--from-dir', from);
    expect({ code: first.code, err: first.err }).toEqual({ code: 0, err: '' });
    const bytes = Object.values(files).reduce((sum, file) => sum + file.length, 0);
    expect(first.out).toBe(`copied 4 files (${bytes} bytes) from ${from} into the database`);
    expect((await run(env, 'blobs', 'copy', '--from-dir', from)).code).toBe(0);

    const opened = await openDatabase(database);
    try {
      const store = new DatabaseBlobStore(opened.db);
      for (const [key, bytes] of Object.entries(files)) expect({ key, same: (await store.get(key))?.equals(bytes) }).toEqual({ key, same: true });
      const keys = await opened.db.selectFrom('blobs').select('key').where('key', 'like', '%cmp_a%').orderBy('key').execute();
      expect(keys.map((row) => row.key)).toEqual(Object.keys(files).sort());
    } finally {
      await opened.close();
    }
  });

  it('copies into S3 under the prefix when OUTLAY_BLOB_STORE=s3', async () => {
    const { dataDir, env } = install();
    const files = oldFiles('b');
    writeFolder(path.join(dataDir, 'old'), files);
    const settings = s3.settings();
    const s3Env = { ...env, OUTLAY_BLOB_STORE: 's3', OUTLAY_S3_BUCKET: s3.bucket, OUTLAY_S3_ENDPOINT: s3.endpoint, OUTLAY_S3_PREFIX: 'moved', OUTLAY_S3_ACCESS_KEY_ID: settings.credentials!.accessKeyId, OUTLAY_S3_SECRET_ACCESS_KEY: settings.credentials!.secretAccessKey };

    const result = await run(s3Env, 'blobs', 'copy', '--from-dir', path.join(dataDir, 'old'));
    expect(result.code).toBe(0);
    expect(result.out).toContain(`into the S3 bucket ${s3.bucket} under moved/`);
    const bucket = new S3BlobStore(settings);
    try {
      for (const [key, bytes] of Object.entries(files)) expect({ key, same: (await bucket.get(`moved/${key}`))?.equals(bytes) }).toEqual({ key, same: true });
    } finally {
      await bucket.close();
    }
  });

  it('copies what it can, names each file no store would take, and exits 1', async () => {
    const { dataDir, env } = install();
    const from = path.join(dataDir, 'blobs');
    writeFolder(from, { 'receipts/cmp_c/rct_1.pdf': Buffer.from('%PDF'), 'receipts/cmp_c/scan 2.pdf': Buffer.from('%PDF') });
    const result = await run(env, 'blobs', 'copy', '--from-dir', from);
    expect(result).toEqual({ code: 1, out: `copied 1 file (4 bytes) from ${from} into the database`, err: 'skipped receipts/cmp_c/scan 2.pdf: not a blob key' });
  });

  it('exits 2 without --from-dir, and 2 before opening the database when the folder is missing or a file', async () => {
    const { dataDir, env } = install();
    expect((await run(env, 'blobs', 'copy')).code).toBe(2);
    writeFileSync(path.join(dataDir, 'receipts.zip'), 'PK');
    for (const notFolder of [path.join(dataDir, 'nowhere'), path.join(dataDir, 'receipts.zip')]) {
      const result = await run(env, 'blobs', 'copy', '--from-dir', notFolder);
      expect(result).toEqual({ code: 2, out: '', err: `outlay: ${notFolder} is not a folder` });
    }
    // The embedded database is made in OUTLAY_DATA_DIR/pglite when it is opened.
    expect(readdirSync(dataDir)).not.toContain('pglite');
  });

  // Two servers start and the command runs in a process of its own: more than most tests.
  it('moves an install that kept receipts on disk: after the copy the database store serves them', { timeout: 180_000 }, async () => {
    const { dataDir, env, database } = install();
    const before = testConfig({ dataDir, database, storage: { kind: 'local', root: path.join(dataDir, 'blobs') }, receipts: { ...testConfig().receipts, readers: 0 } });
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
    const onDisk = await startServer(before);
    let receiptId: string;
    try {
      const tenant = await createTenant(onDisk, { name: 'Moving Co', adminEmail: 'admin@moving.test' });
      const sent = await uploadReceipt(tenant.client, pdf);
      expect(sent.status).toBe(201);
      receiptId = sent.body.id as string;
    } finally {
      await onDisk.close();
    }

    expect((await run(env, 'blobs', 'copy', '--from-dir', path.join(dataDir, 'blobs'))).code).toBe(0);

    const inDatabase = await startServer({ ...before, storage: { kind: 'database' } });
    try {
      const admin = await signIn(inDatabase.app, 'admin@moving.test', testPassword);
      const file = await admin.get(`/api/v1/receipts/${receiptId}/file`);
      expect({ status: file.status, text: file.text }).toEqual({ status: 200, text: pdf.toString() });
    } finally {
      await inDatabase.close();
    }
  });

  it('stops before the database starts when the folder is the local store itself', async () => {
    const { dataDir, env } = install();
    const result = await run({ ...env, OUTLAY_BLOB_STORE: 'local' }, 'blobs', 'copy', '--from-dir', path.join(dataDir, 'blobs'));
    expect(result.code).toBe(2);
    expect(result.err).toContain('nothing to copy');
  });
});
