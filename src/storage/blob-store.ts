// Where files (receipts, their thumbnails, exports, bank statement files) are kept. One
// narrow interface with three homes behind it: the database (the default), an S3 bucket, or a
// folder of this machine (open-blob-store.ts picks one from the configuration).
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

/**
 * Never called while the caller holds a database transaction open: the database store runs
 * each call on a connection of its own, and embedded PGlite has only one. Store a file
 * before the transaction that records it, and remove files after the one that forgets them.
 */
export interface BlobStore {
  /** Stores the bytes under the key, replacing what was there; durable when it resolves. */
  put(key: string, bytes: Buffer): Promise<void>;
  /** The bytes under the key, or null when there are none. */
  get(key: string): Promise<Buffer | null>;
  /** Removes the key; removing a missing key is not an error. */
  delete(key: string): Promise<void>;
}

/** A store as its opener holds it: closing releases what it keeps open (an S3 client's sockets). */
export interface OwnedBlobStore extends BlobStore {
  close(): Promise<void>;
}

/** Keys are slash-separated segments of letters, digits, '.', '_' and '-', none of them '..'. */
const keyPattern = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}(\/[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}){0,7}$/;

/** The largest file a store keeps or gives back unless it is made with a smaller bytesMax:
 * above every file limit of Outlay (receipts at most 50 MiB), and small enough to hold in
 * memory and to send as one query parameter. */
export const blobBytesMax = 100 * 1024 * 1024;

export class BlobKeyError extends Error {
  constructor(key: string) {
    super(`"${key}" is not a valid blob key`);
  }
}

export class BlobTooLargeError extends Error {
  constructor(key: string, bytesMax: number) {
    super(`the blob "${key}" is larger than ${bytesMax} bytes`);
  }
}

/** The key, if it is a valid one; every store checks it the same way. */
export function checkKey(key: string): string {
  if (!keyPattern.test(key) || key.split('/').some((segment) => segment === '..' || segment === '.')) throw new BlobKeyError(key);
  return key;
}

/** What every store is told when it is made. */
export interface BlobStoreOptions {
  /** The largest file the store keeps on put and gives back on get (blobBytesMax; tests make it
   * smaller rather than allocate hundreds of MiB). */
  bytesMax?: number;
}

/** What a put is given: a valid key and at most bytesMax bytes. */
export function checkBlob(key: string, bytes: Buffer, bytesMax: number): string {
  checkKey(key);
  if (bytes.length > bytesMax) throw new BlobTooLargeError(key, bytesMax);
  return key;
}

/**
 * Files under a root folder. A put writes a temporary file, flushes it to disk and renames
 * it into place, so a crash leaves either the old bytes or the new ones, never half a file.
 */
export class LocalBlobStore implements OwnedBlobStore {
  readonly bytesMax: number;

  constructor(readonly root: string, { bytesMax = blobBytesMax }: BlobStoreOptions = {}) {
    this.bytesMax = bytesMax;
  }

  #pathOf(key: string): string {
    return path.join(this.root, ...checkKey(key).split('/'));
  }

  async put(key: string, bytes: Buffer): Promise<void> {
    const target = this.#pathOf(checkBlob(key, bytes, this.bytesMax));
    await mkdir(path.dirname(target), { recursive: true });
    const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`; // see isTemporaryFile
    const file = await open(temporary, 'wx', 0o600);
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    try {
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  /** Looks at the size before reading. A put replaces a file by renaming another over it, so
   * the file opened here keeps the size fstat gives. */
  async get(key: string): Promise<Buffer | null> {
    let file: FileHandle;
    try {
      file = await open(this.#pathOf(key), 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    try {
      if ((await file.stat()).size > this.bytesMax) throw new BlobTooLargeError(key, this.bytesMax);
      return await file.readFile();
    } finally {
      await file.close();
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.#pathOf(key), { force: true });
  }

  async close(): Promise<void> {}
}

/** Whether a file name is one of a put's temporary files (a put under way, or one a crash cut off). */
export const isTemporaryFile = (name: string): boolean => /\.[0-9a-f]{12}\.tmp$/.test(name);
