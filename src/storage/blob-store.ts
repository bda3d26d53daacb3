// Where files (receipts, their thumbnails, later exports) are kept. One narrow interface so
// an object store can replace the local disk without the callers noticing.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';

export interface BlobStore {
  /** Stores the bytes under the key, replacing what was there; durable when it resolves. */
  put(key: string, bytes: Buffer): Promise<void>;
  /** The bytes under the key, or null when there are none. */
  get(key: string): Promise<Buffer | null>;
  /** Removes the key; removing a missing key is not an error. */
  delete(key: string): Promise<void>;
}

/** Keys are slash-separated segments of letters, digits, '.', '_' and '-', none of them '..'. */
const keyPattern = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}(\/[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}){0,7}$/;

export class BlobKeyError extends Error {
  constructor(key: string) {
    super(`"${key}" is not a valid blob key`);
  }
}

function checkKey(key: string): string {
  if (!keyPattern.test(key) || key.split('/').some((segment) => segment === '..' || segment === '.')) throw new BlobKeyError(key);
  return key;
}

/**
 * Files under a root folder. A put writes a temporary file, flushes it to disk and renames
 * it into place, so a crash leaves either the old bytes or the new ones, never half a file.
 */
export class LocalBlobStore implements BlobStore {
  constructor(readonly root: string) {}

  #pathOf(key: string): string {
    return path.join(this.root, ...checkKey(key).split('/'));
  }

  async put(key: string, bytes: Buffer): Promise<void> {
    const target = this.#pathOf(key);
    await mkdir(path.dirname(target), { recursive: true });
    const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
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

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.#pathOf(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.#pathOf(key), { force: true });
  }
}
