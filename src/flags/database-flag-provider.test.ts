// The provider over a real database: what OpenFeature answers for known, unknown and
// mistyped flags, and a change saved through one handle on the database reaching flags started
// on another handle within the refresh period, with no restart.
import { OpenFeature, StandardResolutionReasons } from '@openfeature/server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../db/database.js';
import { eventually } from '../test-support/eventually.js';
import { openTestDatabase, type TestDatabase } from '../test-support/database.js';
import { DatabaseFlagProvider } from './database-flag-provider.js';
import { defaultFlags, flagsOf, startFeatureFlags, type RunningFlags } from './feature-flags.js';
import { declareFlags, findFlag, saveFlag } from './flag-store.js';

let database: TestDatabase;
/** Another handle on the same database: another process's pool on PostgreSQL. */
let other: Database;
let flags: RunningFlags;
let otherFlags: RunningFlags;

beforeAll(async () => {
  database = await openTestDatabase();
  other = database.url ? await openDatabase({ kind: 'postgres', url: database.url, poolSize: 2 }) : { ...database, db: database.db.withoutPlugins(), close: async () => {} };
  flags = await startFeatureFlags(database.db);
  otherFlags = await startFeatureFlags(other.db);
});
afterAll(async () => {
  await otherFlags?.close();
  await flags?.close();
  await other?.close();
  await database?.close();
});

async function change(key: string, edit: Partial<Parameters<typeof saveFlag>[1]>) {
  const flag = await findFlag(database.db, key);
  if (!flag) throw new Error(`no flag ${key}`);
  await saveFlag(database.db, { ...flag, ...edit }, 'test', new Date());
}

describe('the database flag provider', () => {
  it('gives a flag row from before the code learned a variant that variant on start, once, keeping what the operator set', async () => {
    // As a database made before PaddleOCR came in has it, with an operator's choice on top.
    await change('ocr-engine', { variants: ['tesseract'], defaultVariant: 'tesseract', enabled: true, rules: [{ match: 'companies', ids: ['co_kept'], variant: 'tesseract' }] });
    const before = (await findFlag(database.db, 'ocr-engine'))!;
    await declareFlags(database.db);
    const after = (await findFlag(database.db, 'ocr-engine'))!;
    expect(after.variants).toEqual(['tesseract', 'paddle', 'paddle+tesseract']);
    expect({ defaultVariant: after.defaultVariant, enabled: after.enabled, rules: after.rules }).toEqual({ defaultVariant: 'tesseract', enabled: true, rules: [{ match: 'companies', ids: ['co_kept'], variant: 'tesseract' }] });
    expect(after.revision).toBe(before.revision + 1n);
    await declareFlags(database.db);
    expect((await findFlag(database.db, 'ocr-engine'))!.revision).toBe(after.revision);
    await change('ocr-engine', { rules: [] });
  });

  it('gives the code\'s defaults for a database no server started flags on', async () => {
    const elsewhere = await openTestDatabase();
    try {
      expect(flagsOf(elsewhere.db)).toBe(defaultFlags);
      expect(await flagsOf(elsewhere.db).isOn('simulator', { companyId: 'co_1' })).toBe(true);
      expect(await flagsOf(elsewhere.db).variantOf('ocr-engine', { companyId: 'co_1' })).toBe('tesseract');
    } finally {
      await elsewhere.close();
    }
  });

  it('answers through OpenFeature with the reason, and with the caller\'s default for an unknown or mistyped flag', async () => {
    const provider = new DatabaseFlagProvider(database.db);
    await OpenFeature.setProviderAndWait('provider-test', provider);
    try {
      const client = OpenFeature.getClient('provider-test');
      const known = await client.getBooleanDetails('simulator', false, { companyId: 'co_1' });
      expect(known).toMatchObject({ value: true, variant: 'on', reason: StandardResolutionReasons.DEFAULT });
      const unknown = await client.getBooleanDetails('no-such-flag', true, {});
      expect(unknown).toMatchObject({ value: true, reason: StandardResolutionReasons.ERROR, errorCode: 'FLAG_NOT_FOUND' });
      const mistyped = await client.getStringDetails('simulator', 'fallback', {});
      expect(mistyped).toMatchObject({ value: 'fallback', errorCode: 'TYPE_MISMATCH' });
    } finally {
      await provider.onClose();
    }
  });

  it('sees a change saved through another handle within the refresh period', async () => {
    expect(await otherFlags.flags.isOn('card-auto-freeze', { companyId: 'co_frozen' })).toBe(true);
    await change('card-auto-freeze', { rules: [{ match: 'companies', ids: ['co_frozen'], variant: 'off' }] });
    await eventually('the rule in the other handle\'s flags', async () => ((await otherFlags.flags.isOn('card-auto-freeze', { companyId: 'co_frozen' })) ? undefined : true));
    expect(await otherFlags.flags.isOn('card-auto-freeze', { companyId: 'co_other' })).toBe(true);
  });

  it('gives the code\'s default for a disabled flag, and a variant by percentage once enabled again', async () => {
    await change('authorization-engine', { variants: ['standard', 'batched'], rules: [{ match: 'percentage', by: 'company', percentage: 100, variant: 'standard' }], enabled: false });
    await flags.refresh();
    expect(await flags.flags.variantOf('authorization-engine', { companyId: 'co_1' })).toBe('batched');
    await change('authorization-engine', { enabled: true });
    await flags.refresh();
    expect(await flags.flags.variantOf('authorization-engine', { companyId: 'co_1' })).toBe('standard');
    // Without a company a percentage by company cannot match.
    expect(await flags.flags.variantOf('authorization-engine', {})).toBe('batched');
  });
});
