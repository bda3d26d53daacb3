// Files kept in the database's blobs table (migrations/0010_blobs.sql): every process of a
// deployment sees the same files, and the embedded mode needs nothing beside PGlite.
import { sql, type QueryExecutorProvider } from 'kysely';
import { blobBytesMax, BlobTooLargeError, checkBlob, checkKey, type BlobStoreOptions, type OwnedBlobStore } from './blob-store.js';

/**
 * Each call is a statement of its own on a connection of the pool, committed when it
 * resolves. So a caller must not hold a transaction open while it stores or reads a file:
 * on PGlite, whose pool has a single connection, that call would wait for the very
 * connection its caller holds. The services store a file before their transaction and
 * remove it after.
 */
export class DatabaseBlobStore implements OwnedBlobStore {
  readonly bytesMax: number;

  constructor(readonly db: QueryExecutorProvider, { bytesMax = blobBytesMax }: BlobStoreOptions = {}) {
    this.bytesMax = bytesMax;
  }

  async put(key: string, bytes: Buffer): Promise<void> {
    await sql`
      insert into blobs (key, bytes, byte_size) values (${checkBlob(key, bytes, this.bytesMax)}, ${bytes}, ${bytes.length})
      on conflict (key) do update set bytes = excluded.bytes, byte_size = excluded.byte_size, updated_at = now()`.execute(this.db);
  }

  /** The row gives its size always and its bytes only when they fit: node-postgres receives
   * bytea as hex text, twice the file's size, so reading a large row whole would cost several
   * times its size in memory before anything could refuse it. */
  async get(key: string): Promise<Buffer | null> {
    const result = await sql<{ byte_size: bigint; bytes: Buffer | null }>`
      select byte_size, case when byte_size <= ${this.bytesMax} then bytes end as bytes
      from blobs where key = ${checkKey(key)}`.execute(this.db);
    const row = result.rows[0];
    if (!row) return null;
    if (row.bytes === null) throw new BlobTooLargeError(key, this.bytesMax);
    return row.bytes;
  }

  async delete(key: string): Promise<void> {
    await sql`delete from blobs where key = ${checkKey(key)}`.execute(this.db);
  }

  /** The pool belongs to the database, which its opener closes. */
  async close(): Promise<void> {}
}
