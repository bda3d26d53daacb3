import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../test-support/database.js';
import { convert } from './convert.js';
import { parseEcbRates, type EcbDay } from './ecb-rates.js';
import { findRate, loadRates, rowsPerStatementMax } from './fx.service.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
  // 2026-11-18 (Wednesday) to 2026-11-20 (Friday), for the look-ups.
  await loadRates(database.db, sampleDays('eurofxref-hist.xml'), 'ecb');
});
afterAll(async () => {
  await database?.close();
});

const sampleDays = (name: string): EcbDay[] => parseEcbRates(readFileSync(new URL(`./testdata/${name}`, import.meta.url), 'utf8'));

/** The sample days moved to another year, so each test writes rows no other test reads. */
const inYear = (days: EcbDay[], year: number): EcbDay[] => days.map((day) => ({ ...day, date: `${year}${day.date.slice(4)}` }));

async function storedRates(firstDate: string, lastDate: string) {
  return database.db
    .selectFrom('fx_rates')
    .select(['base', 'quote', 'rate', 'rate_date', 'source', 'loaded_at'])
    .where('rate_date', '>=', firstDate)
    .where('rate_date', '<=', lastDate)
    .orderBy('rate_date')
    .orderBy('quote')
    .execute();
}

describe('loadRates', () => {
  it('stores each rate as EUR -> currency on its day with its source, counting every one as inserted', async () => {
    const counts = await loadRates(database.db, inYear(sampleDays('eurofxref-hist.xml'), 2030), 'ecb');
    expect(counts).toEqual({ days: 3, rates: 87, inserted: 87, updated: 0, unchanged: 0 });
    const rows = await storedRates('2030-01-01', '2030-12-31');
    expect(rows).toHaveLength(87);
    expect(rows.every((row) => row.base === 'EUR' && row.source === 'ecb')).toBe(true);
    expect(rows.find((row) => row.quote === 'USD' && row.rate_date === '2030-11-19')?.rate).toBe('1.0557000000');
  });

  it('leaves rates loaded again unchanged, and says so', async () => {
    const days = inYear(sampleDays('eurofxref-daily.xml'), 2031);
    await loadRates(database.db, days, 'ecb');
    const before = await storedRates('2031-01-01', '2031-12-31');
    expect(await loadRates(database.db, days, 'ecb')).toEqual({ days: 1, rates: 29, inserted: 0, updated: 0, unchanged: 29 });
    expect(await storedRates('2031-01-01', '2031-12-31')).toEqual(before);
  });

  it('replaces a corrected rate, or one from another source, and counts it as updated', async () => {
    const [day] = inYear(sampleDays('eurofxref-daily.xml'), 2032);
    await loadRates(database.db, [day!], 'ecb');
    const corrected = { ...day!, rates: day!.rates.map((rate) => (rate.currency === 'USD' ? { ...rate, rate: '1.0551' } : rate)) };
    expect(await loadRates(database.db, [corrected], 'ecb')).toEqual({ days: 1, rates: 29, inserted: 0, updated: 1, unchanged: 28 });
    expect(await loadRates(database.db, [corrected], 'ecb-correction')).toEqual({ days: 1, rates: 29, inserted: 0, updated: 29, unchanged: 0 });
    const usd = (await storedRates('2032-01-01', '2032-12-31')).find((row) => row.quote === 'USD');
    expect(usd).toMatchObject({ rate: '1.0551000000', source: 'ecb-correction' });
  });

  it('writes a load larger than one statement holds, all of it', async () => {
    const dates = Array.from({ length: Math.ceil((2 * rowsPerStatementMax + 1) / 29) }, (_, index) => new Date(Date.UTC(2033, 0, 1 + index)).toISOString().slice(0, 10));
    const [template] = sampleDays('eurofxref-daily.xml');
    const days = dates.map((date) => ({ date, rates: template!.rates }));
    const counts = await loadRates(database.db, days, 'ecb');
    expect(counts).toMatchObject({ rates: days.length * 29, inserted: days.length * 29 });
    expect(counts.rates).toBeGreaterThan(2 * rowsPerStatementMax);
    const { rows } = await sql<{ count: bigint }>`select count(*) as count from fx_rates where rate_date between '2033-01-01' and '2034-12-31'`.execute(database.db);
    expect(rows[0]!.count).toBe(BigInt(days.length * 29));
  });

  it.each([
    ['a rate that is not a positive decimal', [{ currency: 'USD', rate: '0' }], 'the rate of USD on 2035-01-02'],
    ['the same currency twice in a day', [{ currency: 'USD', rate: '1.05' }, { currency: 'USD', rate: '1.06' }], 'two rates of USD on 2035-01-02'],
    ['a rate for the euro', [{ currency: 'EUR', rate: '1' }], 'EUR -> EUR'],
  ])('refuses %s and writes none of the days', async (_case, badRates, message) => {
    const days = [
      { date: '2035-01-01', rates: [{ currency: 'USD', rate: '1.05' }] },
      { date: '2035-01-02', rates: badRates },
    ];
    await expect(loadRates(database.db, days, 'ecb')).rejects.toMatchObject({ code: 'validation_failed', message: expect.stringContaining(message) });
    expect(await storedRates('2035-01-01', '2035-12-31')).toEqual([]);
  });

  it('refuses a currency it does not know and an impossible day', async () => {
    await expect(loadRates(database.db, [{ date: '2035-02-01', rates: [{ currency: 'XYZ', rate: '1.05' }] }], 'ecb')).rejects.toMatchObject({ code: 'unknown_currency' });
    await expect(loadRates(database.db, [{ date: '2035-02-30', rates: [{ currency: 'USD', rate: '1.05' }] }], 'ecb')).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(loadRates(database.db, [], '')).rejects.toMatchObject({ code: 'validation_failed', field: 'source' });
  });
});

