// verify:fuzz — every parser with fast-check inputs and mutations of the shared fixtures
// (10,000 cases each with --short, 1,000,000 without), then the API from its OpenAPI document.
// Prints one JSON line; exits 1 on any crash, hang, leak or 5xx.
import { fuzzApi } from './api-fuzz.js';
import { fuzzParser, parserCaseMsMax, parserHeapGrowthBytesMax, type ParserFigures } from './parser-fuzz.js';
import { parserTargets } from './parser-targets.js';
import { progress, runPart, Violations } from './verify-run.js';

const parserCases = { short: 10_000, long: 1_000_000 };
const apiRequests = { short: 2_000, long: 200_000 };

await runPart('fuzz', async ({ short, seed }) => {
  const violations = new Violations();
  const parsers: ParserFigures[] = [];
  for (const target of await parserTargets()) {
    progress(`fuzzing ${target.name}`);
    parsers.push(await fuzzParser(target, short ? parserCases.short : parserCases.long, seed, violations));
  }
  progress('fuzzing the API');
  const api = await fuzzApi(short ? apiRequests.short : apiRequests.long, seed, violations);
  return {
    bounds: { parser_case_ms: parserCaseMsMax, parser_heap_growth_mb: parserHeapGrowthBytesMax / 2 ** 20 },
    csv_import: 'none: Outlay reads no CSV (it only writes CSV exports), so there is no CSV parser to fuzz',
    parsers,
    parser_cases: parsers.reduce((sum, figures) => sum + figures.cases, 0),
    crashed: parsers.reduce((sum, figures) => sum + figures.crashed, 0),
    hangs: parsers.reduce((sum, figures) => sum + figures.hangs, 0) + api.hangs,
    api,
    violations: violations.all,
  };
});
