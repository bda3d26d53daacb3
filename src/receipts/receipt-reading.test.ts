// The receipt reader with each OCR engine, on a real scanned receipt of the shared fixtures
// and the real models, and the `ocr-engine` flag choosing the engine company by company on a
// real database.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeatureFlags, type RunningFlags } from '../flags/feature-flags.js';
import { findFlag, saveFlag } from '../flags/flag-store.js';
import { openTestDatabase, type TestDatabase } from '../test-support/database.js';
import { fixturePath } from '../test-support/fixtures.js';
import { createCompany } from '../companies/companies.service.js';
import { addActivePerson } from '../people/people.service.js';
import { newId } from '../shared/ids.js';
import { testPasswordCost } from '../test-support/server.js';
import { createReceiptReader, ocrEngineOf, readReceiptGaveUp } from './receipt-reading.js';

const today = new Date('2026-12-07T00:00:00Z');
/** Reading on a busy shared machine: PaddleOCR's first read also loads its models. */
const readTimeoutMs = 120_000;

describe('reading a scanned receipt with each engine', () => {
  const reader = createReceiptReader(1, readTimeoutMs);
  afterAll(() => reader.close());

  it.each(['paddle', 'paddle+tesseract'] as const)('reads the total and the date with %s', async (engine) => {
    const scan = await readFile(fixturePath('receipts-sroie', 'img', '103.jpg'));
    const read = await reader.read(scan, 'image/jpeg', today, engine, 'en-GB');
    expect(read).toMatchObject({ total: '148.40', date: '2017-12-28', source: 'image' });
  }, readTimeoutMs);
});

describe('the ocr-engine flag', () => {
  let database: TestDatabase;
  let flags: RunningFlags;
  beforeAll(async () => {
    database = await openTestDatabase();
    flags = await startFeatureFlags(database.db);
  });
  afterAll(async () => {
    await flags?.close();
    await database?.close();
  });

  it('gives PaddleOCR to the company a rule names and Tesseract to the others', async () => {
    const flag = await findFlag(database.db, 'ocr-engine');
    if (!flag) throw new Error('the ocr-engine flag was not declared');
    expect(flag.variants).toEqual(['tesseract', 'paddle', 'paddle+tesseract']);
    await saveFlag(database.db, { ...flag, rules: [{ match: 'companies', ids: ['co_paddle'], variant: 'paddle' }] }, 'test', today);
    await flags.refresh();
    expect(await ocrEngineOf(database.db, 'co_paddle')).toBe('paddle');
    expect(await ocrEngineOf(database.db, 'co_other')).toBe('tesseract');
  });

  it('reads with Tesseract, and says so, when the flag names an engine this version lacks', async () => {
    const flag = await findFlag(database.db, 'ocr-engine');
    if (!flag) throw new Error('the ocr-engine flag was not declared');
    await saveFlag(database.db, { ...flag, variants: [...flag.variants, 'easyocr'], rules: [{ match: 'companies', ids: ['co_new'], variant: 'easyocr' }] }, 'test', today);
    await flags.refresh();
    const warnings: object[] = [];
    expect(await ocrEngineOf(database.db, 'co_new', { warn: (details) => warnings.push(details) })).toBe('tesseract');
    expect(warnings).toEqual([{ companyId: 'co_new', variant: 'easyocr', engine: 'tesseract' }]);
  });
});

describe('a reading the job queue gave up on', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(async () => {
    await database?.close();
  });

  it('fails a receipt still reading or queued, with why, and leaves one read meanwhile as it is', async () => {
    const { db } = database;
    const company = await createCompany(db, { name: 'Cut Off', currency: 'EUR', timeZone: 'Europe/Copenhagen' });
    const person = await addActivePerson(db, company.id, { email: 'cut@off.test', name: 'Cut', roles: ['admin'], password: 'a-long-enough-password' }, testPasswordCost);
    const receipt = async (readState: 'reading' | 'queued' | 'read') => {
      const id = newId('receipt');
      await db.insertInto('receipts').values({
        company_id: company.id, id, user_id: person.id, source: 'upload', media_type: 'image/jpeg', byte_size: 1, original_sha256: id, blob_key: `k/${id}`,
        read_state: readState, confidence: JSON.stringify({}), match_state: 'unmatched', suggestions: JSON.stringify([]), mismatches: JSON.stringify([]),
      }).execute();
      return id;
    };
    const [reading, queued, read] = [await receipt('reading'), await receipt('queued'), await receipt('read')];
    const gaveUp = readReceiptGaveUp({ db }, { now: () => today });
    for (const receiptId of [reading, queued, read]) await gaveUp({ companyId: company.id, receiptId });
    const rows = await db.selectFrom('receipts').select(['id', 'read_state', 'read_error']).where('company_id', '=', company.id).execute();
    const byId = new Map(rows.map((row) => [row.id, row]));
    expect(byId.get(reading)).toMatchObject({ read_state: 'failed', read_error: expect.stringContaining('cut off') });
    expect(byId.get(queued)).toMatchObject({ read_state: 'failed' });
    expect(byId.get(read)).toMatchObject({ read_state: 'read', read_error: null });
  });
});
