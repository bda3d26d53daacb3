import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../test-support/database.js';
import { ecbLimits } from './ecb-rates.js';
import { describeLoadedRates, loadRatesFile } from './fx.cli.js';

let database: TestDatabase;
let dir: string;
beforeAll(async () => {
  database = await openTestDatabase();
  dir = mkdtempSync(path.join(tmpdir(), 'outlay-fx-'));
});
afterAll(async () => {
  await database?.close();
});

const sample = (name: string) => fileURLToPath(new URL(`./testdata/${name}`, import.meta.url));

function writeFile(name: string, content: string | Buffer): string {
  const filePath = path.join(dir, name);
  writeFileSync(filePath, content);
  return filePath;
}

const envelope = (days: string) =>
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">\n' +
  `<Cube>\n${days}</Cube>\n</gesmes:Envelope>\n`;

async function rowCount(): Promise<number> {
  const rows = await database.db.selectFrom('fx_rates').select('quote').execute();
  return rows.length;
}

describe('loadRatesFile', () => {
  it('loads the daily file and reports the counts and the newest day', async () => {
    const loaded = await loadRatesFile(database.db, sample('eurofxref-daily.xml'));
    expect(loaded).toEqual({ days: 1, rates: 29, inserted: 29, updated: 0, unchanged: 0, latestDate: '2026-11-20' });
    expect(describeLoadedRates(loaded)).toBe('loaded 1 day, 29 rates (29 new, 0 changed, 0 unchanged), latest 2026-11-20');
  });

  it('loads the history file over it, counting the day already there as unchanged', async () => {
    const loaded = await loadRatesFile(database.db, sample('eurofxref-hist.xml'));
    expect(loaded).toEqual({ days: 3, rates: 87, inserted: 58, updated: 0, unchanged: 29, latestDate: '2026-11-20' });
  });

  it('reports the newest day whatever the order of the days in the file', async () => {
    const filePath = writeFile('oldest-first.xml', envelope("<Cube time='2026-10-01'><Cube currency='USD' rate='1.07'/></Cube>\n<Cube time='2026-10-02'><Cube currency='USD' rate='1.08'/></Cube>\n"));
    expect(await loadRatesFile(database.db, filePath)).toMatchObject({ days: 2, latestDate: '2026-10-02' });
  });

  it('refuses a malformed file naming the file and the line, and stores none of it', async () => {
    const before = await rowCount();
    const filePath = writeFile('bad-rate.xml', envelope("<Cube time='2026-09-01'>\n<Cube currency='USD' rate='1.07'/>\n<Cube currency='JPY' rate='1.6e2'/>\n</Cube>\n"));
    await expect(loadRatesFile(database.db, filePath)).rejects.toMatchObject({
      code: 'validation_failed',
      line: 6,
      message: `${filePath}, line 6: the rate of JPY: "1.6e2" is not a positive decimal such as "1.0546"`,
    });
    expect(await rowCount()).toBe(before);
  });

  it('refuses a file larger than the limit without parsing it', async () => {
    const filePath = writeFile('large.xml', envelope("<Cube time='2026-09-02'><Cube currency='USD' rate='1.07'/></Cube>\n"));
    await expect(loadRatesFile(database.db, filePath, { ...ecbLimits, bytesMax: 100 })).rejects.toMatchObject({
      code: 'payload_too_large',
      message: expect.stringContaining('an ECB rates file may have 100'),
    });
  });

  it('refuses a file that is not UTF-8', async () => {
    const filePath = writeFile('latin1.xml', Buffer.concat([Buffer.from(envelope('')), Buffer.from([0xe9, 0xff])]));
    await expect(loadRatesFile(database.db, filePath)).rejects.toMatchObject({ code: 'validation_failed', message: expect.stringContaining('is not UTF-8 text') });
  });

  it('reports a missing file as not found', async () => {
    await expect(loadRatesFile(database.db, path.join(dir, 'none.xml'))).rejects.toMatchObject({ code: 'not_found' });
  });
});
