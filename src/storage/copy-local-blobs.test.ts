// Copying a folder in the old layout into a store: what is copied, and what is left where it
// is. The target is a folder store, the one home that needs no server.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalBlobStore } from './blob-store.js';
import { copyLocalBlobs } from './copy-local-blobs.js';

const freshFolder = () => mkdtempSync(path.join(tmpdir(), 'outlay-copy-blobs-'));

describe('copyLocalBlobs', () => {
  it('copies regular files and skips symbolic links, to a file or a folder outside the folder, without reading through them', async () => {
    const outside = freshFolder();
    writeFileSync(path.join(outside, 'secrets.json'), '{"key":"do not copy"}');
    mkdirSync(path.join(outside, 'elsewhere'));
    writeFileSync(path.join(outside, 'elsewhere', 'exp_1.csv'), 'not ours');

    const from = freshFolder();
    mkdirSync(path.join(from, 'receipts', 'cmp_d'), { recursive: true });
    writeFileSync(path.join(from, 'receipts', 'cmp_d', 'rct_1.pdf'), '%PDF');
    symlinkSync(path.join(outside, 'secrets.json'), path.join(from, 'receipts', 'cmp_d', 'rct_2.pdf'));
    mkdirSync(path.join(from, 'exports'));
    symlinkSync(path.join(outside, 'elsewhere'), path.join(from, 'exports', 'cmp_d'));

    const target = new LocalBlobStore(freshFolder());
    const report = await copyLocalBlobs(from, target);

    expect(report).toEqual({
      copied: 1,
      bytes: 4,
      skipped: [
        { file: 'exports/cmp_d', reason: 'not a regular file' },
        { file: 'receipts/cmp_d/rct_2.pdf', reason: 'not a regular file' },
      ],
    });
    expect((await target.get('receipts/cmp_d/rct_1.pdf'))?.toString()).toBe('%PDF');
    expect(await target.get('receipts/cmp_d/rct_2.pdf')).toBeNull();
    expect(await target.get('exports/cmp_d/exp_1.csv')).toBeNull();
  });
});
