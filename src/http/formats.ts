// The string formats the API's schemas name, as PostgreSQL and JavaScript can hold them.
// ajv-formats checks RFC 3339 (a real calendar day, a real time), which allows what neither
// can: the year 0000, which PostgreSQL refuses (SQLSTATE 22008), and a leap second (23:59:60),
// which JavaScript's Date cannot represent (new Date gives Invalid Date, and its toISOString
// throws). Such values are refused here as bad input instead of failing in a handler or SQL.
import type { FormatDefinition, Plugin } from 'ajv';
import ajvFormats from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats.js';

const firstStoredYear = 1;

/** A calendar date of year 1 or later (the year 0000 is no year of the Gregorian calendar). */
export const isStorableDate = (text: string) => Number(text.slice(0, 4)) >= firstStoredYear;

/** An instant JavaScript can represent, in year 1 or later once taken to UTC: an offset can
 * move 0001-01-01T00:30+01:00 into the year 0. */
export function isStorableDateTime(text: string): boolean {
  const instant = new Date(text.toUpperCase());
  return !Number.isNaN(instant.getTime()) && instant.getUTCFullYear() >= firstStoredYear;
}

function storable(format: FormatDefinition<string>, storableText: (text: string) => boolean): FormatDefinition<string> {
  const check = format.validate as (text: string) => boolean;
  return { ...format, validate: (text: string) => check(text) && storableText(text) };
}

const storedYears: Plugin<unknown> = (ajv) => {
  ajv.addFormat('date', storable(fullFormats.date as FormatDefinition<string>, isStorableDate));
  ajv.addFormat('date-time', storable(fullFormats['date-time'] as FormatDefinition<string>, isStorableDateTime));
  return ajv;
};

/** The ajv plugins of the app: ajv-formats, then date and date-time kept to storable values.
 * (Naming ajv-formats here keeps Fastify from adding it again after them.) */
export const ajvPlugins: Plugin<unknown>[] = [ajvFormats.default as unknown as Plugin<unknown>, storedYears];
