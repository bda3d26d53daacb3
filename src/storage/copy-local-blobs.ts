// Moving an install's files from the folder they were kept in before there was a choice of
// store (OUTLAY_DATA_DIR/blobs) into the configured one: `outlay blobs copy --from-dir`.
import { constants } from 'node:fs';
import { lstat, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { blobBytesMax, BlobKeyError, checkKey, isTemporaryFile, type BlobStore } from './blob-store.js';

export interface BlobCopyReport {
  copied: number;
  bytes: number;
  /** Files left where they are, each with why: not a key any store takes, not a regular file
   * (a symbolic link, a socket, ...), or too large. */
  skipped: { file: string; reason: string }[];
}

/** Folders deeper than a key can be (eight segments) hold nothing a store wrote. */
const folderDepthMax = 8;

/** What lies under the folder (but the temporary files of puts), as paths relative to it
 * with '/' between the parts; a folder deeper than any key is listed as itself. */
async function filesUnder(root: string, relative: string[] = []): Promise<string[]> {
  const entries = await readdir(path.join(root, ...relative), { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const parts = [...relative, entry.name];
    if (entry.isDirectory() && parts.length < folderDepthMax) files.push(...(await filesUnder(root, parts)));
    else if (!isTemporaryFile(entry.name)) files.push(parts.join('/'));
  }
  return files;
}

/**
 * Copies each file of the folder into the store under the key its path names, one at a
 * time, replacing what the store has under that key: running it again after an
 * interruption copies everything again and ends in the same state. The folder is left as
 * it was; remove it once the copy is checked.
 */
export async function copyLocalBlobs(fromDir: string, target: BlobStore, onCopied: (key: string) => void = () => undefined): Promise<BlobCopyReport> {
  const report: BlobCopyReport = { copied: 0, bytes: 0, skipped: [] };
  for (const file of await filesUnder(fromDir)) {
    const full = path.join(fromDir, ...file.split('/'));
    try {
      checkKey(file);
    } catch (error) {
      if (!(error instanceof BlobKeyError)) throw error;
      report.skipped.push({ file, reason: 'not a blob key' });
      continue;
    }
    // A symbolic link is not followed: it could lead out of the folder to any file this
    // user may read, and the store would then serve that file as if it were an upload.
    const info = await lstat(full);
    if (!info.isFile()) {
      report.skipped.push({ file, reason: 'not a regular file' });
      continue;
    }
    if (info.size > blobBytesMax) {
      report.skipped.push({ file, reason: `larger than ${blobBytesMax} bytes` });
      continue;
    }
    // O_NOFOLLOW: a link put in the file's place since lstat is refused, not read through.
    const bytes = await readFile(full, { flag: constants.O_RDONLY | constants.O_NOFOLLOW });
    await target.put(file, bytes);
    report.copied += 1;
    report.bytes += bytes.length;
    onCopied(file);
  }
  return report;
}
