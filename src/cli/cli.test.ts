// The operator's commands, run in-process against a real embedded database in a temporary
// data directory (or a throw-away PostgreSQL database when DATABASE_URL is set).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/database.js';
import { openTestDatabase, type TestDatabase } from '../test-support/database.js';
import { main } from './main.js';

interface Run {
  code: number;
  out: string;
  err: string;
}

let env: Record<string, string>;
let serverDatabase: TestDatabase | null = null;

beforeAll(async () => {
  env = { OUTLAY_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'outlay-cli-')), OUTLAY_DEMO: '0', LOG_LEVEL: 'silent' };
  if (process.env.DATABASE_URL) {
    serverDatabase = await openTestDatabase();
    env.DATABASE_URL = serverDatabase.url!;
  }
});
afterAll(async () => {
  await serverDatabase?.close();
});

async function run(...argv: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (text) => out.push(text), err: (text) => err.push(text), env });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function withDb<T>(work: (db: Awaited<ReturnType<typeof openDatabase>>['db']) => Promise<T>): Promise<T> {
  const database = await openDatabase(
    env.DATABASE_URL ? { kind: 'postgres', url: env.DATABASE_URL, poolSize: 2 } : { kind: 'pglite', dataDir: path.join(env.OUTLAY_DATA_DIR!, 'pglite') },
  );
  try {
    return await work(database.db);
  } finally {
    await database.close();
  }
}

describe('outlay CLI', () => {
  it('prints help listing its commands', async () => {
    const result = await run('--help');
    expect(result.code).toBe(0);
    for (const command of ['serve', 'migrate', 'companies', 'ledger']) expect(result.out).toContain(command);
  });

  it('migrates once and then reports the schema current', async () => {
    const first = await run('migrate');
    expect(first.code).toBe(0);
    const second = await run('migrate');
    expect(second).toMatchObject({ code: 0 });
    expect(second.out).toMatch(/schema is current/);
  });

  it('creates a company with an invited admin and lists it as JSON', async () => {
    const created = await run('companies', 'create', '--name', 'Fjord Works', '--currency', 'DKK', '--admin-email', 'ops@fjord.test', '--admin-name', 'Olga', '--json');
    expect(created.code).toBe(0);
    const { id, invitationUrl } = JSON.parse(created.out) as { id: string; invitationUrl: string };
    expect(invitationUrl).toContain('/invite/');
    const listed = await run('companies', 'list', '--json');
    expect(listed.code).toBe(0);
    const companies = JSON.parse(listed.out) as { id: string; name: string; currency: string; people: number }[];
    expect(companies).toContainEqual(expect.objectContaining({ id, name: 'Fjord Works', currency: 'DKK', people: 1 }));
  });

  it('refuses an unknown currency without a stack trace', async () => {
    const result = await run('companies', 'create', '--name', 'X', '--currency', 'XYZ', '--admin-email', 'a@b.test', '--admin-name', 'A');
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/XYZ.*ISO 4217/);
    expect(result.err).not.toMatch(/at .*\.ts:\d+/);
  });

  it('verifies a healthy ledger and exits 0', async () => {
    const result = await run('ledger', 'verify');
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/ledger ok/);
  });

  it('names the first broken invariant and exits 1 when a balance was tampered with', async () => {
    await withDb(async (db) => {
      await sql`update ledger_accounts set debits_posted = debits_posted + 1 where code = 'wallet'`.execute(db);
    });
    const result = await run('ledger', 'verify');
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/posted_balance_mismatch.*wallet/);
    const json = await run('ledger', 'verify', '--json');
    expect(JSON.parse(json.out)).toMatchObject({ ok: false, violations: [expect.objectContaining({ invariant: 'posted_balance_mismatch' })] });
    await withDb(async (db) => {
      await sql`update ledger_accounts set debits_posted = debits_posted - 1 where code = 'wallet'`.execute(db);
    });
  });

  it('loads ECB reference rates from a file, and again without changing anything', async () => {
    const file = path.resolve('src/fx/testdata/eurofxref-daily.xml');
    const first = await run('fx', 'load', file, '--json');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.out)).toMatchObject({ days: 1, inserted: 29, latestDate: '2026-11-20' });
    const again = await run('fx', 'load', file);
    expect(again.out).toMatch(/0 new, 0 changed, 29 unchanged/);
    const broken = await run('fx', 'load', path.resolve('package.json'));
    expect(broken.code).toBe(1);
  });

  it('stops with exit 2 and names a wrong setting', async () => {
    const out: string[] = [];
    const code = await main(['migrate'], { out: () => undefined, err: (text) => out.push(text), env: { ...env, PORT: 'x' } });
    expect(code).toBe(2);
    expect(out.join('')).toContain('PORT');
  });
});
