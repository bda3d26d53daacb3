// PGlite is a single-process database: two processes opening one data directory would
// corrupt it. A lock file naming the owning process keeps a second one out.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface DataDirLock {
  release(): void;
}

export class DataDirLockedError extends Error {
  constructor(dataDir: string, pid: number) {
    super(
      `the embedded database in ${dataDir} is in use by process ${pid}; stop it first ` +
        '(or point DATABASE_URL at a PostgreSQL server, which many processes can share)',
    );
    this.name = 'DataDirLockedError';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function acquireDataDirLock(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(path.dirname(dataDir), `${path.basename(dataDir)}.lock`);
  try {
    writeFileSync(file, String(process.pid), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const owner = Number(readFileSync(file, 'utf8'));
    if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner)) {
      throw new DataDirLockedError(dataDir, owner);
    }
    // The owner is gone without cleaning up: take the lock over.
    writeFileSync(file, String(process.pid));
  }
  let held = true;
  const releaseAtExit = () => rmSync(file, { force: true });
  const release = () => {
    if (!held) return;
    held = false;
    process.off('exit', releaseAtExit);
    rmSync(file, { force: true });
  };
  process.once('exit', releaseAtExit);
  return { release };
}
