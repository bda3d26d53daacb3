// The blob store's contract, run against each of its homes: a local folder, the database
// (PGlite, or PostgreSQL when DATABASE_URL is set) and an S3 bucket on a real S3-protocol
// server (s3rver). Then what each home adds: private files on disk, files shared between
// connections in the database, key prefixes in S3.
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { openTestDatabase, type TestDatabase } from '../test-support/database.js';
import { startS3Server, type TestS3Server } from '../test-support/s3-server.js';
import { blobBytesMax, BlobKeyError, BlobTooLargeError, LocalBlobStore, type BlobStoreOptions, type OwnedBlobStore } from './blob-store.js';
import { DatabaseBlobStore } from './database-blob-store.js';
import { S3BlobStore } from './s3-blob-store.js';

const freshFolder = () => mkdtempSync(path.join(tmpdir(), 'outlay-blobs-'));

let database: TestDatabase;
let s3: TestS3Server;
const opened: OwnedBlobStore[] = [];
const keep = <T extends OwnedBlobStore>(store: T): T => {
  opened.push(store);
  return store;
};

beforeAll(async () => {
  [database, s3] = await Promise.all([openTestDatabase(), startS3Server()]);
});
afterAll(async () => {
  await Promise.all(opened.map((store) => store.close()));
  await Promise.all([database?.close(), s3?.close()]);
});

/** Each home is one place (a folder, a database, a bucket): stores opened on it, with any
 * limit, see each other's files. */
const localRoot = freshFolder();
const homes: [name: string, open: (options?: BlobStoreOptions) => OwnedBlobStore][] = [
  ['LocalBlobStore', (options) => keep(new LocalBlobStore(localRoot, options))],
  ['DatabaseBlobStore', (options) => keep(new DatabaseBlobStore(database.db, options))],
  ['S3BlobStore', (options) => keep(new S3BlobStore(s3.settings(), options))],
];

describe.each(homes)('%s', (_, open) => {
  it('gives back what was put, replaces it on a second put, and forgets it on delete', async () => {
    const store = open();
    const key = `receipts/cmp_${path.basename(freshFolder())}/rct_1.jpg`;
    await store.put(key, Buffer.from('first'));
    expect((await store.get(key))?.toString()).toBe('first');
    await store.put(key, Buffer.from('second, longer than the first'));
    expect((await store.get(key))?.toString()).toBe('second, longer than the first');
    await store.delete(key);
    expect(await store.get(key)).toBeNull();
    await store.delete(key);
  });

  it('answers null for a key never stored, and keeps keys that share a beginning apart', async () => {
    const store = open();
    const base = `exports/cmp_${path.basename(freshFolder())}/exp_1`;
    expect(await store.get(`${base}.csv`)).toBeNull();
    await store.put(`${base}.csv`, Buffer.from('csv'));
    await store.put(`${base}.csv.thumb.jpg`, Buffer.from('thumb'));
    expect((await store.get(`${base}.csv`))?.toString()).toBe('csv');
    await store.delete(`${base}.csv.thumb.jpg`);
    expect((await store.get(`${base}.csv`))?.toString()).toBe('csv');
    expect(await store.get(`${base}.cs`)).toBeNull();
  });

  it('keeps every byte value and the empty file exactly', async () => {
    const store = open();
    const every = Buffer.from(Array.from({ length: 256 * 4 }, (_, i) => (i * 7) % 256));
    await store.put('binary/every-byte.bin', every);
    await store.put('binary/empty.bin', Buffer.alloc(0));
    expect((await store.get('binary/every-byte.bin'))?.equals(every)).toBe(true);
    expect((await store.get('binary/empty.bin'))?.length).toBe(0);
  });

  it.each(['../secrets.json', 'a/../../b', '/etc/passwd', 'a//b', 'a/./b', '', 'a\\b', 'a/b c', 'a/b/'])('refuses the key %j', async (key) => {
    const store = open();
    await expect(store.put(key, Buffer.from('x'))).rejects.toBeInstanceOf(BlobKeyError);
    await expect(store.get(key)).rejects.toBeInstanceOf(BlobKeyError);
    await expect(store.delete(key)).rejects.toBeInstanceOf(BlobKeyError);
  });

  it('refuses to keep a file larger than its limit, and keeps one of exactly the limit', async () => {
    const store = open({ bytesMax: 1024 });
    await expect(store.put('large/too-large.bin', Buffer.alloc(1025, 1))).rejects.toBeInstanceOf(BlobTooLargeError);
    expect(await store.get('large/too-large.bin')).toBeNull();
    await store.put('large/just-fits.bin', Buffer.alloc(1024, 2));
    expect((await store.get('large/just-fits.bin'))?.equals(Buffer.alloc(1024, 2))).toBe(true);
  });

  it('refuses to give back a file larger than its limit, which a store with a larger one kept', async () => {
    await open().put('large/two-kib.bin', Buffer.alloc(2048, 3));
    await expect(open({ bytesMax: 1024 }).get('large/two-kib.bin')).rejects.toBeInstanceOf(BlobTooLargeError);
    await expect(open({ bytesMax: 2047 }).get('large/two-kib.bin')).rejects.toBeInstanceOf(BlobTooLargeError);
    expect((await open({ bytesMax: 2048 }).get('large/two-kib.bin'))?.equals(Buffer.alloc(2048, 3))).toBe(true);
    expect(await open({ bytesMax: 1024 }).get('large/never-stored.bin')).toBeNull();
  });
});

