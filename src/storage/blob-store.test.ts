import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BlobKeyError, LocalBlobStore } from './blob-store.js';

const freshStore = () => new LocalBlobStore(mkdtempSync(path.join(tmpdir(), 'outlay-blobs-')));

describe('LocalBlobStore', () => {
  it('gives back what was put, replaces it on a second put, and forgets it on delete', async () => {
    const store = freshStore();
    await store.put('receipts/cmp_1/rct_1.jpg', Buffer.from('first'));
    expect((await store.get('receipts/cmp_1/rct_1.jpg'))?.toString()).toBe('first');
    await store.put('receipts/cmp_1/rct_1.jpg', Buffer.from('second'));
    expect((await store.get('receipts/cmp_1/rct_1.jpg'))?.toString()).toBe('second');
    await store.delete('receipts/cmp_1/rct_1.jpg');
    expect(await store.get('receipts/cmp_1/rct_1.jpg')).toBeNull();
    await store.delete('receipts/cmp_1/rct_1.jpg');
  });

  it('leaves no temporary files behind and keeps files private to the owner', async () => {
    const store = freshStore();
    await store.put('a/b.bin', Buffer.alloc(10));
    expect(readdirSync(path.join(store.root, 'a'))).toEqual(['b.bin']);
    expect(statSync(path.join(store.root, 'a', 'b.bin')).mode & 0o077).toBe(0);
  });

  it.each(['../secrets.json', 'a/../../b', '/etc/passwd', 'a//b', 'a/./b', '', 'a\\b', 'a/b c'])('refuses the key %j', async (key) => {
    const store = freshStore();
    await expect(store.put(key, Buffer.from('x'))).rejects.toBeInstanceOf(BlobKeyError);
    await expect(store.get(key)).rejects.toBeInstanceOf(BlobKeyError);
  });
});
