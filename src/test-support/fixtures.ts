import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the workplace's shared fixtures are (scanned receipts, bank statements, the ISO 20022
 * schemas): `OUTLAY_FIXTURES_DIR` when set; else `../shared/fixtures` beside the project; else,
 * in a clone made elsewhere (CI's clean checkout), beside the repository it was cloned from.
 */
function findFixturesDir(): string {
  const fromEnv = process.env.OUTLAY_FIXTURES_DIR;
  if (fromEnv) return path.resolve(fromEnv);
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const beside = path.resolve(root, '../shared/fixtures');
  if (existsSync(beside)) return beside;
  try {
    const origin = execFileSync('git', ['-C', root, 'remote', 'get-url', 'origin'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const besideOrigin = path.resolve(origin.replace(/^file:\/\//, ''), '../shared/fixtures');
    if (existsSync(besideOrigin)) return besideOrigin;
  } catch {
    // Not a clone, or git is missing: fall through to the error below.
  }
  throw new Error(`the shared fixtures are not found: set OUTLAY_FIXTURES_DIR, or put them at ${beside}`);
}

let found: string | undefined;

/** A path inside the shared fixtures: fixturePath('banking', 'xsd', 'pain.001.001.03.xsd'). */
export function fixturePath(...parts: string[]): string {
  found ??= findFixturesDir();
  return path.join(found, ...parts);
}