describe('LocalBlobStore on disk', () => {
  it('leaves no temporary files behind and keeps files private to the owner', async () => {
    const store = new LocalBlobStore(freshFolder());
    await store.put('a/b.bin', Buffer.alloc(10));
    expect(readdirSync(path.join(store.root, 'a'))).toEqual(['b.bin']);
    expect(statSync(path.join(store.root, 'a', 'b.bin')).mode & 0o077).toBe(0);
  });
});

describe('DatabaseBlobStore in the database', () => {
  it('records the byte count beside the bytes, and the time of the last put', async () => {
    const store = new DatabaseBlobStore(database.db);
    await store.put('sizes/one.bin', Buffer.alloc(1234, 1));
    const first = await database.db.selectFrom('blobs').selectAll().where('key', '=', 'sizes/one.bin').executeTakeFirstOrThrow();
    await store.put('sizes/one.bin', Buffer.alloc(99, 2));
    const second = await database.db.selectFrom('blobs').selectAll().where('key', '=', 'sizes/one.bin').executeTakeFirstOrThrow();
    expect({ first: first.byte_size, second: second.byte_size, created: second.created_at.getTime() }).toEqual({ first: 1234n, second: 99n, created: first.created_at.getTime() });
    expect(second.updated_at.getTime()).toBeGreaterThanOrEqual(first.updated_at.getTime());
  });

  it('holds no row larger than blobBytesMax, the limit the stores are made with', async () => {
    const checks = await sql<{ definition: string }>`
      select pg_get_constraintdef(oid) as definition from pg_constraint where conname = 'blobs_byte_size_max'`.execute(database.db);
    expect(checks.rows.map((row) => row.definition)).toEqual([`CHECK ((byte_size <= ${blobBytesMax}))`]);
  });

  // Two processes of a deployment are two pools on one PostgreSQL database.
  it.runIf(process.env.DATABASE_URL)('shares its files with another connection pool on the same database', async () => {
    const other = await openDatabase({ kind: 'postgres', url: database.url!, poolSize: 2 });
    try {
      await new DatabaseBlobStore(database.db).put('shared/receipt.pdf', Buffer.from('%PDF-1.4'));
      const there = new DatabaseBlobStore(other.db);
      expect((await there.get('shared/receipt.pdf'))?.toString()).toBe('%PDF-1.4');
      await there.delete('shared/receipt.pdf');
      expect(await new DatabaseBlobStore(database.db).get('shared/receipt.pdf')).toBeNull();
    } finally {
      await other.close();
    }
  });

  it.runIf(!process.env.DATABASE_URL)('keeps its files when the embedded database is closed and opened again', async () => {
    const dataDir = freshFolder();
    const first = await openDatabase({ kind: 'pglite', dataDir });
    try {
      await migrate(first.db);
      await new DatabaseBlobStore(first.db).put('kept/statement.xml', Buffer.from('<Document/>'));
    } finally {
      await first.close();
    }
    const again = await openDatabase({ kind: 'pglite', dataDir });
    try {
      expect((await new DatabaseBlobStore(again.db).get('kept/statement.xml'))?.toString()).toBe('<Document/>');
    } finally {
      await again.close();
    }
  });
});

describe('S3BlobStore in a bucket', () => {
  it('puts its keys under the prefix, apart from a store with another prefix', async () => {
    const tenantA = keep(new S3BlobStore(s3.settings('deployments/a')));
    const tenantB = keep(new S3BlobStore(s3.settings('deployments/b')));
    const whole = keep(new S3BlobStore(s3.settings()));
    await tenantA.put('receipts/r.jpg', Buffer.from('a'));
    expect((await whole.get('deployments/a/receipts/r.jpg'))?.toString()).toBe('a');
    expect(await tenantB.get('receipts/r.jpg')).toBeNull();
    await tenantB.delete('receipts/r.jpg');
    expect((await tenantA.get('receipts/r.jpg'))?.toString()).toBe('a');
  });

  it('fails, rather than answering "no file", when the bucket is missing', async () => {
    const nowhere = keep(new S3BlobStore({ ...s3.settings(), bucket: 'no-such-bucket' }));
    await expect(nowhere.get('receipts/r.jpg')).rejects.toMatchObject({ name: 'NoSuchBucket' });
  });
});