describe('findRate', () => {
  it('finds EUR -> X as published on the day', async () => {
    expect(await findRate(database.db, 'EUR', 'USD', '2026-11-19')).toEqual({ from: 'EUR', to: 'USD', rate: '1.0557', rateDate: '2026-11-19', derivation: 'direct' });
  });

  it("uses Friday's rates for a purchase on Sunday", async () => {
    expect(await findRate(database.db, 'EUR', 'USD', '2026-11-22')).toMatchObject({ rate: '1.0546', rateDate: '2026-11-20' });
  });

  it('inverts X -> EUR, rounded half up to 10 decimals', async () => {
    expect(await findRate(database.db, 'DKK', 'EUR', '2026-11-20')).toEqual({ from: 'DKK', to: 'EUR', rate: '0.1340410702', rateDate: '2026-11-20', derivation: 'inverse' });
  });

  it('crosses X -> Y through the euro: USD -> DKK = EURDKK / EURUSD', async () => {
    expect(await findRate(database.db, 'USD', 'DKK', '2026-11-20')).toEqual({ from: 'USD', to: 'DKK', rate: '7.074151337', rateDate: '2026-11-20', derivation: 'cross' });
    expect(await findRate(database.db, 'GBP', 'JPY', '2026-11-21')).toMatchObject({ rate: '196.3481290168', rateDate: '2026-11-20' });
  });

  it('gives 1 between a currency and itself without any rate loaded', async () => {
    expect(await findRate(database.db, 'AED', 'AED', '1990-01-01')).toEqual({ from: 'AED', to: 'AED', rate: '1', rateDate: '1990-01-01', derivation: 'same_currency' });
  });

  it('reports fx_rate_missing, naming the pair and the day, before the first rate loaded', async () => {
    await expect(findRate(database.db, 'EUR', 'USD', '2026-11-17')).rejects.toMatchObject({
      code: 'fx_rate_missing',
      message: expect.stringMatching(/EUR -> USD rate for 2026-11-17/),
    });
  });

  it('reports fx_rate_missing for a currency the ECB does not publish', async () => {
    await expect(findRate(database.db, 'USD', 'AED', '2026-11-20')).rejects.toMatchObject({ code: 'fx_rate_missing', message: expect.stringContaining('USD -> AED') });
  });

  it('counts a rate older than 7 days as missing, unless told to accept older ones', async () => {
    expect(await findRate(database.db, 'EUR', 'JPY', '2026-11-27')).toMatchObject({ rate: '163.45', rateDate: '2026-11-20' });
    await expect(findRate(database.db, 'EUR', 'JPY', '2026-11-28')).rejects.toMatchObject({ code: 'fx_rate_missing' });
    expect(await findRate(database.db, 'EUR', 'JPY', '2026-11-28', { rateAgeDaysMax: 30 })).toMatchObject({ rateDate: '2026-11-20' });
  });

  it('takes both legs of a cross rate from the latest day that has both', async () => {
    await loadRates(database.db, [
      { date: '2027-03-02', rates: [{ currency: 'USD', rate: '1.1' }] },
      { date: '2027-03-01', rates: [{ currency: 'USD', rate: '1.2' }, { currency: 'DKK', rate: '7.2' }] },
    ], 'ecb');
    expect(await findRate(database.db, 'EUR', 'USD', '2027-03-02')).toMatchObject({ rate: '1.1', rateDate: '2027-03-02' });
    expect(await findRate(database.db, 'USD', 'DKK', '2027-03-02')).toMatchObject({ rate: '6', rateDate: '2027-03-01' });
  });

  it('refuses an unknown currency and a day that is not a date', async () => {
    await expect(findRate(database.db, 'EUR', 'XYZ', '2026-11-20')).rejects.toMatchObject({ code: 'unknown_currency', field: 'to' });
    await expect(findRate(database.db, 'EUR', 'USD', '2026-11-31')).rejects.toMatchObject({ code: 'validation_failed', field: 'onDate' });
  });

  it('gives the rate a JPY purchase on a Sunday is converted into a EUR wallet with', async () => {
    const found = await findRate(database.db, 'JPY', 'EUR', '2026-11-22');
    expect(found).toMatchObject({ rate: '0.0061180789', rateDate: '2026-11-20' });
    expect(convert(5_000n, 'JPY', 'EUR', found.rate, 150)).toEqual({ amount: 3_105n, appliedRate: '0.0062098501' });
  });
});
