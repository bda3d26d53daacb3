// `outlay flags` run in-process against a real database in a temporary data directory (or a
// throw-away PostgreSQL database when DATABASE_URL is set).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../cli/main.js';
import { openDatabase, type Db } from '../db/database.js';
import { openTestDatabase, type TestDatabase } from '../test-support/database.js';

let env: Record<string, string>;
let serverDatabase: TestDatabase | null = null;

beforeAll(async () => {
  env = { OUTLAY_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'outlay-flags-cli-')), OUTLAY_DEMO: '0', LOG_LEVEL: 'silent' };
  if (process.env.DATABASE_URL) {
    serverDatabase = await openTestDatabase();
    env.DATABASE_URL = serverDatabase.url!;
  }
});
afterAll(async () => {
  await serverDatabase?.close();
});

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (text) => out.push(text), err: (text) => err.push(text), env });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function withDb<T>(work: (db: Db) => Promise<T>): Promise<T> {
  const database = await openDatabase(env.DATABASE_URL ? { kind: 'postgres', url: env.DATABASE_URL, poolSize: 2 } : { kind: 'pglite', dataDir: path.join(env.OUTLAY_DATA_DIR!, 'pglite') });
  try {
    return await work(database.db);
  } finally {
    await database.close();
  }
}

describe('outlay flags', () => {
  it('lists the flags the code declares, on a database no server has started on', async () => {
    const listed = await run('flags', 'list');
    expect(listed.code).toBe(0);
    const keys = listed.out.split('\n').map((line) => line.split('\t')[0]);
    expect(keys).toEqual(['authorization-engine', 'card-auto-freeze', 'ocr-engine', 'simulator']);
    expect(listed.out).toContain('simulator\tboolean\tenabled\tdefault on\t0 rules');
  });

  it('turns a flag off for two companies, shows it, and records the change as the command line\'s', async () => {
    const set = await run('flags', 'set', 'simulator', '--companies', 'co_a,co_b', '--variant', 'off');
    expect(set.code, set.err).toBe(0);
    expect(set.out).toContain('1. companies co_a, co_b -> off');
    const shown = await run('flags', 'show', 'simulator');
    expect(shown.out).toContain('1. companies co_a, co_b -> off');
    expect(shown.out).toContain('by cli');

    const audit = await withDb((db) =>
      db.selectFrom('audit_events').innerJoin('companies', 'companies.id', 'audit_events.company_id').select(['audit_events.actor_type', 'audit_events.details', 'companies.is_platform']).where('action', '=', 'feature_flag.updated').execute());
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_type: 'system', is_platform: true, details: { via: 'cli', before: { rules: [] }, after: { rules: [{ match: 'companies', ids: ['co_a', 'co_b'], variant: 'off' }] } } });
  });

  it('adds a percentage rollout after the existing rules, and clears them on request', async () => {
    const added = await run('flags', 'set', 'authorization-engine', '--variants', 'standard,batched', '--percentage', '25', '--variant', 'batched');
    expect(added.code, added.err).toBe(0);
    expect(added.out).toContain('1. 25 % of companies -> batched');
    const cleared = await run('flags', 'set', 'authorization-engine', '--clear-rules', '--disabled');
    expect(cleared.code, cleared.err).toBe(0);
    expect(cleared.out).toContain('rules: none');
    expect(cleared.out).toContain('disabled');
  });

  it('refuses what is not a flag\'s variant, a rule without one, and a percentage out of range', async () => {
    const wrongDefault = await run('flags', 'set', 'ocr-engine', '--default', 'nope');
    expect(wrongDefault).toMatchObject({ code: 1, err: 'outlay: the default variant must be one of tesseract, paddle, paddle+tesseract' });
    expect((await run('flags', 'set', 'simulator', '--roles', 'employee')).err).toContain('needs --variant');
    expect((await run('flags', 'set', 'simulator', '--percentage', '101', '--variant', 'off')).code).toBe(2);
    expect((await run('flags', 'show', 'no-such-flag')).err).toBe('outlay: feature flag no-such-flag was not found');
  });
});
