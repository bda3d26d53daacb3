// `outlay fx load FILE`: loads an ECB reference rates file (eurofxref-daily.xml or
// eurofxref-hist.xml as downloaded from the ECB) into fx_rates.
import { open } from 'node:fs/promises';
import type { Db } from '../db/database.js';
import { DomainError } from '../shared/errors.js';
import { EcbRatesError, ecbLimits, parseEcbRates, type EcbLimits } from './ecb-rates.js';
import { loadRates, type LoadCounts } from './fx.service.js';

export const ecbSource = 'ecb';

export interface LoadedRatesFile extends LoadCounts {
  /** The newest day in the file. */
  latestDate: string;
}

/** Reads, checks and stores a rates file; nothing is stored unless all of it is valid. */
export async function loadRatesFile(db: Db, filePath: string, limits: EcbLimits = ecbLimits): Promise<LoadedRatesFile> {
  const text = await readRatesFile(filePath, limits.bytesMax);
  let days;
  try {
    days = parseEcbRates(text, limits);
  } catch (error) {
    throw error instanceof EcbRatesError ? error.inFile(filePath) : error;
  }
  const counts = await loadRates(db, days, ecbSource);
  const latestDate = days.reduce((latest, day) => (day.date > latest ? day.date : latest), days[0]!.date);
  return { ...counts, latestDate };
}

/** One line for the operator: "loaded 3 days, 87 rates (87 new, 0 changed, 0 unchanged), latest 2026-11-20". */
export function describeLoadedRates(loaded: LoadedRatesFile): string {
  const days = loaded.days === 1 ? '1 day' : `${loaded.days} days`;
  return `loaded ${days}, ${loaded.rates} rates (${loaded.inserted} new, ${loaded.updated} changed, ${loaded.unchanged} unchanged), latest ${loaded.latestDate}`;
}

async function readRatesFile(filePath: string, bytesMax: number): Promise<string> {
  let file;
  try {
    file = await open(filePath, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new DomainError('not_found', `${filePath}: no such file`);
    throw error;
  }
  try {
    const size = (await file.stat()).size;
    if (size > bytesMax) throw new DomainError('payload_too_large', `${filePath} has ${size} bytes; an ECB rates file may have ${bytesMax}`);
    // Read one byte beyond the limit, so a file that grew since stat() is still refused.
    const buffer = Buffer.alloc(Math.min(size, bytesMax) + 1);
    const { bytesRead } = await file.read(buffer, 0, buffer.length, 0);
    if (bytesRead > bytesMax) throw new DomainError('payload_too_large', `${filePath} has more than ${bytesMax} bytes; an ECB rates file may have ${bytesMax}`);
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(buffer.subarray(0, bytesRead));
    } catch {
      throw new DomainError('validation_failed', `${filePath} is not UTF-8 text`);
    }
  } finally {
    await file.close();
  }
}
