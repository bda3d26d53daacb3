// The string formats the API's schemas name, as PostgreSQL can store them. ajv-formats checks
// RFC 3339 (a real calendar day, a real time); PostgreSQL also refuses the year 0000, which
// RFC 3339 allows, so such a date is refused here as bad input instead of failing in SQL.
import type { FormatDefinition, Plugin } from 'ajv';
import ajvFormats from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats.js';

const inStoredYears = (text: string) => !text.startsWith('0000');

function storable(format: FormatDefinition<string>): FormatDefinition<string> {
  const check = format.validate as (text: string) => boolean;
  return { ...format, validate: (text: string) => check(text) && inStoredYears(text) };
}

const storedYears: Plugin<unknown> = (ajv) => {
  ajv.addFormat('date', storable(fullFormats.date as FormatDefinition<string>));
  ajv.addFormat('date-time', storable(fullFormats['date-time'] as FormatDefinition<string>));
  return ajv;
};

/** The ajv plugins of the app: ajv-formats, then date and date-time kept to stored years.
 * (Naming ajv-formats here keeps Fastify from adding it again after them.) */
export const ajvPlugins: Plugin<unknown>[] = [ajvFormats.default as unknown as Plugin<unknown>, storedYears];
