// All SQL of the FX module. fx_rates is global reference data shared by every company; the
// ECB quotes every rate against the euro, so the rows written here all have base 'EUR'.
import { sql } from 'kysely';
import type { Db } from '../db/database.js';

export interface EurRateToStore {
  quote: string;
  /** Exact decimal string. */
  rate: string;
  rateDate: string;
}

export interface EurRateRow {
  quote: string;
  /** numeric(24, 10) as PostgreSQL writes it: "1.0546000000". */
  rate: string;
  rate_date: string;
}

export interface UpsertCounts {
  inserted: number;
  updated: number;
}

/**
 * Writes EUR -> quote rates in one statement. A rate already stored with the same value and
 * source is left as it is and counted in neither number; a different value (the ECB corrects a
 * published rate now and then) or source replaces it. The rows must not repeat a (quote, date).
 */
export async function upsertEurRates(db: Db, rows: readonly EurRateToStore[], source: string): Promise<UpsertCounts> {
  // One array parameter per column keeps a batch of thousands of rows to three parameters.
  // In RETURNING, xmax is 0 on a row the statement inserted and the updating transaction's
  // id on a row it updated (the documented idiom for telling the two apart in an upsert).
  const result = await sql<{ inserted: bigint; updated: bigint }>`
    with written as (
      insert into fx_rates as stored (base, quote, rate, rate_date, source)
      select 'EUR', incoming.quote, incoming.rate, incoming.rate_date, ${source}
      from unnest(${rows.map((row) => row.quote)}::text[], ${rows.map((row) => row.rate)}::numeric[], ${rows.map((row) => row.rateDate)}::date[])
        as incoming (quote, rate, rate_date)
      on conflict (base, quote, rate_date) do update
        set rate = excluded.rate, source = excluded.source, loaded_at = now()
        where stored.rate <> excluded.rate or stored.source <> excluded.source
      returning (stored.xmax = 0) as inserted
    )
    select count(*) filter (where inserted) as inserted, count(*) filter (where not inserted) as updated
    from written
  `.execute(db);
  const counts = result.rows[0]!;
  return { inserted: Number(counts.inserted), updated: Number(counts.updated) };
}

/** The EUR -> quote rates of the given currencies published from `firstDate` to `lastDate`
 * (both included), newest first. */
export async function listEurRates(db: Db, quotes: readonly string[], firstDate: string, lastDate: string): Promise<EurRateRow[]> {
  if (quotes.length === 0) return [];
  return db
    .selectFrom('fx_rates')
    .select(['quote', 'rate', 'rate_date'])
    .where('base', '=', 'EUR')
    .where('quote', 'in', [...quotes])
    .where('rate_date', '>=', firstDate)
    .where('rate_date', '<=', lastDate)
    .orderBy('rate_date', 'desc')
    .orderBy('quote')
    .execute();
}

/** The newest rate date of each currency quoted against the euro. */
export async function latestEurRateDates(db: Db): Promise<{ quote: string; rate_date: string }[]> {
  return db.selectFrom('fx_rates').select(['quote', (eb) => eb.fn.max('rate_date').as('rate_date')]).where('base', '=', 'EUR').groupBy('quote').orderBy('quote').execute();
}
